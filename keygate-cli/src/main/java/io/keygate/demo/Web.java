package io.keygate.demo;

import io.keygate.json.Json;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.util.StringUtil;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The few HTTP chores the demo's servlets share: answers, forms, cookies, escaping. */
public final class Web {
    private Web() {
    }

    public static void html(HttpServletResponse response, int status, String page) throws IOException {
        send(response, status, "text/html; charset=utf-8", page);
    }

    public static void json(HttpServletResponse response, int status, Object body) throws IOException {
        send(response, status, "application/json", Json.write(body));
    }

    public static void send(HttpServletResponse response, int status, String contentType, String body) throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        // no page of the demo may be framed (consent clickjacking), nor leak a code-bearing URL as Referer
        response.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    public static void redirect(HttpServletResponse response, String location) {
        response.setStatus(302);
        response.setHeader("Location", location);
        response.setHeader("Cache-Control", "no-store");
    }

    /** The request's form parameters (application/x-www-form-urlencoded body) or query, first value each. */
    public static Map<String, String> parameters(HttpServletRequest request) {
        Map<String, String> values = new HashMap<>();
        request.getParameterMap().forEach((name, list) -> values.put(name, list.length == 0 ? "" : list[0]));
        return values;
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public static Optional<String> cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (cookie.getName().equals(name)) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /** HttpOnly, SameSite=Lax: the browser sends it on top-level navigations back from the IdP, never to scripts. */
    public static void setCookie(HttpServletResponse response, String name, String value, String path) {
        response.addHeader("Set-Cookie", name + "=" + value + "; Path=" + path + "; HttpOnly; SameSite=Lax");
    }

    /** Text for HTML content and quoted attributes: Jetty's escaper (&amp;, &lt;, &gt;, quotes, control characters). */
    public static String escape(String text) {
        return StringUtil.sanitizeXmlString(text);
    }
}
