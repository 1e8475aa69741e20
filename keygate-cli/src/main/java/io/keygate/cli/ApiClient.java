package io.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.json.Json;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.profiles.ProfileFile;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Calls a Keygate node's HTTP API the way any AWS client does: JSON bodies signed with SigV4
 * (service {@code bedrock-agentcore}) using the key from the credentials file or the environment.
 */
public final class ApiClient {
    private final URI endpoint;
    private final AwsCredentialsIdentity credentials;
    private final String region;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiClient(URI endpoint, AwsCredentialsIdentity credentials, String region) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.region = region;
    }

    /** A client for {@code endpoint} signing with {@code credentials} for {@code region}. */
    public static ApiClient create(URI endpoint, AwsCredentialsIdentity credentials, String region) {
        return new ApiClient(endpoint, credentials, region);
    }

    /** The access key of {@code profile} in an AWS shared-credentials file (the one Keygate writes). */
    public static AwsCredentialsIdentity credentials(Path file, String profile) {
        var found = ProfileFile.builder().content(file).type(ProfileFile.Type.CREDENTIALS).build()
                .profile(profile).orElseThrow(() -> new IllegalStateException("profile [" + profile + "] is not in " + file));
        return AwsCredentialsIdentity.create(found.property("aws_access_key_id").orElseThrow(),
                found.property("aws_secret_access_key").orElseThrow());
    }

    static ApiClient from(ClientOptions options) {
        String accessKeyId = System.getenv("AWS_ACCESS_KEY_ID");
        String secret = System.getenv("AWS_SECRET_ACCESS_KEY");
        if (accessKeyId == null || secret == null || options.credentialsFile != null) {
            Path file = options.credentialsFile();
            if (!Files.exists(file)) {
                throw new IllegalStateException("no credentials: " + file + " does not exist; start Keygate once with "
                        + "`./keygate serve` (it writes the file) or pass --credentials-file");
            }
            return new ApiClient(endpoint(options), credentials(file, options.profile), options.region);
        }
        return new ApiClient(endpoint(options), AwsCredentialsIdentity.create(accessKeyId, secret), options.region);
    }

    private static URI endpoint(ClientOptions options) {
        return URI.create(options.endpoint.replaceAll("/+$", ""));
    }

    /** Sends a signed request; returns the parsed JSON body (empty object for 204), or throws with the error message. */
    public JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        byte[] bytes = body == null ? new byte[0] : Json.write(body).getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(endpoint + path);
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri)
                .putHeader("Content-Type", "application/json").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(signing -> signing.identity(credentials).request(unsigned)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock-agentcore")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException refused) {
            throw new IllegalStateException("cannot reach Keygate at " + endpoint + ": is `./keygate serve` running? "
                    + "(pass --endpoint for another address)");
        }
        JsonNode parsed = response.body().isEmpty() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(response.body());
        if (response.statusCode() >= 400) {
            throw new IllegalStateException(parsed.path("__type").asText("Error") + " (HTTP " + response.statusCode() + "): "
                    + parsed.path("message").asText(response.body()));
        }
        return parsed;
    }
}
