package io.keygate.server.gateway;

import io.keygate.server.TestKeygate;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Sends SigV4-signed JSON to a Keygate node, for members that SDK 2.40.3 cannot express yet (such as
 * {@code mcpServer.mcpToolSchema}, which newer SDKs send) and for Keygate's own {@code /keygate/v1}
 * routes.
 */
public record SignedJson(URI base, AwsCredentialsProvider credentials) {

    /** To {@code keygate} with its bootstrap admin key. */
    public SignedJson(TestKeygate keygate) {
        this(keygate.server().localUrl(), keygate.adminCredentials());
    }

    public record Answer(int status, String body) {
    }

    public Answer send(String method, String path, String json) throws Exception {
        URI uri = URI.create(base + path);
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri)
                .putHeader("Content-Type", "application/json").build();
        var signed = AwsV4HttpSigner.create().sign(signing -> signing
                .identity(credentials.resolveCredentials()).request(unsigned)
                .payload(ContentStreamProvider.fromUtf8String(json))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock-agentcore")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.ofString(json));
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                request.header(name, values.get(0));
            }
        });
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }
}
