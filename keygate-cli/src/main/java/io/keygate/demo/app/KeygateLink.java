package io.keygate.demo.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.cli.ApiClient;
import io.keygate.demo.Web;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreClient;

import java.net.URI;

/**
 * The agent application's line to Keygate, with a data-plane key scoped to the gateway's workload:
 * {@code CompleteResourceTokenAuth} through the AWS SDK for Java (as with AgentCore, only the endpoint
 * differs), and the session inspector ({@code GET /keygate/v1/sessions/{sessionUri}}, SigV4-signed).
 */
public final class KeygateLink implements AutoCloseable {
    private final BedrockAgentCoreClient data;
    private final ApiClient api;

    public KeygateLink(URI keygateUrl, AwsCredentialsIdentity key) {
        this.data = BedrockAgentCoreClient.builder().endpointOverride(keygateUrl).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(),
                        key.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create()).build();
        this.api = ApiClient.create(keygateUrl, key, Region.US_EAST_1.id());
    }

    /** Binds the consent session to the user who started it: the same JWT the agent sent to the gateway. */
    void complete(String sessionUri, String userToken) {
        data.completeResourceTokenAuth(request -> request.sessionUri(sessionUri)
                .userIdentifier(user -> user.userToken(userToken)));
    }

    /** The inspector's view of a session: status and timeline, never a token, code or state. */
    JsonNode inspect(String sessionUri) throws Exception {
        return api.call("GET", "/keygate/v1/sessions/" + Web.encode(sessionUri), null);
    }

    @Override
    public void close() {
        data.close();
    }
}
