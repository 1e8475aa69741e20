package io.keygate.server.http;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Router}: templates with parameters, routes that share a prefix, raw paths decoded per segment. */
class RouterTests {
    private final Router<String> router = new Router<String>()
            .add("POST", "/gateways/", "CreateGateway")
            .add("POST", "/gateways/{gatewayId}/targets/", "CreateGatewayTarget")
            .add("POST", "/gateways/{gatewayId}/synchronizeTargets", "SynchronizeGatewayTargets")
            .add("POST", "/gateways/{gatewayId}/mcp", "mcp")
            .add("GET", "/gateways/{gatewayId}/targets/{targetId}/", "GetGatewayTarget");

    @Test
    void matchWhenRoutesShareAPrefixThenTheOneWhoseWholeTemplateMatches() {
        assertThat(router.match("POST", "/gateways/gw-1/mcp")).get()
                .isEqualTo(new Router.Match<>("mcp", Map.of("gatewayId", "gw-1")));
        assertThat(router.match("POST", "/gateways/gw-1/targets/")).get()
                .extracting(Router.Match::target).isEqualTo("CreateGatewayTarget");
        assertThat(router.match("POST", "/gateways/")).get().extracting(Router.Match::target).isEqualTo("CreateGateway");
    }

    @Test
    void matchWhenAParameterIsPercentEncodedThenItIsDecodedWithinItsSegment() {
        assertThat(router.match("GET", "/gateways/arn%3Agateway%2Fgw-1/targets/t+1/")).get()
                .extracting(Router.Match::pathParameters)
                .isEqualTo(Map.of("gatewayId", "arn:gateway/gw-1", "targetId", "t+1"));
    }

    @Test
    void matchWhenTheSuffixOrASegmentDoesNotFitThenNoRoute() {
        assertThat(router.match("POST", "/gateways/gw-1/mcp/extra")).isEmpty();
        assertThat(router.match("POST", "/gateways/gw-1/x/mcp")).isEmpty();
        assertThat(router.match("POST", "/gateways//mcp")).isEmpty();
        assertThat(router.match("GET", "/gateways/gw-1/mcp")).isEmpty();
    }

    @Test
    void pathExistsWhenOnlyAnotherMethodHasThePathThenTrue() {
        assertThat(router.pathExists("/gateways/gw-1/mcp")).isTrue();
        assertThat(router.pathExists("/gateways/gw-1/unknown")).isFalse();
    }
}
