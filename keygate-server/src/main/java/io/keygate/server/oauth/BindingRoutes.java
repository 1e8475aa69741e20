package io.keygate.server.oauth;

import io.keygate.identity.binding.BindingPage;
import io.keygate.server.http.ApiRequest;
import io.keygate.server.http.QueryString;
import io.keygate.server.http.RouteHandler;
import io.keygate.server.http.Router;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The binding page's browser endpoints, {@code GET /identities/oauth2/bind} and
 * {@code GET /identities/oauth2/bind/callback}, with the cookie that ties a sign-in attempt to the browser
 * that started it (security.md §1.7 SM-1, CF-2): random, HttpOnly, SameSite=Lax, as short-lived as the
 * attempt, {@code __Host-} prefixed and Secure when Keygate is served over https; cleared when the
 * attempt ends.
 */
public final class BindingRoutes {
    static final String COOKIE = "keygate-binding";
    static final String SECURE_COOKIE = "__Host-" + COOKIE;

    private BindingRoutes() {
    }

    public static void register(Router<RouteHandler> router, BindingPage page, Supplier<URI> publicUrl) {
        router.add("GET", BindingPage.PATH, request -> FrontChannelRoutes.respond(request, () -> {
            BindingPage.Started started = page.start(QueryString.parse(request.rawQuery()).get("session_id"));
            return FrontChannelRoutes.render(started.result(), started.browserKey() == null ? Map.of()
                    : Map.of("Set-Cookie", cookie(publicUrl, started.browserKey(), page.attemptTtl().toSeconds())));
        }));
        router.add("GET", BindingPage.CALLBACK_PATH, request -> FrontChannelRoutes.respond(request, () -> {
            BindingPage.Finished finished = page.finish(QueryString.parse(request.rawQuery()),
                    browserKey(request, publicUrl));
            return FrontChannelRoutes.render(finished.result(), finished.attemptEnded()
                    ? Map.of("Set-Cookie", cookie(publicUrl, "", 0)) : Map.of());
        }));
    }

    /** {@code __Host-} and Secure when Keygate is served over https (RFC 6265bis §4.1.3.2). */
    private static boolean secure(Supplier<URI> publicUrl) {
        return "https".equals(publicUrl.get().getScheme());
    }

    static String cookie(Supplier<URI> publicUrl, String value, long maxAgeSeconds) {
        boolean secure = secure(publicUrl);
        return (secure ? SECURE_COOKIE : COOKIE) + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }

    static String browserKey(ApiRequest request, Supplier<URI> publicUrl) {
        String name = secure(publicUrl) ? SECURE_COOKIE : COOKIE;
        List<String> headers = request.headers().getOrDefault("cookie", List.of());
        for (String header : headers) {
            for (String pair : header.split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).trim().equals(name)) {
                    // RFC 6265 §4.1.1 allows a quoted value (RFC 2965 clients such as java.net.CookieManager send one)
                    return pair.substring(equals + 1).trim().replaceAll("^\"(.*)\"$", "$1");
                }
            }
        }
        return null;
    }
}
