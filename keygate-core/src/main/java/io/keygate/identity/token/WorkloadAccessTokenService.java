package io.keygate.identity.token;

import io.keygate.access.AccessKey;
import io.keygate.cache.ReadCache;
import io.keygate.crypto.KeyringService;
import io.keygate.error.ErrorCode;
import io.keygate.error.Errors;
import io.keygate.error.ServiceException;
import io.keygate.error.Validation;
import io.keygate.identity.principal.Hashes;
import io.keygate.identity.principal.UserPrincipal;
import io.keygate.identity.workload.WorkloadIdentity;
import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.json.Json;
import io.keygate.oauth.jwt.InvalidJwtException;
import io.keygate.oauth.jwt.JwtValidator;
import io.keygate.oauth.jwt.TrustedIssuer;
import io.keygate.oauth.jwt.ValidatedJwt;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Mints and opens workload access tokens: opaque, AEAD-sealed by the keyring, expiring, binding the
 * workload, the user principal and the proving artifact's fingerprint. {@code ForJWT} validates the
 * user's JWT against the trusted issuers of the workload identity and the global ones (JV-1..JV-3).
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/APIReference/API_GetWorkloadAccessTokenForJWT.html">GetWorkloadAccessTokenForJWT</a>
 */
public final class WorkloadAccessTokenService {
    static final String PREFIX = "kgw1.";
    private static final Duration MAX_REMEMBERED = Duration.ofSeconds(60);
    private static final String ASSOCIATED_DATA = "keygate/workload-access-token";
    private static final Pattern WORKLOAD = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9-_=]+\\.[A-Za-z0-9-_=]+\\.[A-Za-z0-9-_=]*");

    private final KeyringService keyrings;
    private final WorkloadIdentityService workloads;
    private final JwtValidator jwtValidator;
    private final List<TrustedIssuer> globalIssuers;
    private final Clock clock;
    private final Duration ttl;
    /** Opened tokens by the SHA-256 of the presented string, until they expire or for a minute at most. */
    private final ReadCache<String, WorkloadAccessToken> opened;

    public WorkloadAccessTokenService(KeyringService keyrings, WorkloadIdentityService workloads,
                                      JwtValidator jwtValidator, List<TrustedIssuer> globalIssuers, Clock clock,
                                      Duration ttl) {
        this.keyrings = Objects.requireNonNull(keyrings, "keyrings must not be null");
        this.workloads = Objects.requireNonNull(workloads, "workloads must not be null");
        this.jwtValidator = Objects.requireNonNull(jwtValidator, "jwtValidator must not be null");
        this.globalIssuers = List.copyOf(globalIssuers);
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.ttl = Objects.requireNonNull(ttl, "ttl must not be null");
        this.opened = ReadCache.untilExpiry(clock, 10_000, MAX_REMEMBERED, WorkloadAccessToken::expiresAt);
    }

    /** {@code GetWorkloadAccessToken}: a token without user, for M2M and API keys. */
    public String forWorkload(AccessKey caller, String workloadName) {
        WorkloadIdentity workload = permittedWorkload(caller, workloadName);
        return mint(workload.name(), null, null);
    }

    /** {@code GetWorkloadAccessTokenForUserId}: the caller vouches for the user id. */
    public String forUserId(AccessKey caller, String workloadName, String userId) {
        new Validation().required("userId", userId, 1, 128, null).throwIfInvalid();
        WorkloadIdentity workload = permittedWorkload(caller, workloadName);
        UserPrincipal principal = new UserPrincipal.UserId(userId);
        return mint(workload.name(), principal.key(), Hashes.sha256(principal.key()));
    }

    /** {@code GetWorkloadAccessTokenForJWT}: the user is proven by a JWT from a trusted issuer. */
    public String forJwt(AccessKey caller, String workloadName, String userToken) {
        new Validation().required("userToken", userToken, 1, 131072, JWT).throwIfInvalid();
        WorkloadIdentity workload = permittedWorkload(caller, workloadName);
        ValidatedJwt jwt = validateUserToken(workload, userToken, "userToken");
        UserPrincipal principal = new UserPrincipal.Jwt(jwt.issuer(), jwt.subject());
        return mint(workload.name(), principal.key(), Hashes.sha256(userToken));
    }

    /**
     * A token for a user the caller has already authenticated with a JWT (the gateway's inbound
     * authorizer): binds {@code jwt:{iss}|{sub}} and the exact token's fingerprint, like ForJWT.
     */
    public String forAuthenticatedJwt(AccessKey caller, String workloadName, String issuer, String subject, String rawToken) {
        WorkloadIdentity workload = permittedWorkload(caller, workloadName);
        return mint(workload.name(), new UserPrincipal.Jwt(issuer, subject).key(), Hashes.sha256(rawToken));
    }

    /**
     * Validates a user's JWT for a workload: trusted issuers of the workload identity, then global ones.
     *
     * @throws ServiceException ACCESS_DENIED naming the field and what is wrong with the token
     */
    public ValidatedJwt validateUserToken(WorkloadIdentity workload, String userToken, String field) {
        List<TrustedIssuer> trusted = new ArrayList<>(workload.trustedIssuers());
        trusted.addAll(globalIssuers);
        if (trusted.isEmpty()) {
            throw Errors.invalidField(field, "no trusted JWT issuer is configured for workload '" + workload.name()
                    + "': add one with `./keygate workloads trust " + workload.name() + " --discovery-url <issuer>/"
                    + ".well-known/openid-configuration` or trustedIssuers in the Keygate config");
        }
        try {
            return jwtValidator.validate(userToken, trusted);
        } catch (InvalidJwtException invalid) {
            throw new ServiceException(ErrorCode.ACCESS_DENIED, field + " was rejected: " + invalid.getMessage(),
                    invalid.reason(), null, null, null);
        }
    }

    private WorkloadIdentity permittedWorkload(AccessKey caller, String workloadName) {
        new Validation().required("workloadName", workloadName, 3, 255, WORKLOAD).throwIfInvalid();
        if (!caller.mayActFor(workloadName)) {
            throw Errors.accessDenied("Access key " + caller.accessKeyId() + " may act only for the workload identities "
                    + caller.workloads() + ", not for '" + workloadName + "'");
        }
        return workloads.get(workloadName);
    }

    private String mint(String workload, String principalKey, String artifactHash) {
        Instant now = clock.instant();
        WorkloadAccessToken token = new WorkloadAccessToken(workload, principalKey, artifactHash, now, now.plus(ttl));
        byte[] sealed = keyrings.seal(Json.write(token), ASSOCIATED_DATA).ciphertext();
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    /**
     * Opens a token presented as {@code workloadIdentityToken} and checks the caller may use it.
     *
     * @throws ServiceException ACCESS_DENIED when it is not a Keygate token, was altered, expired, or
     *                          belongs to a workload the caller's key may not act for
     */
    public WorkloadAccessToken open(AccessKey caller, String presented) {
        new Validation().required("workloadIdentityToken", presented, 1, 131072, null).throwIfInvalid();
        WorkloadAccessToken token = decode(presented);
        if (!clock.instant().isBefore(token.expiresAt())) {
            throw Errors.accessDenied("workloadIdentityToken expired at " + token.expiresAt()
                    + ": get a fresh one with GetWorkloadAccessToken, ForUserId or ForJWT");
        }
        if (!caller.mayActFor(token.workload())) {
            throw Errors.accessDenied("workloadIdentityToken belongs to workload '" + token.workload()
                    + "', which access key " + caller.accessKeyId() + " may not act for");
        }
        return token;
    }

    private WorkloadAccessToken decode(String presented) {
        return opened.get(Hashes.sha256(presented), unused -> open(presented));
    }

    private WorkloadAccessToken open(String presented) {
        if (!presented.startsWith(PREFIX)) {
            throw Errors.accessDenied("workloadIdentityToken is not a Keygate workload access token: "
                    + "get one from this Keygate with GetWorkloadAccessToken, ForUserId or ForJWT");
        }
        try {
            byte[] sealed = Base64.getUrlDecoder().decode(presented.substring(PREFIX.length()));
            return Json.read(keyrings.open(sealed, ASSOCIATED_DATA), WorkloadAccessToken.class);
        } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException altered) {
            throw Errors.accessDenied("workloadIdentityToken does not open: it was altered, truncated, or minted "
                    + "by another Keygate (or before its keyring was replaced)");
        }
    }

}
