package io.keygate.server.api.control;

import io.keygate.config.Arns;
import io.keygate.identity.provider.Oauth2CredentialProvider;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * The response of Create-, Get- and UpdateOauth2CredentialProvider (they share one shape). Never
 * carries the client secret, only its ARN.
 */
record Oauth2ProviderOutput(Map<String, String> clientSecretArn, String name, String credentialProviderArn,
                            String credentialProviderVendor, String callbackUrl,
                            Map<String, Object> oauth2ProviderConfigOutput, String status, Instant createdTime,
                            Instant lastUpdatedTime) {

    static Oauth2ProviderOutput of(Oauth2CredentialProvider provider, Arns arns, URI publicUrl) {
        return new Oauth2ProviderOutput(Oauth2ProviderWire.secretArn(arns, provider), provider.name(),
                arns.oauth2CredentialProvider(provider.name()), provider.vendor(),
                Oauth2ProviderWire.callbackUrl(publicUrl, provider), Oauth2ProviderWire.output(provider), "READY",
                provider.createdTime(), provider.lastUpdatedTime());
    }
}
