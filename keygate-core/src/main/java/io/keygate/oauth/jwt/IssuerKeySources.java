package io.keygate.oauth.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import io.keygate.cache.Caches;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import io.keygate.net.OutboundHttp;
import io.keygate.net.OutboundUrlException;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The JWK sets (RFC 7517 §5) of trusted issuers, fetched only from configured URLs and only through
 * {@link OutboundHttp}, so the outbound URL guard applies to every fetch (security.md GW-8, JV-2).
 *
 * <p>One Nimbus {@link JWKSource} per JWK set URL caches the set and, on an unknown {@code kid},
 * refreshes it at most at the rate Nimbus's rate limiter allows. Discovery documents (RFC 8414 §3)
 * are cached for {@link #DISCOVERY_TTL}; failed fetches are not cached.
 */
final class IssuerKeySources {
    static final Duration DISCOVERY_TTL = Duration.ofHours(1);
    private static final int MAX_ISSUERS = 10_000;

    private final OutboundHttp http;
    private final ResourceRetriever retriever;
    private final ConcurrentMap<String, JWKSource<SecurityContext>> sources = new ConcurrentHashMap<>();
    private final Cache<String, URI> discoveredJwksUris;

    IssuerKeySources(OutboundHttp http) {
        this.http = Objects.requireNonNull(http, "http must not be null");
        this.retriever = this::retrieve;
        this.discoveredJwksUris = Caches.newBuilder().expireAfterWrite(DISCOVERY_TTL).maximumSize(MAX_ISSUERS)
                .build();
    }

    /**
     * The key source of {@code issuer}, discovering its JWK set URL first when needed.
     *
     * @throws InvalidJwtException {@link InvalidJwtException#JWKS_UNAVAILABLE} when the discovery
     *                             document cannot be fetched or used, or the JWK set URL is invalid
     */
    JWKSource<SecurityContext> forIssuer(TrustedIssuer issuer) {
        URI jwksUri = issuer.jwksUri() != null ? parseUri(issuer, issuer.jwksUri(), "jwksUri") : discover(issuer);
        URL url = toUrl(issuer, jwksUri);
        return sources.computeIfAbsent(url.toString(),
                key -> JWKSourceBuilder.create(url, retriever).cache(true).rateLimited(true).build());
    }

    private URI discover(TrustedIssuer issuer) {
        URI discoveryUrl = parseUri(issuer, issuer.discoveryUrl(), "discoveryUrl");
        // Caffeine runs one load per key at a time, so a burst of tokens causes one fetch
        return discoveredJwksUris.get(issuer.issuer() + " " + discoveryUrl, key -> fetchJwksUri(issuer, discoveryUrl));
    }

    private URI fetchJwksUri(TrustedIssuer issuer, URI discoveryUrl) {
        AuthorizationServerMetadata metadata;
        try {
            metadata = AuthorizationServerMetadata.parse(http.getJson(discoveryUrl));
        } catch (OutboundUrlException e) {
            throw unavailable(issuer, "its discovery document could not be fetched: the URL " + discoveryUrl + " "
                    + e.getMessage());
        } catch (ParseException e) {
            throw unavailable(issuer, "its discovery document at " + discoveryUrl
                    + " is not valid OAuth/OpenID metadata (RFC 8414)");
        }
        // RFC 8414 §3.3: the metadata must name the issuer it was fetched for
        if (!issuer.issuer().equals(metadata.getIssuer().getValue())) {
            throw unavailable(issuer, "its discovery document at " + discoveryUrl + " names the issuer "
                    + metadata.getIssuer().getValue() + " instead");
        }
        if (metadata.getJWKSetURI() == null) {
            throw unavailable(issuer, "its discovery document at " + discoveryUrl + " has no jwks_uri");
        }
        return metadata.getJWKSetURI();
    }

    private Resource retrieve(URL url) throws IOException {
        try {
            return new Resource(http.getJson(url.toURI()), "application/json");
        } catch (OutboundUrlException e) {
            throw new IOException("the JWK set URL " + url + " " + e.getMessage(), e);
        } catch (URISyntaxException e) {
            throw new IOException("the JWK set URL " + url + " is not a valid URI", e);
        }
    }

    private static URI parseUri(TrustedIssuer issuer, String value, String field) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw unavailable(issuer, "its " + field + " is not a valid URL");
        }
    }

    private static URL toUrl(TrustedIssuer issuer, URI uri) {
        try {
            return uri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw unavailable(issuer, "its JWK set URL " + uri + " is not an absolute http(s) URL");
        }
    }

    private static InvalidJwtException unavailable(TrustedIssuer issuer, String detail) {
        return new InvalidJwtException(InvalidJwtException.JWKS_UNAVAILABLE, "the signing keys of issuer "
                + issuer.issuer() + " are unavailable: " + detail
                + "; fix the issuer's configuration or try again later");
    }
}
