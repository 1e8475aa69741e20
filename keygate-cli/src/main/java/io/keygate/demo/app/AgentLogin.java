package io.keygate.demo.app;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import java.net.URI;
import java.net.URL;
import java.util.Map;

/**
 * The agent's own sign-in at the demo IdP, as any OpenID Connect relying party does it (OIDC Core
 * §3.1): discovery, authorization code with PKCE, state and nonce, the code exchanged with the client
 * secret, the ID token's signature, issuer, audience and nonce checked. The access token that comes
 * with it is the JWT the agent presents to the Keygate gateway.
 */
final class AgentLogin {
    private final Issuer issuer;
    private final ClientID clientId;
    private final Secret secret;
    private final URI callback;
    private volatile OIDCProviderMetadata metadata;
    private volatile IDTokenValidator validator;

    AgentLogin(URI issuer, String clientId, String secret, URI callback) {
        this.issuer = new Issuer(issuer);
        this.clientId = new ClientID(clientId);
        this.secret = new Secret(secret);
        this.callback = callback;
    }

    /** Where to send the browser; remembers state, nonce and verifier in the visitor's session. */
    URI start(AgentSession session) throws Exception {
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        session.beginLogin(new AgentSession.LoginAttempt(state.getValue(), nonce.getValue(), verifier.getValue()));
        return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile", "email"), clientId,
                callback).endpointURI(metadata().getAuthorizationEndpointURI()).state(state).nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI();
    }

    /**
     * The callback: the user, or an exception whose message says what went wrong (never a token).
     *
     * @throws IllegalStateException when the answer is not for this browser's login or the IdP refused it
     */
    AgentSession.User finish(AgentSession session, Map<String, String> query) throws Exception {
        AgentSession.LoginAttempt attempt = session.takeLogin();
        if (attempt == null || !attempt.state().equals(query.get("state"))) {
            throw new IllegalStateException("this sign-in answer does not belong to this browser's sign-in; start again");
        }
        if (query.get("error") != null || query.get("code") == null) {
            throw new IllegalStateException("the Demo IdP did not sign you in (" + query.getOrDefault("error", "no code") + ")");
        }
        TokenRequest request = new TokenRequest(metadata().getTokenEndpointURI(), new ClientSecretBasic(clientId, secret),
                new AuthorizationCodeGrant(new AuthorizationCode(query.get("code")), callback,
                        new CodeVerifier(attempt.codeVerifier())));
        TokenResponse response = OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
        if (!response.indicatesSuccess()) {
            throw new IllegalStateException("the Demo IdP refused the code: "
                    + response.toErrorResponse().getErrorObject().getCode());
        }
        OIDCTokenResponse tokens = (OIDCTokenResponse) response.toSuccessResponse();
        IDTokenClaimsSet claims = validator().validate(tokens.getOIDCTokens().getIDToken(), new Nonce(attempt.nonce()));
        return new AgentSession.User(claims.getSubject().getValue(), claims.getStringClaim("name"),
                claims.getStringClaim("email"), tokens.getOIDCTokens().getAccessToken().getValue());
    }

    private OIDCProviderMetadata metadata() throws Exception {
        if (metadata == null) {
            metadata = OIDCProviderMetadata.resolve(issuer);
        }
        return metadata;
    }

    private IDTokenValidator validator() throws Exception {
        if (validator == null) {
            URL jwks = metadata().getJWKSetURI().toURL();
            validator = new IDTokenValidator(issuer, clientId, JWSAlgorithm.RS256, jwks);
        }
        return validator;
    }
}
