package io.keygate.identity.provider;

import java.util.Map;

/**
 * What a caller asks for when creating or replacing an OAuth2 credential provider, lifted out of the
 * AWS {@code oauth2ProviderConfigInput} union by the API adapter; the service checks it.
 *
 * @param configMember       which union member was given, e.g. {@code customOauth2ProviderConfig}
 * @param discoveryUrl       custom only: {@code oauthDiscovery.discoveryUrl}
 * @param explicitMetadata   custom: {@code oauthDiscovery.authorizationServerMetadata}; included vendors:
 *                           issuer and endpoints given inline; else null
 * @param onBehalfOfTokenExchangeConfig custom only, kept as given
 */
public record Oauth2ProviderInput(String name, String vendor, String configMember, String clientId,
                                  String clientSecret, String clientAuthenticationMethod, String tenantId,
                                  String discoveryUrl, AuthorizationServerMetadata explicitMetadata,
                                  Map<String, Object> onBehalfOfTokenExchangeConfig, Map<String, String> tags) {
}
