package io.keygate.server.gateway;

import io.keygate.server.TestKeygate;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrockagentcorecontrol.BedrockAgentCoreControlClient;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.*;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway operations of the control plane driven by the real AWS SDK for Java v2
 * ({@code BedrockAgentCoreControlClient}) against a real Keygate node, with mock-oauth2-server as the
 * JWT authorizer's discovery target: shapes (ISO timestamps, URLs, ARNs), 202s, pagination, and the
 * SDK's typed exceptions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayControlPlaneIntegrationTests {
    private static final String ARN_PREFIX = "arn:aws:bedrock-agentcore:us-east-1:000000000000:";
    private TestKeygate keygate;
    private BedrockAgentCoreControlClient control;
    private MockOAuth2Server idp;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        idp = new MockOAuth2Server();
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
        keygate = TestKeygate.start(dataDir);
        control = keygate.controlClient();
    }

    @AfterAll
    void stop() throws Exception {
        control.close();
        keygate.close();
        idp.shutdown();
    }

    private CreateGatewayResponse createJwtGateway(String name) {
        return control.createGateway(r -> r.name(name).roleArn("arn:aws:iam::123456789012:role/gateway")
                .protocolType(GatewayProtocolType.MCP)
                .protocolConfiguration(p -> p.mcp(m -> m.supportedVersions("2025-06-18", "2025-11-25")
                        .instructions("Weather tools")))
                .authorizerType(AuthorizerType.CUSTOM_JWT)
                .authorizerConfiguration(a -> a.customJWTAuthorizer(jwt -> jwt
                        .discoveryUrl(idp.wellKnownUrl("default").toString())
                        .allowedAudience("weather-api").allowedClients("agent-app")
                        .customClaims(claim -> claim.inboundTokenClaimName("groups")
                                .inboundTokenClaimValueType(InboundTokenClaimValueType.STRING_ARRAY)
                                .authorizingClaimMatchValue(match -> match.claimMatchOperator(ClaimMatchOperatorType.CONTAINS)
                                        .claimMatchValue(value -> value.matchValueString("admins")))))));
    }

    @Test
    void createGatewayWhenCustomJwtThenReadyWithUrlArnTimestampsAndWorkloadIdentity() {
        Instant before = keygate.clock().instant().minusSeconds(1);
        var created = createJwtGateway("Weather-Gateway");

        assertThat(created.sdkHttpResponse().statusCode()).isEqualTo(202);
        assertThat(created.gatewayId()).matches("weather-gateway-[0-9a-z]{10}");
        assertThat(created.gatewayArn()).isEqualTo(ARN_PREFIX + "gateway/" + created.gatewayId());
        assertThat(created.gatewayUrl()).isEqualTo(keygate.server().publicUrl() + "/gateways/" + created.gatewayId() + "/mcp");
        assertThat(created.status()).isEqualTo(GatewayStatus.READY);
        assertThat(created.createdAt()).isAfter(before).isBefore(keygate.clock().instant().plusSeconds(1));
        assertThat(created.updatedAt()).isEqualTo(created.createdAt());
        assertThat(created.authorizerConfiguration().customJWTAuthorizer().allowedAudience()).containsExactly("weather-api");
        assertThat(created.authorizerConfiguration().customJWTAuthorizer().customClaims().get(0)
                .authorizingClaimMatchValue().claimMatchValue().matchValueString()).isEqualTo("admins");
        assertThat(created.protocolConfiguration().mcp().supportedVersions()).containsExactly("2025-06-18", "2025-11-25");
        String workloadArn = ARN_PREFIX + "workload-identity-directory/default/workload-identity/" + created.gatewayId();
        assertThat(created.workloadIdentityDetails().workloadIdentityArn()).isEqualTo(workloadArn);
        assertThat(control.getWorkloadIdentity(r -> r.name(created.gatewayId())).workloadIdentityArn()).isEqualTo(workloadArn);
    }

    @Test
    void getGatewayWhenIdentifiedByIdOrArnThenSameGateway() {
        var created = control.createGateway(r -> r.name("open").authorizerType(AuthorizerType.NONE)
                .protocolType(GatewayProtocolType.MCP).description("no inbound auth"));

        var byId = control.getGateway(r -> r.gatewayIdentifier(created.gatewayId()));
        var byArn = control.getGateway(r -> r.gatewayIdentifier(created.gatewayArn()));
        assertThat(byId.authorizerType()).isEqualTo(AuthorizerType.NONE);
        assertThat(byId.authorizerConfiguration()).isNull();
        assertThat(byId.description()).isEqualTo("no inbound auth");
        assertThat(byId.createdAt()).isEqualTo(created.createdAt());
        assertThat(byArn.gatewayId()).isEqualTo(created.gatewayId());
    }

    @Test
    void updateGatewayWhenFullReplaceThenNewConfigurationSameIdAndLaterUpdatedAt() {
        var created = createJwtGateway("replaced");
        keygate.clock().advance(Duration.ofSeconds(5));

        var updated = control.updateGateway(r -> r.gatewayIdentifier(created.gatewayId()).name("replaced")
                .roleArn("arn:aws:iam::123456789012:role/gateway").protocolType(GatewayProtocolType.MCP)
                .authorizerType(AuthorizerType.NONE).exceptionLevel(ExceptionLevel.DEBUG));

        assertThat(updated.sdkHttpResponse().statusCode()).isEqualTo(202);
        assertThat(updated.gatewayId()).isEqualTo(created.gatewayId());
        assertThat(updated.authorizerType()).isEqualTo(AuthorizerType.NONE);
        assertThat(updated.authorizerConfiguration()).isNull();
        assertThat(updated.protocolConfiguration()).isNull();
        assertThat(updated.exceptionLevel()).isEqualTo(ExceptionLevel.DEBUG);
        assertThat(updated.updatedAt()).isAfter(created.updatedAt());
        assertThat(control.getGateway(r -> r.gatewayIdentifier(created.gatewayId())).exceptionLevel())
                .isEqualTo(ExceptionLevel.DEBUG);
    }

    @Test
    void deleteGatewayWhenNoTargetsThenDeletingAndGoneWithItsWorkloadIdentity() {
        var created = control.createGateway(r -> r.name("short-lived").authorizerType(AuthorizerType.NONE));

        var deleted = control.deleteGateway(r -> r.gatewayIdentifier(created.gatewayArn()));

        assertThat(deleted.sdkHttpResponse().statusCode()).isEqualTo(202);
        assertThat(deleted.gatewayId()).isEqualTo(created.gatewayId());
        assertThat(deleted.status()).isEqualTo(GatewayStatus.DELETING);
        assertThatThrownBy(() -> control.getGateway(r -> r.gatewayIdentifier(created.gatewayId())))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining(created.gatewayId());
        assertThatThrownBy(() -> control.getWorkloadIdentity(r -> r.name(created.gatewayId())))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void deleteGatewayWhenTargetsRemainThenConflictSayingDeleteTargetsFirst() {
        var gateway = control.createGateway(r -> r.name("busy").authorizerType(AuthorizerType.NONE));
        var target = control.createGatewayTarget(r -> r.gatewayIdentifier(gateway.gatewayId()).name("lambda-tools")
                .targetConfiguration(t -> t.mcp(m -> m.lambda(l -> l
                        .lambdaArn("arn:aws:lambda:us-east-1:123456789012:function:tools")
                        .toolSchema(s -> s.inlinePayload(tool -> tool.name("ping").description("Ping")
                                .inputSchema(schema -> schema.type(SchemaType.OBJECT))))))));

        assertThatThrownBy(() -> control.deleteGateway(r -> r.gatewayIdentifier(gateway.gatewayId())))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining(target.targetId()).hasMessageContaining("delete its targets first");
        assertThat(control.getGateway(r -> r.gatewayIdentifier(gateway.gatewayId())).status()).isEqualTo(GatewayStatus.READY);

        control.deleteGatewayTarget(r -> r.gatewayIdentifier(gateway.gatewayId()).targetId(target.targetId()));
        assertThat(control.deleteGateway(r -> r.gatewayIdentifier(gateway.gatewayId())).status())
                .isEqualTo(GatewayStatus.DELETING);
    }

    @Test
    void createGatewayWhenInvalidThenValidationExceptionListsEveryFieldAsTheSdkNamesIt() {
        assertThatThrownBy(() -> control.createGateway(r -> r.name("bad_name!").authorizerType(AuthorizerType.CUSTOM_JWT)
                .roleArn("not-an-arn")
                .authorizerConfiguration(a -> a.customJWTAuthorizer(jwt -> jwt.discoveryUrl("https://idp.example/keys")
                        .allowedScopes("bad scope")))))
                .isInstanceOfSatisfying(ValidationException.class, error -> {
                    assertThat(error.statusCode()).isEqualTo(400);
                    assertThat(error.reason()).isEqualTo(ValidationExceptionReason.FIELD_VALIDATION_FAILED);
                    assertThat(error.fieldList()).extracting(ValidationExceptionField::name).containsExactlyInAnyOrder(
                            "name", "roleArn", "authorizerConfiguration.customJWTAuthorizer.discoveryUrl",
                            "authorizerConfiguration.customJWTAuthorizer.allowedScopes[0]");
                });
    }

    @Test
    void createGatewayWhenAwsIamOrJwtWithoutConfigurationThenValidationExceptionSayingWhatKeygateSupports() {
        assertThatThrownBy(() -> control.createGateway(r -> r.name("iam").authorizerType(AuthorizerType.AWS_IAM)))
                .isInstanceOfSatisfying(ValidationException.class, error -> {
                    assertThat(error.fieldList()).extracting(ValidationExceptionField::name).containsExactly("authorizerType");
                    assertThat(error.getMessage()).contains("Keygate supports CUSTOM_JWT and NONE");
                });
        assertThatThrownBy(() -> control.createGateway(r -> r.name("jwt").authorizerType(AuthorizerType.CUSTOM_JWT)))
                .isInstanceOfSatisfying(ValidationException.class, error -> assertThat(error.fieldList())
                        .extracting(ValidationExceptionField::name)
                        .containsExactly("authorizerConfiguration.customJWTAuthorizer"));
        assertThat(control.listGateways(r -> r.maxResults(1000)).items()).extracting(GatewaySummary::name)
                .doesNotContain("iam", "jwt");
    }

    @Test
    void getGatewayWhenUnknownThenResourceNotFoundNamingTheIdentifier() {
        assertThatThrownBy(() -> control.getGateway(r -> r.gatewayIdentifier("nobody-abcdefghij")))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, error -> {
                    assertThat(error.statusCode()).isEqualTo(404);
                    assertThat(error.getMessage()).contains("nobody-abcdefghij");
                });
        assertThatThrownBy(() -> control.deleteGateway(r -> r.gatewayIdentifier("nobody-abcdefghij")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void listGatewaysWhenPagedByTwoThenEveryGatewayOnceAndNextTokenEndsNull() {
        List<String> created = new ArrayList<>();
        for (String name : List.of("page-a", "page-b", "page-c")) {
            created.add(control.createGateway(r -> r.name(name).authorizerType(AuthorizerType.NONE)).gatewayId());
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String current = token;
            var page = control.listGateways(r -> r.maxResults(2).nextToken(current));
            assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
            page.items().forEach(item -> {
                seen.add(item.gatewayId());
                assertThat(item.status()).isEqualTo(GatewayStatus.READY);
                assertThat(item.createdAt()).isNotNull();
            });
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(seen).doesNotHaveDuplicates().containsAll(created);
        assertThat(pages).isGreaterThanOrEqualTo(2);
        assertThatThrownBy(() -> control.listGateways(r -> r.maxResults(1001)))
                .isInstanceOfSatisfying(ValidationException.class, error -> assertThat(error.fieldList())
                        .extracting(ValidationExceptionField::name).containsExactly("maxResults"));
    }
}
