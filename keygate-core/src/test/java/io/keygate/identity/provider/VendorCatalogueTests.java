package io.keygate.identity.provider;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link VendorCatalogue} and {@link Vendor#metadata}: every AWS AgentCore {@code credentialProviderVendor}
 * is built in, fixed vendor endpoints are https only (GW-8), and tenant placeholders are filled.
 */
class VendorCatalogueTests {
    private final VendorCatalogue catalogue = VendorCatalogue.builtIn();

    @Test
    void builtInWhenLoadedThenHasAllAwsVendors() {
        assertThat(catalogue.names()).containsExactlyInAnyOrder("GoogleOauth2", "GithubOauth2", "SlackOauth2",
                "SalesforceOauth2", "MicrosoftOauth2", "CustomOauth2", "AtlassianOauth2", "LinkedinOauth2", "XOauth2",
                "OktaOauth2", "OneLoginOauth2", "PingOneOauth2", "FacebookOauth2", "YandexOauth2", "RedditOauth2",
                "ZoomOauth2", "TwitchOauth2", "SpotifyOauth2", "DropboxOauth2", "NotionOauth2", "HubspotOauth2",
                "CyberArkOauth2", "FusionAuthOauth2", "Auth0Oauth2", "CognitoOauth2");
    }

    @Test
    void findWhenUnknownOrCommentKeyThenEmpty() {
        assertThat(catalogue.find("NoSuchOauth2")).isEmpty();
        assertThat(catalogue.find("_comment")).isEmpty();
    }

    @Test
    void metadataWhenMicrosoftWithTenantThenTenantFilledIntoEndpoints() {
        AuthorizationServerMetadata metadata = catalogue.find("MicrosoftOauth2").orElseThrow().metadata("contoso");

        assertThat(metadata.issuer()).isEqualTo("https://login.microsoftonline.com/contoso/v2.0");
        assertThat(metadata.authorizationEndpoint()).isEqualTo("https://login.microsoftonline.com/contoso/oauth2/v2.0/authorize");
        assertThat(metadata.tokenEndpoint()).isEqualTo("https://login.microsoftonline.com/contoso/oauth2/v2.0/token");
    }

    @Test
    void metadataWhenMicrosoftWithoutTenantThenCommon() {
        AuthorizationServerMetadata metadata = catalogue.find("MicrosoftOauth2").orElseThrow().metadata(null);

        assertThat(metadata.authorizationEndpoint()).isEqualTo("https://login.microsoftonline.com/common/oauth2/v2.0/authorize");
        assertThat(metadata.tokenEndpoint()).isEqualTo("https://login.microsoftonline.com/common/oauth2/v2.0/token");
        assertThat(metadata.issuer()).doesNotContain("{tenantId}");
    }

    @Test
    void metadataWhenVendorHasFixedEndpointsThenAllHttpsWithoutPlaceholders() {
        List<Vendor> fixed = catalogue.names().stream().map(name -> catalogue.find(name).orElseThrow())
                .filter(Vendor::hasFixedEndpoints).toList();
        for (Vendor vendor : fixed) {
            AuthorizationServerMetadata metadata = vendor.metadata(null);
            for (String url : List.of(metadata.issuer(), metadata.authorizationEndpoint(), metadata.tokenEndpoint())) {
                assertThat(URI.create(url).getScheme()).as(vendor.name() + " " + url).isEqualTo("https");
                assertThat(url).as(vendor.name()).doesNotContain("{");
            }
            assertThat(metadata.tokenEndpointAuthMethods()).as(vendor.name()).isNotEmpty();
        }
        assertThat(fixed).hasSize(17);
    }

    @Test
    void metadataWhenTenantSpecificVendorThenNone() {
        assertThat(catalogue.find("OktaOauth2").orElseThrow().metadata("acme")).isNull();
        assertThat(catalogue.find("CustomOauth2").orElseThrow().isCustom()).isTrue();
        assertThat(catalogue.find("GoogleOauth2").orElseThrow().isCustom()).isFalse();
    }
}
