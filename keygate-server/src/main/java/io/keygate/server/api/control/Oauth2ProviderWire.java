package io.keygate.server.api.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.config.Arns;
import io.keygate.error.Errors;
import io.keygate.identity.provider.AuthorizationServerMetadata;
import io.keygate.identity.provider.Oauth2CredentialProvider;
import io.keygate.identity.provider.Oauth2ProviderInput;
import io.keygate.server.api.ApiJson;

import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates the AWS {@code oauth2ProviderConfigInput} / {@code oauth2ProviderConfigOutput} unions to
 * and from core types, and builds the fields every OAuth2 provider output shares.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_Oauth2ProviderConfigInput.html">Oauth2ProviderConfigInput</a>
 */
final class Oauth2ProviderWire {
    private Oauth2ProviderWire() {
    }

    static Oauth2ProviderInput input(String name, String vendor, JsonNode union, Map<String, String> tags) {
        if (union == null || !union.isObject() || union.size() != 1) {
            throw Errors.invalidField("oauth2ProviderConfigInput", "must be an object with exactly one member, "
                    + "such as customOauth2ProviderConfig or googleOauth2ProviderConfig");
        }
        String member = union.fieldNames().next();
        JsonNode config = union.get(member);
        JsonNode discovery = config.path("oauthDiscovery");
        String discoveryUrl = text(discovery, "discoveryUrl");
        AuthorizationServerMetadata metadata = discovery.has("authorizationServerMetadata")
                ? metadata(discovery.get("authorizationServerMetadata"), "oauth2ProviderConfigInput." + member
                + ".oauthDiscovery.authorizationServerMetadata")
                : inlineEndpoints(config, member);
        @SuppressWarnings("unchecked")
        Map<String, Object> onBehalfOf = config.has("onBehalfOfTokenExchangeConfig")
                ? ApiJson.MAPPER.convertValue(config.get("onBehalfOfTokenExchangeConfig"), Map.class) : null;
        return new Oauth2ProviderInput(name, vendor, member, text(config, "clientId"), text(config, "clientSecret"),
                text(config, "clientAuthenticationMethod"), text(config, "tenantId"), discoveryUrl, metadata,
                onBehalfOf, tags);
    }

    /** includedOauth2ProviderConfig carries issuer and endpoints inline, all three or none. */
    private static AuthorizationServerMetadata inlineEndpoints(JsonNode config, String member) {
        String issuer = text(config, "issuer");
        String authorizationEndpoint = text(config, "authorizationEndpoint");
        String tokenEndpoint = text(config, "tokenEndpoint");
        if (issuer == null && authorizationEndpoint == null && tokenEndpoint == null) {
            return null;
        }
        if (issuer == null || authorizationEndpoint == null || tokenEndpoint == null) {
            throw Errors.invalidField("oauth2ProviderConfigInput." + member,
                    "give issuer, authorizationEndpoint and tokenEndpoint together");
        }
        checkUrl("oauth2ProviderConfigInput." + member + ".authorizationEndpoint", authorizationEndpoint);
        checkUrl("oauth2ProviderConfigInput." + member + ".tokenEndpoint", tokenEndpoint);
        return new AuthorizationServerMetadata(issuer, authorizationEndpoint, tokenEndpoint, List.of("code"), List.of(),
                null, false);
    }

    private static AuthorizationServerMetadata metadata(JsonNode node, String field) {
        String issuer = text(node, "issuer");
        String authorizationEndpoint = text(node, "authorizationEndpoint");
        String tokenEndpoint = text(node, "tokenEndpoint");
        if (issuer == null || authorizationEndpoint == null || tokenEndpoint == null) {
            throw Errors.invalidField(field, "issuer, authorizationEndpoint and tokenEndpoint are required");
        }
        checkUrl(field + ".authorizationEndpoint", authorizationEndpoint);
        checkUrl(field + ".tokenEndpoint", tokenEndpoint);
        List<String> methods = strings(node.path("tokenEndpointAuthMethods"));
        for (String method : methods) {
            if (!method.equals("client_secret_post") && !method.equals("client_secret_basic")) {
                throw Errors.invalidField(field + ".tokenEndpointAuthMethods",
                        "may hold only client_secret_post and client_secret_basic, got '" + method + "'");
            }
        }
        return new AuthorizationServerMetadata(issuer, authorizationEndpoint, tokenEndpoint,
                strings(node.path("responseTypes")), methods, null, false);
    }

    private static void checkUrl(String field, String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new java.net.URISyntaxException(value, "not absolute");
            }
        } catch (java.net.URISyntaxException e) {
            throw Errors.invalidField(field, "must be an absolute URL");
        }
    }

    /** The output union: the vendor's member with oauthDiscovery and clientId; never the secret. */
    static Map<String, Object> output(Oauth2CredentialProvider provider) {
        Map<String, Object> discovery = new LinkedHashMap<>();
        if (provider.discoveryUrl() != null) {
            discovery.put("discoveryUrl", provider.discoveryUrl());
        } else if (provider.metadata() != null) {
            AuthorizationServerMetadata metadata = provider.metadata();
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("issuer", metadata.issuer());
            server.put("authorizationEndpoint", metadata.authorizationEndpoint());
            server.put("tokenEndpoint", metadata.tokenEndpoint());
            server.put("responseTypes", metadata.responseTypes());
            if (!metadata.tokenEndpointAuthMethods().isEmpty()) {
                server.put("tokenEndpointAuthMethods", metadata.tokenEndpointAuthMethods());
            }
            discovery.put("authorizationServerMetadata", server);
        }
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("oauthDiscovery", discovery);
        if (provider.clientId() != null) {
            member.put("clientId", provider.clientId());
        }
        if (provider.tenantId() != null) {
            member.put("tenantId", provider.tenantId());
        }
        if (provider.clientAuthenticationMethod() != null) {
            member.put("clientAuthenticationMethod", provider.clientAuthenticationMethod());
        }
        if (provider.onBehalfOfTokenExchangeConfig() != null) {
            member.put("onBehalfOfTokenExchangeConfig", provider.onBehalfOfTokenExchangeConfig());
        }
        return Map.of(provider.configMember(), member);
    }

    static Map<String, String> secretArn(Arns arns, Oauth2CredentialProvider provider) {
        return Map.of("secretArn", arns.secret(provider.secretPath()));
    }

    static String callbackUrl(URI publicUrl, Oauth2CredentialProvider provider) {
        return publicUrl + "/identities/oauth2/callback/" + provider.callbackId();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw Errors.cannotParse("Field '" + field + "' must be a string");
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            values.add(it.next().asText());
        }
        return values;
    }

}
