package io.keygate.identity.binding;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.keygate.identity.session.FrontChannelResult.Page;
import io.keygate.identity.workload.BindingLogin;
import io.keygate.net.OutboundUrlException;
import io.keygate.oauth.ClientRegistration;
import io.keygate.oauth.OAuthClient;
import io.keygate.oauth.TokenError;
import io.keygate.oauth.TokenResponse;
import io.keygate.oauth.TokenSuccess;
import io.keygate.oauth.TransientTokenException;
import io.keygate.oauth.jwt.InvalidJwtException;
import io.keygate.oauth.jwt.JwtValidator;
import io.keygate.oauth.jwt.TrustedIssuer;
import io.keygate.oauth.jwt.ValidatedJwt;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The binding page's OpenID Connect sign-in (authorization code flow): the authentication request with
 * PKCE S256, {@code state} and {@code nonce}; then the IdP's answer: RFC 9207 {@code iss} compared exactly
 * (CF-5), the code redeemed with the PKCE verifier (CF-3), and the ID token validated — signature by the
 * IdP's JWKS, {@code iss}, {@code aud} = the client, {@code azp} when there are several audiences,
 * {@code exp}, {@code iat}, and {@code nonce} equal to this attempt's (CF-4, JV-*). Its verified
 * {@code iss}+{@code sub} is who the browser user is.
 *
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation">OpenID Connect Core §3.1.3.7</a>
 */
final class BindingSignIn {
    private final OAuthClient oauth;
    private final JwtValidator jwtValidator;

    BindingSignIn(OAuthClient oauth, JwtValidator jwtValidator) {
        this.oauth = Objects.requireNonNull(oauth, "oauth must not be null");
        this.jwtValidator = Objects.requireNonNull(jwtValidator, "jwtValidator must not be null");
    }

    /** How the sign-in ended. */
    sealed interface Outcome permits SignedIn, Refused {
    }

    /** The browser user, from a verified ID token. */
    record SignedIn(String issuer, String subject) implements Outcome {
    }

    /** The page to show, and a short reason for the audit log (never a token or code). */
    record Refused(Page page, String reason) implements Outcome {
    }

    URI authenticationRequest(BindingLogin login, URI redirectUri, String state, String codeVerifier, String nonce) {
        return new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(login.clientId()))
                .endpointURI(URI.create(login.authorizationEndpoint()))
                .redirectionURI(redirectUri)
                .scope(new Scope(login.scopes().toArray(String[]::new)))
                .state(new State(state))
                .codeChallenge(new CodeVerifier(codeVerifier), CodeChallengeMethod.S256)
                .customParameter("nonce", nonce)
                .build().toURI();
    }

    /** The IdP's answer at the redirect URI, for an attempt whose state and browser were already checked. */
    Outcome finish(BindingLogin login, String clientSecret, URI redirectUri, Map<String, String> parameters,
                   BindingAttempts.AttemptSecrets secrets) {
        String iss = parameters.get("iss");
        if (iss != null ? !iss.equals(login.issuer()) : login.issParameterSupported()) {
            return new Refused(BindingPages.wrongIssuer(), "ISSUER_MISMATCH");
        }
        if (parameters.get("error") != null) {
            String error = TokenError.safeText(parameters.get("error"));
            return new Refused(BindingPages.identityProviderRefused(error), "IDP_ERROR " + error);
        }
        String code = parameters.get("code");
        if (code == null || code.isEmpty()) {
            return new Refused(BindingPages.identityProviderRefused("no code"), "IDP_ERROR missing_code");
        }
        TokenResponse response;
        try {
            response = oauth.authorizationCode(new ClientRegistration(login.clientId(), clientSecret,
                    login.authenticationMethod(), URI.create(login.tokenEndpoint())), code, redirectUri,
                    secrets.codeVerifier(), List.of());
        } catch (TransientTokenException | OutboundUrlException unavailable) {
            return new Refused(BindingPages.identityProviderUnavailable(), "TOKEN_ENDPOINT_UNAVAILABLE");
        }
        if (response instanceof TokenError error) {
            String refused = TokenError.safeText(error.error());
            return new Refused(BindingPages.identityProviderRefused(refused), "CODE_EXCHANGE_REFUSED " + refused);
        }
        return verifyIdToken(login, ((TokenSuccess) response).idToken(), secrets.nonce());
    }

    private Outcome verifyIdToken(BindingLogin login, String idToken, String nonce) {
        if (idToken == null) {
            return notVerified("The identity provider returned no ID token; the binding client must use the openid scope.");
        }
        ValidatedJwt token;
        try {
            token = jwtValidator.validate(idToken, List.of(new TrustedIssuer(login.issuer(), null, login.jwksUri(),
                    List.of(login.clientId()), null)));
        } catch (InvalidJwtException invalid) {
            return notVerified("The ID token was rejected: " + invalid.getMessage() + ".");
        }
        Map<String, Object> claims = token.claims();
        if (!nonce.equals(claims.get("nonce"))) {
            return notVerified("The ID token's nonce does not match this sign-in (OpenID Connect Core §3.1.3.7).");
        }
        if (claims.get("iat") == null) {
            return notVerified("The ID token has no iat claim (OpenID Connect Core §2).");
        }
        Object audience = claims.get("aud");
        if (audience instanceof List<?> audiences && audiences.size() > 1 && !login.clientId().equals(claims.get("azp"))) {
            return notVerified("The ID token has several audiences but its azp is not this client.");
        }
        return new SignedIn(token.issuer(), token.subject());
    }

    private static Refused notVerified(String why) {
        return new Refused(BindingPages.signInNotVerified(why), "INVALID_ID_TOKEN");
    }
}
