package io.keygate.server.oauth;

import io.keygate.error.ServiceException;
import io.keygate.identity.session.AuthorizationFrontChannel;
import io.keygate.identity.session.CallbackHandler;
import io.keygate.identity.session.FrontChannelResult;
import io.keygate.server.http.ApiRequest;
import io.keygate.server.http.ApiResponse;
import io.keygate.server.http.QueryString;
import io.keygate.server.http.RouteHandler;
import io.keygate.server.http.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The browser-facing OAuth endpoints: {@code GET /identities/oauth2/authorize} and
 * {@code GET /identities/oauth2/callback/{callbackId}}. They answer redirects or small HTML pages,
 * never cached and never leaking the URL through Referer (security.md CF-10), never framed.
 */
public final class FrontChannelRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(FrontChannelRoutes.class);
    static final Map<String, String> HEADERS = Map.of("Cache-Control", "no-store", "Pragma", "no-cache",
            "Referrer-Policy", "no-referrer", "X-Frame-Options", "DENY",
            "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            "X-Content-Type-Options", "nosniff");

    private FrontChannelRoutes() {
    }

    public static void register(Router<RouteHandler> router, AuthorizationFrontChannel frontChannel,
                                CallbackHandler callbacks) {
        router.add("GET", "/identities/oauth2/authorize", request ->
                answer(request, () -> frontChannel.authorize(QueryString.parse(request.rawQuery()).get("request_uri"))));
        router.add("GET", "/identities/oauth2/callback/{callbackId}", request ->
                answer(request, () -> callbacks.handle(request.pathParameter("callbackId"), QueryString.parse(request.rawQuery()))));
    }

    private static ApiResponse answer(ApiRequest request, Supplier<FrontChannelResult> action) {
        return respond(request, () -> render(action.get(), Map.of()));
    }

    /** Runs {@code action}; when Keygate cannot go on (sealed, store down) the browser gets a page saying so. */
    static ApiResponse respond(ApiRequest request, Supplier<ApiResponse> action) {
        try {
            return action.get();
        } catch (ServiceException failure) {
            LOG.warn("front channel request {} failed: {}", request.requestId(), failure.getMessage());
            return render(new FrontChannelResult.Page(503, "Keygate cannot continue right now", failure.getMessage()),
                    Map.of());
        }
    }

    /** A redirect or a page, with the front channel's headers and {@code extraHeaders}. */
    static ApiResponse render(FrontChannelResult result, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(HEADERS);
        headers.putAll(extraHeaders);
        if (result instanceof FrontChannelResult.Redirect redirect) {
            headers.put("Location", redirect.location());
            return new ApiResponse(302, null, headers, new byte[0]);
        }
        FrontChannelResult.Page page = (FrontChannelResult.Page) result;
        return new ApiResponse(page.status(), "text/html; charset=utf-8", headers,
                HtmlPage.render(page.title(), page.message()).getBytes(StandardCharsets.UTF_8));
    }
}
