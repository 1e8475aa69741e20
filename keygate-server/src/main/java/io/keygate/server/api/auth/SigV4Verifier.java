package io.keygate.server.api.auth;

import io.keygate.access.AccessKey;
import io.keygate.access.AccessKeyService;
import io.keygate.cache.ReadCache;
import io.keygate.cache.ResourceCaches;
import io.keygate.server.api.error.AwsErrorType;
import io.keygate.server.api.error.AwsProtocolException;
import io.keygate.server.http.ApiRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Verifies AWS Signature Version 4 on incoming requests: parses the {@code Authorization} header,
 * checks the credential scope (service {@code bedrock-agentcore}, any region), the request date
 * against the allowed clock skew, the access key, and then recomputes the signature with the AWS
 * SDK's own signer over the headers the client signed and the body as received (so an altered body
 * fails). Each failure has its own AWS error type and a message that names the fix.
 *
 * <p>A known key and its opened secret are kept for a few seconds ({@link ResourceCaches}), so a request
 * costs no database read or decryption: a key deleted on this node is refused at once, one deleted on
 * another node within the cache's TTL.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html">SigV4</a>
 */
public final class SigV4Verifier {
    public static final String SERVICE = "bedrock-agentcore";
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final AccessKeyService accessKeys;
    private final Clock clock;
    private final Duration allowedSkew;
    private final ReadCache<String, KnownKey> knownKeys;
    /**
     * The SDK's classic SigV4 signer, not {@code AwsV4HttpSigner}: the newer signer always adds and signs
     * {@code x-amz-content-sha256}, which only the Java SDK sends, so it could not reproduce the signature of
     * clients that leave it out (botocore, the AWS CLI). This one signs exactly the headers it is given.
     */
    @SuppressWarnings("deprecation")
    private static final Aws4Signer LEGACY_SIGNER = Aws4Signer.create();

    public SigV4Verifier(AccessKeyService accessKeys, Clock clock, Duration allowedSkew, ResourceCaches caches) {
        this.knownKeys = caches.byName(AccessKeyService.KIND, 10_000);
        this.accessKeys = Objects.requireNonNull(accessKeys, "accessKeys must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.allowedSkew = Objects.requireNonNull(allowedSkew, "allowedSkew must not be null");
    }

    /**
     * @throws AwsProtocolException when the request is unsigned, malformed, stale, from an unknown key or does not verify
     */
    public Caller verify(ApiRequest request) {
        String authorization = request.header("authorization").orElseThrow(() -> new AwsProtocolException(
                AwsErrorType.MissingAuthenticationTokenException, "The request is not signed: sign it with AWS "
                + "Signature Version 4 (service name " + SERVICE + ") using a Keygate access key, e.g. the [keygate] "
                + "profile of the credentials file in the Keygate data directory"));
        SigV4Authorization parsed = SigV4Authorization.parse(authorization);
        Instant date = requestDate(request, parsed);
        KnownKey known = knownKeys.get(parsed.accessKeyId(), id -> accessKeys.find(id)
                .map(key -> new KnownKey(key, accessKeys.secret(id))).orElse(null));
        if (known == null) {
            throw new AwsProtocolException(AwsErrorType.UnrecognizedClientException, "The access key id "
                    + parsed.accessKeyId() + " is not known to this Keygate: use a key from its credentials file or "
                    + "`./keygate access-keys create`");
        }
        AccessKey key = known.key();
        String expected = computeSignature(request, parsed, date, known.secret());
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                parsed.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw new AwsProtocolException(AwsErrorType.InvalidSignatureException, "The signature does not match: check the "
                    + "secret key of " + parsed.accessKeyId() + " and that the body, path, query and signed headers were "
                    + "not altered after signing");
        }
        return new Caller(key);
    }

    private Instant requestDate(ApiRequest request, SigV4Authorization parsed) {
        String amzDate = request.header("x-amz-date").orElseThrow(() -> new AwsProtocolException(
                AwsErrorType.IncompleteSignatureException, "The X-Amz-Date header is missing: SigV4 requests carry it"));
        if (!parsed.signedHeaders().contains("x-amz-date") || !parsed.signedHeaders().contains("host")) {
            throw new AwsProtocolException(AwsErrorType.IncompleteSignatureException,
                    "SignedHeaders must include host and x-amz-date");
        }
        Instant date;
        try {
            date = AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            throw new AwsProtocolException(AwsErrorType.IncompleteSignatureException,
                    "X-Amz-Date must look like 20261126T101530Z, got '" + amzDate + "'");
        }
        if (!amzDate.startsWith(parsed.date())) {
            throw new AwsProtocolException(AwsErrorType.InvalidSignatureException,
                    "The credential scope date " + parsed.date() + " does not match X-Amz-Date " + amzDate);
        }
        Duration skew = Duration.between(date, clock.instant()).abs();
        if (skew.compareTo(allowedSkew) > 0) {
            throw new AwsProtocolException(AwsErrorType.InvalidSignatureException, "Signature expired: the request was "
                    + "signed at " + amzDate + ", more than " + allowedSkew.toMinutes() + " minutes from Keygate's clock ("
                    + AMZ_DATE.format(clock.instant()) + "); sign it again and check the client's clock");
        }
        return date;
    }

    private String computeSignature(ApiRequest request, SigV4Authorization parsed, Instant date, String secret) {
        String host = request.header("host").orElse("localhost");
        SdkHttpFullRequest.Builder copy = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method()))
                .uri(URI.create("http://" + host))
                .encodedPath(request.rawPath());
        addQuery(copy, request.rawQuery());
        for (String name : parsed.signedHeaders()) {
            if (!name.equals("x-amz-date") && !name.equals("authorization")) {
                List<String> values = request.headers().get(name);
                copy.putHeader(name, values == null ? List.of("") : values);
            }
        }
        SdkHttpFullRequest signed = LEGACY_SIGNER.sign(copy.contentStreamProvider(
                ContentStreamProvider.fromByteArrayUnsafe(request.body())).build(), Aws4SignerParams.builder()
                .awsCredentials(AwsBasicCredentials.create(parsed.accessKeyId(), secret))
                .signingName(SERVICE).signingRegion(Region.of(parsed.region()))
                .signingClockOverride(Clock.fixed(date, ZoneOffset.UTC)).build());
        String recomputed = signed.firstMatchingHeader("Authorization").orElse("");
        return SigV4Authorization.parse(recomputed).signature();
    }

    private static void addQuery(SdkHttpFullRequest.Builder copy, String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            copy.appendRawQueryParameter(name, value);
        }
    }

    private static String decode(String value) {
        return java.net.URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** An access key with its opened secret. */
    private record KnownKey(AccessKey key, String secret) {
        @Override
        public String toString() {
            return "KnownKey[" + key.accessKeyId() + "]";
        }
    }

    /** The parts of a SigV4 Authorization header. */
    record SigV4Authorization(String accessKeyId, String date, String region, List<String> signedHeaders,
                              String signature) {
        static SigV4Authorization parse(String header) {
            if (!header.startsWith(ALGORITHM + " ")) {
                throw incomplete("the Authorization header must start with " + ALGORITHM);
            }
            String credential = null;
            String signedHeaders = null;
            String signature = null;
            for (String part : header.substring(ALGORITHM.length()).split(",")) {
                String item = part.trim();
                if (item.startsWith("Credential=")) {
                    credential = item.substring("Credential=".length());
                } else if (item.startsWith("SignedHeaders=")) {
                    signedHeaders = item.substring("SignedHeaders=".length());
                } else if (item.startsWith("Signature=")) {
                    signature = item.substring("Signature=".length());
                }
            }
            if (credential == null || signedHeaders == null || signature == null) {
                throw incomplete("the Authorization header needs Credential=, SignedHeaders= and Signature=");
            }
            String[] scope = credential.split("/");
            if (scope.length != 5 || !scope[4].equals("aws4_request")) {
                throw incomplete("Credential must be <access key id>/<yyyyMMdd>/<region>/" + SERVICE + "/aws4_request");
            }
            if (!scope[3].equals(SERVICE)) {
                throw new AwsProtocolException(AwsErrorType.InvalidSignatureException, "The request was signed for service '"
                        + scope[3] + "'; Keygate verifies the signing name " + SERVICE + " (the AgentCore service)");
            }
            return new SigV4Authorization(scope[0], scope[1], scope[2],
                    Arrays.asList(signedHeaders.toLowerCase(Locale.ROOT).split(";")), signature);
        }

        private static AwsProtocolException incomplete(String problem) {
            return new AwsProtocolException(AwsErrorType.IncompleteSignatureException, "Malformed SigV4 authorization: " + problem);
        }
    }
}
