package io.keygate.demo;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser for the tests: its own cookie jar, redirects followed or not, forms posted. */
public final class Browser {
    private static final Pattern REQUEST_ID = Pattern.compile("name=request value=\"([^\"]+)\"");
    private final HttpClient http;

    public Browser(boolean followRedirects) {
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(followRedirects ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postForm(String url, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(entry -> Web.encode(entry.getKey()) + "=" + Web.encode(entry.getValue()))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST as the demo page's script sends it. */
    public HttpResponse<String> postFetch(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("X-Demo-Request", "fetch").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The pending authorization request id in a demo IdP login or consent page. */
    public static String requestId(String page) {
        Matcher matcher = REQUEST_ID.matcher(page);
        if (!matcher.find()) {
            throw new AssertionError("no request id in the page: " + page);
        }
        return matcher.group(1);
    }
}
