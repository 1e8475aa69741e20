package io.keygate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * AgentCore data-plane calls as the AWS SDKs make them: JSON POSTs signed with SigV4 by the AWS SDK's
 * own signer ({@link AwsV4HttpSigner}, service {@code bedrock-agentcore}), sent with
 * {@code java.net.http}. {@link #sign} gives a request that can be sent again and again (Keygate
 * accepts a signature for its clock-skew window, five minutes), so a load loop spends its CPU on
 * sending, not on signing; callers sign again every minute.
 */
final class SignedCalls {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
    private final AwsCredentialsIdentity credentials;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    SignedCalls(AwsCredentialsIdentity credentials) {
        this.credentials = credentials;
    }

    /** A signed POST of {@code json} to {@code base + path}. */
    HttpRequest sign(URI base, String path, String json) {
        URI uri = URI.create(base + path);
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", "application/json").build();
        var signed = SIGNER.sign(signing -> signing.identity(credentials).request(unsigned)
                .payload(ContentStreamProvider.fromUtf8String(json))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock-agentcore")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                request.header(name, values.get(0));
            }
        });
        return request.build();
    }

    /** Sends a signed request; the answer as JSON, or an exception naming the status and body. */
    JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(request.uri().getPath() + " answered " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(200, response.body().length())));
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** Signs and sends. */
    JsonNode call(URI base, String path, Object body) throws IOException, InterruptedException {
        return send(sign(base, path, JSON.writeValueAsString(body)));
    }

    /** A browser's GET without following redirects: the Location header, or null. */
    String location(String url) throws IOException, InterruptedException {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.discarding());
        return response.headers().firstValue("Location").orElse(null);
    }
}
