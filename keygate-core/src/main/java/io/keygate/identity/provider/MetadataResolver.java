package io.keygate.identity.provider;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import io.keygate.error.Errors;
import io.keygate.net.OutboundHttp;
import io.keygate.net.OutboundUrlException;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Fetches and checks a discovery document (OpenID Connect Discovery 1.0 §4, RFC 8414 §3): fetched
 * through the outbound guard, parsed by Nimbus, and its {@code issuer} must be the one the discovery
 * URL was built from (OIDC Discovery §4.3, RFC 8414 §3.3), so a document cannot impersonate another
 * issuer.
 */
public final class MetadataResolver {
    private static final String OIDC_SUFFIX = "/.well-known/openid-configuration";
    private static final String OAUTH_WELL_KNOWN = "/.well-known/oauth-authorization-server";
    private final OutboundHttp http;

    public MetadataResolver(OutboundHttp http) {
        this.http = Objects.requireNonNull(http, "http must not be null");
    }

    /**
     * @param field the input field holding the URL, named in errors
     * @throws io.keygate.error.ServiceException a validation error naming {@code field} and the problem
     */
    public io.keygate.identity.provider.AuthorizationServerMetadata resolve(String field, String discoveryUrl) {
        URI url;
        try {
            url = URI.create(discoveryUrl);
        } catch (IllegalArgumentException e) {
            throw Errors.invalidField(field, "is not a URL");
        }
        String document;
        try {
            document = http.getJson(url);
        } catch (OutboundUrlException refused) {
            throw Errors.invalidField(field, "the URL " + refused.getMessage());
        }
        AuthorizationServerMetadata parsed;
        try {
            parsed = AuthorizationServerMetadata.parse(document);
        } catch (ParseException e) {
            throw Errors.invalidField(field, "does not return a valid discovery document: " + e.getMessage());
        }
        String issuer = parsed.getIssuer().getValue();
        if (!expectedIssuers(discoveryUrl).contains(issuer)) {
            throw Errors.invalidField(field, "the document's issuer '" + issuer + "' does not match the discovery URL; "
                    + "the URL must be the issuer followed by " + OIDC_SUFFIX + " or " + OAUTH_WELL_KNOWN);
        }
        if (parsed.getAuthorizationEndpointURI() == null && parsed.getTokenEndpointURI() == null) {
            throw Errors.invalidField(field, "the discovery document names neither an authorization nor a token endpoint");
        }
        return new io.keygate.identity.provider.AuthorizationServerMetadata(issuer,
                text(parsed.getAuthorizationEndpointURI()), text(parsed.getTokenEndpointURI()),
                parsed.getResponseTypes() == null ? List.of() : parsed.getResponseTypes().stream().map(Object::toString).toList(),
                parsed.getTokenEndpointAuthMethods() == null ? List.of()
                        : parsed.getTokenEndpointAuthMethods().stream().map(Object::toString).toList(),
                text(parsed.getJWKSetURI()), parsed.supportsAuthorizationResponseIssuerParam());
    }

    /** Issuers a discovery URL may legitimately belong to: suffix form and RFC 8414 path-insertion form. */
    static List<String> expectedIssuers(String discoveryUrl) {
        String trimmed = discoveryUrl.replaceAll("/+$", "");
        if (trimmed.endsWith(OIDC_SUFFIX)) {
            String issuer = trimmed.substring(0, trimmed.length() - OIDC_SUFFIX.length());
            return List.of(issuer, issuer + "/");
        }
        URI uri = URI.create(trimmed);
        String path = uri.getRawPath();
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        if (path.equals(OAUTH_WELL_KNOWN) || path.startsWith(OAUTH_WELL_KNOWN + "/")) {
            String rest = path.substring(OAUTH_WELL_KNOWN.length());
            return List.of(origin + rest, origin + rest + "/");
        }
        if (path.endsWith(OAUTH_WELL_KNOWN)) {
            String issuer = trimmed.substring(0, trimmed.length() - OAUTH_WELL_KNOWN.length());
            return List.of(issuer, issuer + "/");
        }
        return List.of();
    }

    private static String text(URI uri) {
        return uri == null ? null : uri.toString();
    }
}
