package io.keygate.identity.provider;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MetadataResolver#expectedIssuers}: the issuers a discovery URL may belong to (OpenID Connect
 * Discovery 1.0 §4.3, RFC 8414 §3.3), so a discovery document cannot claim another issuer. The
 * network fetch itself goes through the outbound guard (GW-8) and is covered there.
 */
class MetadataResolverTests {

    @Test
    void expectedIssuersWhenOidcDiscoveryAtRootThenOrigin() {
        assertThat(MetadataResolver.expectedIssuers("https://idp.example/.well-known/openid-configuration"))
                .contains("https://idp.example");
    }

    @Test
    void expectedIssuersWhenOidcDiscoveryUnderPathThenIssuerKeepsPath() {
        assertThat(MetadataResolver.expectedIssuers("https://idp.example/tenant/.well-known/openid-configuration"))
                .contains("https://idp.example/tenant")
                .doesNotContain("https://idp.example");
    }

    @Test
    void expectedIssuersWhenTrailingSlashThenIgnored() {
        assertThat(MetadataResolver.expectedIssuers("https://idp.example/tenant/.well-known/openid-configuration/"))
                .contains("https://idp.example/tenant");
    }

    @Test
    void expectedIssuersWhenRfc8414InsertionFormThenPathAfterWellKnown() {
        assertThat(MetadataResolver.expectedIssuers("https://idp.example/.well-known/oauth-authorization-server/tenant"))
                .contains("https://idp.example/tenant");
    }

    @Test
    void expectedIssuersWhenRfc8414AtRootThenOrigin() {
        assertThat(MetadataResolver.expectedIssuers("https://idp.example:8443/.well-known/oauth-authorization-server"))
                .contains("https://idp.example:8443");
    }

    @Test
    void expectedIssuersWhenOauthSuffixFormThenPathBeforeWellKnown() {
        assertThat(MetadataResolver.expectedIssuers("https://idp.example/t/.well-known/oauth-authorization-server"))
                .contains("https://idp.example/t");
    }

    @Test
    void expectedIssuersWhenNotADiscoveryUrlThenNone() {
        assertThat(MetadataResolver.expectedIssuers("https://idp.example/metadata.json")).isEmpty();
    }

    @Test
    void expectedIssuersWhenWellKnownNameOnlyPrefixOfSegmentThenNoIssuerOnOtherHost() {
        // the well-known segment must be followed by '/' or end the path: otherwise the "rest" would be glued
        // onto the host and let idp.example vouch for the issuer https://idp.example.attacker.test
        assertThat(MetadataResolver.expectedIssuers(
                "https://idp.example/.well-known/oauth-authorization-server.attacker.test"))
                .noneMatch(issuer -> issuer.startsWith("https://idp.example.attacker.test"));
    }
}
