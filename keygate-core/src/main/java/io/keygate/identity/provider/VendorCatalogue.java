package io.keygate.identity.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in OAuth2 vendors, read from {@code vendors.json} beside this class: data, not code, so a
 * vendor's endpoints change without touching logic.
 */
public final class VendorCatalogue {
    private final Map<String, Vendor> vendors;

    private VendorCatalogue(Map<String, Vendor> vendors) {
        this.vendors = Collections.unmodifiableMap(vendors);
    }

    public static VendorCatalogue builtIn() {
        try (InputStream in = VendorCatalogue.class.getResourceAsStream("vendors.json")) {
            JsonNode root = Json.MAPPER.readTree(in);
            Map<String, Vendor> vendors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getKey().startsWith("_")) {
                    vendors.put(entry.getKey(), vendor(entry.getKey(), entry.getValue()));
                }
            }
            return new VendorCatalogue(vendors);
        } catch (IOException e) {
            throw new IllegalStateException("vendors.json is missing or broken", e);
        }
    }

    private static Vendor vendor(String name, JsonNode node) {
        List<String> methods = new ArrayList<>();
        node.path("tokenEndpointAuthMethods").forEach(method -> methods.add(method.asText()));
        return new Vendor(name, node.get("configMember").asText(), text(node, "issuer"),
                text(node, "authorizationEndpoint"), text(node, "tokenEndpoint"), methods, text(node, "defaultTenantId"));
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    public Optional<Vendor> find(String name) {
        return Optional.ofNullable(vendors.get(name));
    }

    public List<String> names() {
        return List.copyOf(vendors.keySet());
    }
}
