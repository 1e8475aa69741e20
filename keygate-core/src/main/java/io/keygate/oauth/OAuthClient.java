package io.keygate.oauth;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.keygate.net.OutboundUrlException;
import io.keygate.net.OutboundUrlGuard;
import net.minidev.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLHandshakeException;

/**
 * The client side of OAuth 2.0 token endpoint calls: client credentials (RFC 6749 §4.4), authorization
 * code with PKCE (RFC 6749 §4.1.3, RFC 7636) and refresh (RFC 6749 §6), with RFC 8707 {@code resource}
 * indicators. Requests are built with the Nimbus OAuth SDK and sent by {@link TokenHttpSender}.
 *
 * <p>Every call first passes the token endpoint through {@link OutboundUrlGuard#check(URI)}; redirects
 * are never followed. Outcomes are classified for the caller (security.md TV-6, §3.4):
 * <ul>
 *   <li>2xx with tokens: {@link TokenSuccess};</li>
 *   <li>an OAuth error body (RFC 6749 §5.2), normally with 400 or 401 but also with 2xx as GitHub
 *       does: {@link TokenError}, {@link TokenError#isTerminal()} telling whether the grant is dead;</li>
 *   <li>3xx, or a 2xx/4xx body that is neither: {@link TokenError} {@value TokenError#INVALID_RESPONSE};</li>
 *   <li>429, 5xx, network failures and timeouts: {@link TransientTokenException}.</li>
 * </ul>
 * Only the endpoint host, grant type, status and error code are logged, at debug (security.md LG-1).
 */
public final class OAuthClient {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthClient.class);

    private final OutboundUrlGuard guard;
    private final Clock clock;
    private final Duration timeout;
    private final TokenHttpSender sender;

    /**
     * @param guard   decides whether a token endpoint may be contacted
     * @param clock   turns {@code expires_in} into {@link TokenSuccess#expiresAt()} and reads {@code Retry-After} dates
     * @param timeout bound for connecting and, separately, for reading the answer
     * @throws IllegalArgumentException when {@code timeout} is not positive
     */
    public OAuthClient(OutboundUrlGuard guard, Clock clock, Duration timeout) {
        this.guard = Objects.requireNonNull(guard, "guard must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        this.sender = new TokenHttpSender(timeout);
    }

    /**
     * Client credentials grant (RFC 6749 §4.4, https://www.rfc-editor.org/rfc/rfc6749#section-4.4).
     *
     * @param scopes    joined into {@code scope}; null or empty sends none
     * @param audiences each sent as an {@code audience} parameter (Auth0/Okta convention); null or empty sends none
     * @param resources each sent as an RFC 8707 {@code resource} parameter (absolute URIs without fragment,
     *                  https://www.rfc-editor.org/rfc/rfc8707#section-2); null or empty sends none
     * @throws IllegalArgumentException  when the client is public (it has no credentials to present) or a
     *                                   resource is not an absolute URI
     * @throws OutboundUrlException      when the guard refuses the token endpoint; nothing was sent
     * @throws TransientTokenException   on 429, 5xx, network failure or timeout
     */
    public TokenResponse clientCredentials(ClientRegistration client, List<String> scopes, List<String> audiences,
                                           List<String> resources) {
        Objects.requireNonNull(client, "client must not be null");
        if (client.isPublic()) {
            throw new IllegalArgumentException("the client credentials grant needs a client secret (RFC 6749 §4.4)");
        }
        Map<String, List<String>> extra = audiences == null || audiences.isEmpty()
                ? Map.of() : Map.of("audience", List.copyOf(audiences));
        return execute(client, new ClientCredentialsGrant(), scope(scopes), resourceUris(resources), extra);
    }

    /**
     * Authorization code grant (RFC 6749 §4.1.3, https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3) with
     * the PKCE {@code code_verifier} always sent (RFC 7636 §4.5, https://www.rfc-editor.org/rfc/rfc7636#section-4.5).
     *
     * @param redirectUri the {@code redirect_uri} used in the authorization request
     * @param resources   each sent as an RFC 8707 {@code resource} parameter; null or empty sends none
     * @throws IllegalArgumentException when {@code codeVerifier} is not 43–128 unreserved characters or a
     *                                  resource is not an absolute URI
     * @throws OutboundUrlException     when the guard refuses the token endpoint; nothing was sent
     * @throws TransientTokenException  on 429, 5xx, network failure or timeout
     */
    public TokenResponse authorizationCode(ClientRegistration client, String code, URI redirectUri,
                                           String codeVerifier, List<String> resources) {
        Objects.requireNonNull(client, "client must not be null");
        Objects.requireNonNull(code, "code must not be null");
        Objects.requireNonNull(redirectUri, "redirectUri must not be null");
        Objects.requireNonNull(codeVerifier, "codeVerifier must not be null");
        AuthorizationGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri,
                new CodeVerifier(codeVerifier));
        return execute(client, grant, null, resourceUris(resources), Map.of());
    }

    /**
     * Refresh token grant (RFC 6749 §6, https://www.rfc-editor.org/rfc/rfc6749#section-6). A success without
     * a {@code refresh_token} means the caller keeps the one it sent (security.md TV-5).
     *
     * @param scopes the scope to ask for; null or empty keeps the originally granted scope
     * @throws OutboundUrlException    when the guard refuses the token endpoint; nothing was sent
     * @throws TransientTokenException on 429, 5xx, network failure or timeout; when
     *                                 {@link TransientTokenException#outcomeUnknown()} the token may already be rotated
     */
    public TokenResponse refresh(ClientRegistration client, String refreshToken, List<String> scopes) {
        Objects.requireNonNull(client, "client must not be null");
        Objects.requireNonNull(refreshToken, "refreshToken must not be null");
        return execute(client, new RefreshTokenGrant(new RefreshToken(refreshToken)), scope(scopes), null, Map.of());
    }

    private TokenResponse execute(ClientRegistration client, AuthorizationGrant grant, Scope scope,
                                  List<URI> resources, Map<String, List<String>> extra) {
        URI endpoint = client.tokenEndpoint();
        guard.check(endpoint);
        HTTPRequest request = tokenRequest(client, grant, scope, resources, extra).toHTTPRequest();
        request.setAccept("application/json");
        request.setFollowRedirects(false);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        request.setConnectTimeout(millis);
        request.setReadTimeout(millis);
        String grantType = grant.getType().getValue();
        // Taken before sending so that expiresAt errs early by the request's latency, never late.
        Instant sentAt = clock.instant();
        HTTPResponse response;
        try {
            response = request.send(sender);
        } catch (IOException e) {
            throw networkFailure(endpoint.getHost(), grantType, e);
        }
        return interpret(endpoint.getHost(), grantType, response, sentAt);
    }

    private static TokenRequest tokenRequest(ClientRegistration client, AuthorizationGrant grant, Scope scope,
                                             List<URI> resources, Map<String, List<String>> extra) {
        ClientID clientId = new ClientID(client.clientId());
        if (client.isPublic()) {
            return new TokenRequest(client.tokenEndpoint(), clientId, grant, scope, resources, null, extra);
        }
        Secret secret = new Secret(client.clientSecret());
        ClientAuthentication auth = ClientRegistration.CLIENT_SECRET_POST.equals(client.authenticationMethod())
                ? new ClientSecretPost(clientId, secret)
                : new ClientSecretBasic(clientId, secret);
        return new TokenRequest(client.tokenEndpoint(), auth, grant, scope, resources, extra);
    }

    private TokenResponse interpret(String host, String grantType, HTTPResponse response, Instant sentAt) {
        int status = response.getStatusCode();
        if (status == 429 || status >= 500) {
            LOG.debug("token endpoint {} grant {}: HTTP {}, transient", host, grantType, status);
            throw new TransientTokenException("token endpoint " + host + " answered HTTP " + status, status,
                    retryAfter(response.getHeaderValue("Retry-After")), false, null);
        }
        if (status >= 300 && status < 400) {
            return logged(host, grantType, status,
                    new TokenError(TokenError.INVALID_RESPONSE, "redirect not followed", status));
        }
        JSONObject json = jsonObject(response.getBody());
        if (json != null && json.containsKey("error")) {
            return logged(host, grantType, status, oauthError(json, status));
        }
        if (status >= 200 && status < 300) {
            TokenResponse answer = json == null ? notATokenResponse(status) : success(json, status, sentAt);
            return logged(host, grantType, status, answer);
        }
        return logged(host, grantType, status, new TokenError(TokenError.INVALID_RESPONSE,
                "HTTP " + status + " without an OAuth error code", status));
    }

    private static TokenResponse success(JSONObject json, int status, Instant sentAt) {
        try {
            Tokens tokens = AccessTokenResponse.parse(json).getTokens();
            AccessToken accessToken = tokens.getAccessToken();
            Instant expiresAt = accessToken.getLifetime() > 0 ? sentAt.plusSeconds(accessToken.getLifetime()) : null;
            String scope = accessToken.getScope() == null ? null : accessToken.getScope().toString();
            RefreshToken refreshToken = tokens.getRefreshToken();
            return new TokenSuccess(accessToken.getValue(), refreshToken == null ? null : refreshToken.getValue(),
                    expiresAt, scope, JSONObjectUtils.getString(json, "id_token", null),
                    accessToken.getType().getValue());
        } catch (ParseException e) {
            return notATokenResponse(status);
        }
    }

    private static TokenError oauthError(JSONObject json, int status) {
        try {
            ErrorObject error = TokenErrorResponse.parse(json).getErrorObject();
            if (error != null && error.getCode() != null && !error.getCode().isBlank()) {
                return new TokenError(error.getCode(), error.getDescription(), status);
            }
        } catch (ParseException e) {
            // falls through: an "error" member that is not a string is not an RFC 6749 §5.2 answer
        }
        return new TokenError(TokenError.INVALID_RESPONSE, "malformed error member", status);
    }

    // Nimbus' parse messages can echo parts of the body, so the description stays generic (LG-1).
    private static TokenError notATokenResponse(int status) {
        return new TokenError(TokenError.INVALID_RESPONSE,
                "HTTP " + status + " body is not a token response (access_token, token_type, expires_in)", status);
    }

    private static JSONObject jsonObject(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            return null;
        }
    }

    private static TokenResponse logged(String host, String grantType, int status, TokenResponse response) {
        if (LOG.isDebugEnabled()) {
            String outcome = response instanceof TokenError error ? "error " + printable(error.error()) : "tokens issued";
            LOG.debug("token endpoint {} grant {}: HTTP {}, {}", host, grantType, status, outcome);
        }
        return response;
    }

    private static TransientTokenException networkFailure(String host, String grantType, IOException e) {
        boolean notSent = e instanceof HttpConnectTimeoutException || e instanceof ConnectException
                || e instanceof NoRouteToHostException || e instanceof UnknownHostException
                || e instanceof SSLHandshakeException;
        String kind;
        if (notSent) {
            kind = e instanceof HttpConnectTimeoutException ? "connect timed out" : "could not connect ("
                    + e.getClass().getSimpleName() + ")";
        } else {
            kind = (e instanceof HttpTimeoutException ? "timed out" : "failed (" + e.getClass().getSimpleName() + ")")
                    + " after the request was sent; outcome unknown";
        }
        LOG.debug("token endpoint {} grant {}: {}", host, grantType, kind);
        return new TransientTokenException("token endpoint " + host + ": " + kind, 0, null, !notSent, e);
    }

    /** Reads {@code Retry-After} as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); null when unreadable. */
    Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(trimmed));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration delay = Duration.between(clock.instant(), at);
            return delay.isNegative() ? Duration.ZERO : delay;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Scope scope(List<String> scopes) {
        return scopes == null || scopes.isEmpty() ? null : new Scope(scopes.toArray(String[]::new));
    }

    private static List<URI> resourceUris(List<String> resources) {
        return resources == null || resources.isEmpty() ? null : resources.stream().map(URI::create).toList();
    }

    private static String printable(String value) {
        return value.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
