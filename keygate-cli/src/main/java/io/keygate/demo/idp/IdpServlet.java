package io.keygate.demo.idp;

import com.nimbusds.jwt.JWTClaimsSet;
import io.keygate.demo.Web;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo IdP over HTTP, under {@code /idp}: OpenID discovery, JWKS, authorization, token, userinfo,
 * and {@code /idp/graph/me/files}, a Graph-like API that answers with the files of the user whose
 * token it is given (audience {@value DemoIdp#GRAPH_AUDIENCE}, scope {@value DemoIdp#FILES_SCOPE}).
 *
 * @see <a href="https://openid.net/specs/openid-connect-discovery-1_0.html">OpenID Connect Discovery 1.0</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3 (WWW-Authenticate for bearer tokens)</a>
 */
public final class IdpServlet extends HttpServlet {
    private final transient DemoIdp idp;
    private final transient AuthorizeFlow flow;
    private final transient TokenEndpoint tokens;

    public IdpServlet(DemoIdp idp, Clock clock) {
        this.idp = idp;
        this.flow = new AuthorizeFlow(idp, clock);
        this.tokens = new TokenEndpoint(idp, flow);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getRequestURI()) {
            case "/idp/.well-known/openid-configuration" -> Web.json(response, 200, discovery());
            case "/idp/jwks" -> Web.send(response, 200, "application/jwk-set+json", idp.publicKeys().toString());
            case "/idp/authorize" -> flow.authorize(request, response);
            case "/idp/userinfo" -> userinfo(request, response);
            case "/idp/graph/me/files" -> files(request, response);
            default -> Web.html(response, 404, IdpPages.error("Not found", "The demo IdP has no such page."));
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getRequestURI()) {
            case "/idp/login" -> flow.login(request, response);
            case "/idp/consent" -> flow.consent(request, response);
            case "/idp/token" -> tokens.handle(request, response);
            default -> Web.html(response, 404, IdpPages.error("Not found", "The demo IdP has no such page."));
        }
    }

    private Map<String, Object> discovery() {
        String issuer = idp.issuer().toString();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("authorization_endpoint", issuer + "/authorize");
        document.put("token_endpoint", issuer + "/token");
        document.put("userinfo_endpoint", issuer + "/userinfo");
        document.put("jwks_uri", issuer + "/jwks");
        document.put("response_types_supported", List.of("code"));
        document.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        document.put("code_challenge_methods_supported", List.of("S256"));
        document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        document.put("scopes_supported", List.copyOf(DemoIdp.SCOPES));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        document.put("authorization_response_iss_parameter_supported", true);
        return document;
    }

    private void userinfo(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<JWTClaimsSet> claims = bearer(request).flatMap(token -> idp.verifyAccessToken(token, null));
        Optional<DemoUsers.User> user = claims.flatMap(found -> idp.users().find(found.getSubject()));
        if (user.isEmpty()) {
            unauthorized(response, "invalid_token");
            return;
        }
        Web.json(response, 200, profile(user.get()));
    }

    private void files(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<JWTClaimsSet> claims = bearer(request)
                .flatMap(token -> idp.verifyAccessToken(token, DemoIdp.GRAPH_AUDIENCE));
        Optional<DemoUsers.User> user = claims.flatMap(found -> idp.users().find(found.getSubject()));
        if (user.isEmpty()) {
            unauthorized(response, "invalid_token");
            return;
        }
        String scope = String.valueOf(claims.get().getClaim("scope"));
        if (!List.of(scope.split(" ")).contains(DemoIdp.FILES_SCOPE)) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"" + DemoIdp.FILES_SCOPE + "\"");
            Web.json(response, 403, Map.of("error", "insufficient_scope"));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", profile(user.get()));
        body.put("files", idp.users().files(user.get()));
        body.put("token", Map.of("clientId", String.valueOf(claims.get().getClaim("client_id")), "scope", scope,
                "audience", DemoIdp.GRAPH_AUDIENCE));
        Web.json(response, 200, body);
    }

    private static Map<String, Object> profile(DemoUsers.User user) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("sub", user.subject());
        profile.put("name", user.name());
        if (user.email() != null) {
            profile.put("email", user.email());
        }
        return profile;
    }

    private static Optional<String> bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? Optional.of(header.substring(7).strip()) : Optional.empty();
    }

    private static void unauthorized(HttpServletResponse response, String error) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer error=\"" + error + "\"");
        Web.json(response, 401, Map.of("error", error));
    }
}
