package io.keygate.server.extension;

import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.oauth.jwt.TrustedIssuer;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.List;

/**
 * {@code PUT /keygate/v1/workload-identities/{name}/trusted-issuers}: the JWT issuers whose tokens
 * {@code GetWorkloadAccessTokenForJWT} and {@code CompleteResourceTokenAuth} accept for this workload
 * (a Keygate extension: AgentCore ties this to the runtime or gateway authorizer).
 */
public final class SetTrustedIssuersOperation
        implements Operation<SetTrustedIssuersOperation.Request, SetTrustedIssuersOperation.Response> {
    private final WorkloadIdentityService workloads;

    public SetTrustedIssuersOperation(WorkloadIdentityService workloads) {
        this.workloads = workloads;
    }

    /** Path {@code name}; body {@code trustedIssuers}. */
    public record Request(String name, List<TrustedIssuerInput> trustedIssuers) {
    }

    /** One issuer as given: {@code issuer} plus {@code discoveryUrl} or {@code jwksUri}. */
    public record TrustedIssuerInput(String issuer, String discoveryUrl, String jwksUri, List<String> audiences,
                                     List<String> algorithms) {
    }

    /** The response body. */
    public record Response(String name, List<TrustedIssuer> trustedIssuers) {
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public Response execute(Request input, Caller caller) {
        var updated = workloads.setTrustedIssuers(input.name(), input.trustedIssuers() == null ? List.of()
                : input.trustedIssuers().stream().map(issuer -> new WorkloadIdentityService.TrustedIssuerRequest(
                issuer.issuer(), issuer.discoveryUrl(), issuer.jwksUri(), issuer.audiences(), issuer.algorithms()))
                .toList());
        return new Response(updated.name(), updated.trustedIssuers());
    }
}
