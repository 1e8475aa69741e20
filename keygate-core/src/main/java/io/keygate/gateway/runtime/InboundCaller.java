package io.keygate.gateway.runtime;

/**
 * Who called a gateway's MCP endpoint: the validated token's {@code iss}+{@code sub} (security.md
 * GW-3: nothing else identifies the user), the raw bearer token (only ever forwarded to a target that
 * explicitly asks for JWT_PASSTHROUGH), or anonymous on an authorizer-less gateway.
 *
 * @param principal  {@code jwt:{iss}|{sub}}, or {@code anonymous}
 * @param bearerToken the inbound token, or null
 */
public record InboundCaller(String principal, String issuer, String subject, String bearerToken) {

    public static InboundCaller anonymous() {
        return new InboundCaller("anonymous", null, null, null);
    }

    public boolean isAnonymous() {
        return bearerToken == null;
    }

    @Override
    public String toString() {
        return "InboundCaller[" + principal + "]";
    }
}
