package io.keygate.server;

import io.keygate.access.AccessKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SigV4 caller authentication against a real node, with requests signed by the AWS SDK's signer and
 * then altered: each failure has its own AWS error type and a message that names the fix, and no
 * error body carries a secret or the expected signature.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SigV4VerifierTests {
    private static final String BODY = "{\"maxResults\":5}";
    private final HttpClient http = HttpClient.newHttpClient();
    private TestKeygate keygate;
    private String accessKeyId;
    private String secret;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        keygate = TestKeygate.start(dataDir);
        var issued = keygate.server().services().accessKeys().create(AccessKey.Role.ADMIN, null, "sigv4 tests");
        accessKeyId = issued.accessKey().accessKeyId();
        secret = issued.secretAccessKey();
    }

    @AfterAll
    void stop() throws Exception {
        keygate.close();
    }

    private record Answer(int status, String errorType, String body) {
    }

    private Answer send(String keyId, String signingSecret, String region, String service, Instant signedAt,
                        String signedBody, String sentBody, UnaryOperator<Map<String, String>> alterHeaders) throws Exception {
        URI uri = URI.create(keygate.server().localUrl() + "/identities/ListWorkloadIdentities");
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", "application/json").build();
        var signed = AwsV4HttpSigner.create().sign(signing -> signing
                .identity(AwsCredentialsIdentity.create(keyId, signingSecret)).request(unsigned)
                .payload(ContentStreamProvider.fromUtf8String(signedBody))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        Map<String, String> headers = new HashMap<>();
        signed.request().headers().forEach((name, values) -> headers.put(name, values.get(0)));
        headers.remove("Host");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(sentBody));
        alterHeaders.apply(headers).forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        assertThat(body).doesNotContain(signingSecret).doesNotContain(secret);
        return new Answer(response.statusCode(), response.headers().firstValue("x-amzn-ErrorType").orElse(null), body);
    }

    private Answer sendValid(UnaryOperator<Map<String, String>> alterHeaders) throws Exception {
        return send(accessKeyId, secret, "us-east-1", "bedrock-agentcore", Instant.now(), BODY, BODY, alterHeaders);
    }

    @Test
    void verifyWhenCorrectlySignedInAnyRegionThenAccepted() throws Exception {
        for (String region : List.of("us-east-1", "ap-south-1", "local")) {
            Answer answer = send(accessKeyId, secret, region, "bedrock-agentcore", Instant.now(), BODY, BODY, h -> h);
            assertThat(answer.status()).as(region).isEqualTo(200);
        }
    }

    @Test
    void verifyWhenUnsignedThenMissingAuthenticationToken() throws Exception {
        Answer answer = sendValid(headers -> {
            headers.remove("Authorization");
            return headers;
        });
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorType()).isEqualTo("MissingAuthenticationTokenException");
        assertThat(answer.body()).contains("not signed").contains("credentials file");
    }

    @Test
    void verifyWhenWrongSecretThenSignatureDoesNotMatch() throws Exception {
        Answer answer = send(accessKeyId, "wrong-" + secret.substring(6), "us-east-1", "bedrock-agentcore",
                Instant.now(), BODY, BODY, h -> h);
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorType()).isEqualTo("InvalidSignatureException");
        assertThat(answer.body()).contains("signature does not match").contains("secret key");
    }

    @Test
    void verifyWhenBodyTamperedAfterSigningThenSignatureDoesNotMatch() throws Exception {
        Answer answer = send(accessKeyId, secret, "us-east-1", "bedrock-agentcore", Instant.now(), BODY,
                "{\"maxResults\":6}", h -> h);
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorType()).isEqualTo("InvalidSignatureException");
        assertThat(answer.body()).contains("body");
    }

    @Test
    void verifyWhenSignedTooLongAgoThenSignatureExpired() throws Exception {
        Answer answer = send(accessKeyId, secret, "us-east-1", "bedrock-agentcore",
                Instant.now().minus(Duration.ofMinutes(6)), BODY, BODY, h -> h);
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorType()).isEqualTo("InvalidSignatureException");
        assertThat(answer.body()).contains("Signature expired").contains("clock");
    }

    @Test
    void verifyWhenDateHeaderMissingThenIncompleteSignature() throws Exception {
        Answer answer = sendValid(headers -> {
            headers.remove("X-Amz-Date");
            return headers;
        });
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorType()).isEqualTo("IncompleteSignatureException");
        assertThat(answer.body()).contains("X-Amz-Date");
    }

    @Test
    void verifyWhenAuthorizationMalformedThenIncompleteSignature() throws Exception {
        Answer answer = sendValid(headers -> {
            headers.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKeyId);
            return headers;
        });
        assertThat(answer.errorType()).isEqualTo("IncompleteSignatureException");
        assertThat(answer.body()).contains("SignedHeaders=");
    }

    @Test
    void verifyWhenUnknownAccessKeyThenUnrecognizedClient() throws Exception {
        Answer answer = send("KGAKUNKNOWNUNKNOWN00", secret, "us-east-1", "bedrock-agentcore", Instant.now(), BODY, BODY,
                h -> h);
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorType()).isEqualTo("UnrecognizedClientException");
        assertThat(answer.body()).contains("KGAKUNKNOWNUNKNOWN00").contains("not known");
    }

    @Test
    void verifyWhenSignedForAnotherServiceThenNamesTheSigningName() throws Exception {
        Answer answer = send(accessKeyId, secret, "us-east-1", "s3", Instant.now(), BODY, BODY, h -> h);
        assertThat(answer.errorType()).isEqualTo("InvalidSignatureException");
        assertThat(answer.body()).contains("'s3'").contains("bedrock-agentcore");
    }

    @Test
    void verifyWhenWorkloadScopedKeyCallsControlPlaneThenAccessDenied() throws Exception {
        var scoped = keygate.server().services().accessKeys().create(AccessKey.Role.WORKLOAD, List.of("agent-a"), null);
        Answer answer = send(scoped.accessKey().accessKeyId(), scoped.secretAccessKey(), "us-east-1",
                "bedrock-agentcore", Instant.now(), BODY, BODY, h -> h);
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorType()).isEqualTo("AccessDeniedException");
        assertThat(answer.body()).contains("agent-a").contains("admin access key");
    }

    @Test
    void verifyWhenPathUnknownThenUnknownOperation() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(keygate.server().localUrl() + "/identities/NoSuchOperation"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("UnknownOperationException");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(new String(response.body().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .contains("/identities/NoSuchOperation");
    }

    @Test
    void verifyWhenSignedWithoutContentHashHeaderLikeBotocoreThenAccepted() throws Exception {
        String amzDate = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        URI uri = URI.create(keygate.server().localUrl() + "/identities/ListWorkloadIdentities");
        String host = uri.getHost() + ":" + uri.getPort();
        String canonical = "POST\n/identities/ListWorkloadIdentities\n\ncontent-type:application/json\nhost:" + host
                + "\nx-amz-date:" + amzDate + "\n\ncontent-type;host;x-amz-date\n" + hex(sha256(BODY));
        String scope = amzDate.substring(0, 8) + "/us-east-1/bedrock-agentcore/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical));
        byte[] key = ("AWS4" + secret).getBytes(StandardCharsets.UTF_8);
        for (String part : List.of(amzDate.substring(0, 8), "us-east-1", "bedrock-agentcore", "aws4_request")) {
            key = hmac(key, part);
        }
        String authorization = "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scope
                + ", SignedHeaders=content-type;host;x-amz-date, Signature=" + hex(hmac(key, stringToSign));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(BODY))
                .header("Content-Type", "application/json").header("X-Amz-Date", amzDate)
                .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** SigV4's primitives, written out as the spec gives them: an oracle independent of the AWS SDK for Java. */
    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
