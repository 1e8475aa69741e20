package io.keygate.oauth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.keygate.net.OutboundHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static io.keygate.oauth.jwt.InvalidJwtException.ALGORITHM_NOT_ALLOWED;
import static io.keygate.oauth.jwt.InvalidJwtException.BAD_SIGNATURE;
import static io.keygate.oauth.jwt.InvalidJwtException.EXPIRED;
import static io.keygate.oauth.jwt.InvalidJwtException.ISSUED_IN_FUTURE;
import static io.keygate.oauth.jwt.InvalidJwtException.JWKS_UNAVAILABLE;
import static io.keygate.oauth.jwt.InvalidJwtException.MALFORMED;
import static io.keygate.oauth.jwt.InvalidJwtException.MISSING_CLAIM;
import static io.keygate.oauth.jwt.InvalidJwtException.NOT_YET_VALID;
import static io.keygate.oauth.jwt.InvalidJwtException.UNKNOWN_KEY;
import static io.keygate.oauth.jwt.InvalidJwtException.UNTRUSTED_ISSUER;
import static io.keygate.oauth.jwt.InvalidJwtException.WRONG_AUDIENCE;

/**
 * Validates inbound signed JWTs (RFC 7519, RFC 7515) against a list of trusted issuers, following the
 * JWT best current practices of RFC 8725 and security.md JV-1..JV-3:
 * <ul>
 *   <li>only compact signed JWTs are accepted: unsigned ({@code alg=none}) and encrypted tokens are refused;</li>
 *   <li>the unverified {@code iss} only selects the {@link TrustedIssuer} (exact string match);</li>
 *   <li>the algorithm must be in that issuer's configured allowlist, and the key must come from that
 *       issuer's JWK set (RFC 7517) fetched through {@link OutboundHttp}; the {@code jku}, {@code x5u},
 *       {@code jwk} and {@code x5c} headers are never used;</li>
 *   <li>{@code exp} and {@code sub} are required; {@code exp}, {@code nbf} and {@code iat} are checked
 *       against the injected clock with {@link #MAX_CLOCK_SKEW}; {@code aud} must contain one of the
 *       issuer's audiences when it has any.</li>
 * </ul>
 * Every failure, including an unexpected exception, is an {@link InvalidJwtException}: the validator
 * fails closed (security.md LG-6). Thread-safe; JWK sets and discovery documents are cached per instance.
 */
public final class JwtValidator {
    /** The clock skew tolerated on {@code exp}, {@code nbf} and {@code iat} (security.md JV-3: at most 60 s). */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);
    /** Longest token accepted, in characters. */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;
    /** Longest encoded JOSE header accepted, in characters. */
    public static final int MAX_HEADER_CHARS = 4 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(JwtValidator.class);
    // The typ header is the caller's policy (RFC 9068 at+jwt); this class does not restrict it.
    private static final JOSEObjectTypeVerifier<SecurityContext> ANY_TYPE = (type, context) -> { };

    private static final EdDsaKeySupport.VerifierFactory VERIFIERS = new EdDsaKeySupport.VerifierFactory();

    private final IssuerKeySources keySources;
    private final Clock clock;

    public JwtValidator(OutboundHttp http, Clock clock) {
        this.keySources = new IssuerKeySources(Objects.requireNonNull(http, "http must not be null"));
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    /**
     * Validates {@code jwt} and returns its verified claims.
     *
     * @param jwt     the compact-serialized token, without any {@code Bearer } prefix
     * @param trusted the issuers trusted for this caller; the token's {@code iss} must equal one of them
     * @throws InvalidJwtException with a caller-safe message and a {@link InvalidJwtException#reason()}
     *                             whenever the token is not accepted, for whatever cause
     */
    public ValidatedJwt validate(String jwt, List<TrustedIssuer> trusted) {
        Objects.requireNonNull(trusted, "trusted must not be null");
        String issuerForLog = "-";
        try {
            SignedJWT signed = parse(jwt);
            TrustedIssuer issuer = select(signed, trusted);
            issuerForLog = issuer.issuer();
            JWTClaimsSet claims = verifySignature(signed, issuer);
            return checkClaims(claims, issuer);
        } catch (InvalidJwtException e) {
            LOG.debug("JWT rejected: reason={} issuer={}", e.reason(), issuerForLog);
            throw e;
        } catch (RuntimeException e) {
            LOG.debug("JWT rejected: reason={} issuer={} unexpected={}", MALFORMED, issuerForLog, e.getClass().getName());
            throw new InvalidJwtException(MALFORMED, "the token could not be validated; get a fresh token from a "
                    + "trusted issuer and try again");
        }
    }

    private static SignedJWT parse(String jwt) {
        if (jwt == null || jwt.isBlank()) {
            throw malformed("no token was given");
        }
        if (jwt.length() > MAX_TOKEN_CHARS || jwt.indexOf('.') > MAX_HEADER_CHARS) {
            throw malformed("the token is larger than accepted (" + MAX_TOKEN_CHARS + " characters, header "
                    + MAX_HEADER_CHARS + ")");
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(jwt);
        } catch (ParseException e) {
            throw malformed("the token is not a JWT in compact serialization (header.payload.signature)");
        }
        if (parsed instanceof PlainJWT) {
            throw new InvalidJwtException(ALGORITHM_NOT_ALLOWED, "unsigned tokens (alg \"none\") are never "
                    + "accepted; send a token signed by a trusted issuer");
        }
        if (parsed instanceof EncryptedJWT) {
            throw malformed("encrypted tokens (JWE) are not accepted here");
        }
        return (SignedJWT) parsed;
    }

    private static TrustedIssuer select(SignedJWT jwt, List<TrustedIssuer> trusted) {
        String iss;
        try {
            iss = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw malformed("the token payload is not a valid JWT claims set");
        }
        if (iss == null) {
            throw new InvalidJwtException(MISSING_CLAIM, "the token has no issuer (iss) claim; get a token "
                    + "from one of the trusted issuers: " + names(trusted));
        }
        for (TrustedIssuer candidate : trusted) {
            if (candidate.issuer().equals(iss)) {
                return candidate;
            }
        }
        throw new InvalidJwtException(UNTRUSTED_ISSUER, "the token's issuer (iss) is not trusted here; trusted "
                + "issuers for this workload: " + names(trusted) + "; configure the issuer as a trusted issuer of "
                + "the workload, or get a token from one of these");
    }

    private JWTClaimsSet verifySignature(SignedJWT jwt, TrustedIssuer issuer) {
        Set<JWSAlgorithm> allowed = issuer.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        if (!allowed.contains(jwt.getHeader().getAlgorithm())) {
            throw new InvalidJwtException(ALGORITHM_NOT_ALLOWED, "the token's signature algorithm (alg) is not "
                    + "accepted for issuer " + issuer.issuer() + "; accepted algorithms: " + issuer.algorithms());
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(ANY_TYPE);
        // the allowlist, not the header, decides which algorithms and key types may verify (RFC 8725 §3.1);
        // the selector is Nimbus's JWSVerificationKeySelector, extended to EdDSA keys
        processor.setJWSKeySelector(new EdDsaKeySupport.KeySelector(allowed, keySources.forIssuer(issuer)));
        processor.setJWSVerifierFactory(VERIFIERS);
        // claims are checked by checkClaims against the injected clock
        processor.setJWTClaimsSetVerifier(null);
        try {
            return processor.process(jwt, null);
        } catch (BadJOSEException e) {
            throw mapRejection(e, issuer);
        } catch (JOSEException e) {
            throw mapFailure(e, issuer);
        }
    }

    private static InvalidJwtException mapRejection(BadJOSEException e, TrustedIssuer issuer) {
        if (e instanceof BadJWSException) {
            return new InvalidJwtException(BAD_SIGNATURE, "the token's signature does not verify with the keys of "
                    + "issuer " + issuer.issuer() + "; send the token exactly as the issuer returned it");
        }
        if (e instanceof BadJWTException) {
            return malformed("the token payload is not a valid JWT claims set");
        }
        return unknownKey(issuer);
    }

    private static InvalidJwtException mapFailure(JOSEException e, TrustedIssuer issuer) {
        if (e instanceof RateLimitReachedException) {
            return unknownKey(issuer);
        }
        if (e instanceof KeySourceException) {
            return new InvalidJwtException(JWKS_UNAVAILABLE, "the signing keys of issuer " + issuer.issuer()
                    + " could not be fetched (" + e.getMessage() + "); try again later or fix the issuer's "
                    + "JWK set URL");
        }
        return new InvalidJwtException(BAD_SIGNATURE, "the token's signature could not be verified with the keys "
                + "of issuer " + issuer.issuer() + "; get a fresh token from the issuer");
    }

    private ValidatedJwt checkClaims(JWTClaimsSet claims, TrustedIssuer issuer) {
        Instant now = clock.instant();
        Instant exp = required(claims.getExpirationTime(), "exp", issuer);
        String sub = claims.getSubject();
        if (sub == null || sub.isEmpty()) {
            throw missing("sub", issuer);
        }
        if (now.isAfter(exp.plus(MAX_CLOCK_SKEW))) {
            throw new InvalidJwtException(EXPIRED, "the token expired at " + exp + "; get a fresh token from "
                    + issuer.issuer());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw new InvalidJwtException(NOT_YET_VALID, "the token is not valid before " + nbf.toInstant()
                    + "; check the clocks of the issuer " + issuer.issuer() + " and the caller, or wait");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw new InvalidJwtException(ISSUED_IN_FUTURE, "the token claims to be issued in the future, at "
                    + iat.toInstant() + "; check the clock of the issuer " + issuer.issuer());
        }
        checkAudience(claims, issuer);
        return new ValidatedJwt(claims.getIssuer(), sub, exp, claims.toJSONObject());
    }

    private static void checkAudience(JWTClaimsSet claims, TrustedIssuer issuer) {
        if (issuer.audiences().isEmpty()) {
            return;
        }
        List<String> aud = claims.getAudience();
        if (aud.stream().noneMatch(issuer.audiences()::contains)) {
            throw new InvalidJwtException(WRONG_AUDIENCE, "the token's audience (aud) does not include any of "
                    + issuer.audiences() + "; request a token for one of these audiences from " + issuer.issuer());
        }
    }

    private static Instant required(Date value, String claim, TrustedIssuer issuer) {
        if (value == null) {
            throw missing(claim, issuer);
        }
        return value.toInstant();
    }

    private static InvalidJwtException missing(String claim, TrustedIssuer issuer) {
        return new InvalidJwtException(MISSING_CLAIM, "the token has no " + claim + " claim, which is required; "
                + "configure the issuer " + issuer.issuer() + " to include it");
    }

    private static InvalidJwtException unknownKey(TrustedIssuer issuer) {
        return new InvalidJwtException(UNKNOWN_KEY, "the token's signing key (kid) is not in the JWK set of issuer "
                + issuer.issuer() + "; get a fresh token from the issuer");
    }

    private static InvalidJwtException malformed(String what) {
        return new InvalidJwtException(MALFORMED, what + "; send a signed JWT issued by a trusted issuer");
    }

    private static List<String> names(List<TrustedIssuer> trusted) {
        return trusted.stream().map(TrustedIssuer::issuer).toList();
    }
}
