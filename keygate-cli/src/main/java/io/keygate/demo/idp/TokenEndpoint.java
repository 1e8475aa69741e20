package io.keygate.demo.idp;

import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import io.keygate.demo.Web;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The token endpoint (RFC 6749 §3.2): client_secret_basic or client_secret_post, the authorization code
 * grant with the exact redirect URI and the PKCE verifier (RFC 7636 §4.6), and the refresh token grant.
 * Requests are parsed by the Nimbus OAuth SDK; errors are RFC 6749 §5.2 bodies.
 */
final class TokenEndpoint {
    private final DemoIdp idp;
    private final AuthorizeFlow flow;

    TokenEndpoint(DemoIdp idp, AuthorizeFlow flow) {
        this.idp = idp;
        this.flow = flow;
    }

    void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        TokenRequest token;
        try {
            token = TokenRequest.parse(httpRequest(request));
        } catch (ParseException malformed) {
            error(response, 400, "invalid_request");
            return;
        }
        Optional<DemoIdp.Client> client = authenticated(token.getClientAuthentication());
        if (client.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"demo-idp\"");
            error(response, 401, "invalid_client");
            return;
        }
        AuthorizationGrant grant = token.getAuthorizationGrant();
        Optional<DemoIdp.Tokens> tokens;
        if (grant instanceof AuthorizationCodeGrant code) {
            tokens = redeem(client.get(), code);
        } else if (grant instanceof RefreshTokenGrant refresh) {
            tokens = idp.refresh(client.get(), refresh.getRefreshToken().getValue());
        } else {
            error(response, 400, "unsupported_grant_type");
            return;
        }
        if (tokens.isEmpty()) {
            error(response, 400, "invalid_grant");
            return;
        }
        Web.json(response, 200, body(tokens.get()));
    }

    private Optional<DemoIdp.Tokens> redeem(DemoIdp.Client client, AuthorizationCodeGrant grant) {
        return flow.redeem(grant.getAuthorizationCode().getValue())
                .filter(code -> code.client().clientId().equals(client.clientId()))
                .filter(code -> code.redirectUri().equals(grant.getRedirectionURI()))
                .filter(code -> grant.getCodeVerifier() != null && CodeChallenge.compute(CodeChallengeMethod.S256,
                        grant.getCodeVerifier()).getValue().equals(code.challenge()))
                .flatMap(code -> idp.users().find(code.subject())
                        .map(user -> idp.issue(client, user, code.scope(), code.nonce())));
    }

    private Optional<DemoIdp.Client> authenticated(ClientAuthentication authentication) {
        String secret = null;
        if (authentication instanceof ClientSecretBasic basic) {
            secret = basic.getClientSecret().getValue();
        } else if (authentication instanceof ClientSecretPost post) {
            secret = post.getClientSecret().getValue();
        }
        String presented = secret;
        return authentication == null ? Optional.empty()
                : idp.client(authentication.getClientID().getValue()).filter(client -> client.secretMatches(presented));
    }

    private static HTTPRequest httpRequest(HttpServletRequest request) throws IOException {
        HTTPRequest http = new HTTPRequest(HTTPRequest.Method.POST, URI.create(request.getRequestURL().toString()));
        if (request.getContentType() != null) {
            http.setHeader("Content-Type", request.getContentType());
        }
        if (request.getHeader("Authorization") != null) {
            http.setHeader("Authorization", request.getHeader("Authorization"));
        }
        http.setBody(new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        return http;
    }

    private static Map<String, Object> body(DemoIdp.Tokens tokens) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", tokens.accessToken());
        body.put("token_type", "Bearer");
        body.put("expires_in", tokens.expiresIn());
        body.put("scope", tokens.scope());
        if (tokens.refreshToken() != null) {
            body.put("refresh_token", tokens.refreshToken());
        }
        if (tokens.idToken() != null) {
            body.put("id_token", tokens.idToken());
        }
        return body;
    }

    private static void error(HttpServletResponse response, int status, String code) throws IOException {
        Web.json(response, status, Map.of("error", code));
    }
}
