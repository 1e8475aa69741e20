package io.keygate.server;

import io.keygate.crypto.KeyringService;
import io.keygate.server.api.ApiJson;
import io.keygate.server.http.ApiResponse;
import io.keygate.server.http.RouteHandler;
import io.keygate.server.http.Router;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.LinkedHashMap;
import java.util.Map;

/** Unauthenticated operational routes: {@code GET /health} and {@code GET /metrics} (Prometheus). */
final class SystemRoutes {
    private SystemRoutes() {
    }

    static void register(Router<RouteHandler> router, KeyringService keyrings, PrometheusMeterRegistry meters) {
        router.add("GET", "/health", request -> {
            Map<String, Object> body = new LinkedHashMap<>();
            if (keyrings.isSealed()) {
                body.put("status", "sealed");
                body.put("reason", keyrings.sealedReason());
                return ApiResponse.json(503, ApiJson.write(body));
            }
            body.put("status", "ok");
            return ApiResponse.json(200, ApiJson.write(body));
        });
        router.add("GET", "/metrics", request -> ApiResponse.text(200, "text/plain; version=0.0.4; charset=utf-8",
                meters.scrape()));
    }
}
