package io.keygate.identity.provider;

import java.util.List;

/**
 * A built-in {@code credentialProviderVendor}: which config member configures it and, where the
 * vendor has public fixed endpoints, what they are ({@code {tenantId}} is a placeholder).
 */
public record Vendor(String name, String configMember, String issuer, String authorizationEndpoint,
                     String tokenEndpoint, List<String> tokenEndpointAuthMethods, String defaultTenantId) {

    public boolean hasFixedEndpoints() {
        return authorizationEndpoint != null;
    }

    public boolean isCustom() {
        return configMember.equals("customOauth2ProviderConfig");
    }

    /** The vendor's endpoints for a tenant (Microsoft), or null when the vendor has none built in. */
    public AuthorizationServerMetadata metadata(String tenantId) {
        if (!hasFixedEndpoints()) {
            return null;
        }
        String tenant = tenantId != null ? tenantId : defaultTenantId;
        return new AuthorizationServerMetadata(fill(issuer, tenant), fill(authorizationEndpoint, tenant),
                fill(tokenEndpoint, tenant), List.of("code"), tokenEndpointAuthMethods, null, false);
    }

    private static String fill(String template, String tenant) {
        return tenant == null ? template : template.replace("{tenantId}", tenant);
    }
}
