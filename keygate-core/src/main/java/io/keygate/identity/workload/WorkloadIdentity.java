package io.keygate.identity.workload;

import io.keygate.oauth.jwt.TrustedIssuer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An agent or gateway that acts on users' behalf: the unit that holds tokens in the vault and whose
 * {@code allowedResourceOauth2ReturnUrls} govern where 3LO consent may return to. {@code trustedIssuers} is a
 * Keygate extension: the JWT issuers accepted for its users besides the global ones; {@code bindingLogin} (also an
 * extension, null when not configured) lets Keygate's binding page complete its sessions.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateWorkloadIdentity.html">CreateWorkloadIdentity</a>
 */
public record WorkloadIdentity(String name, List<String> allowedResourceOauth2ReturnUrls, Map<String, String> tags,
                               List<TrustedIssuer> trustedIssuers, BindingLogin bindingLogin, Instant createdTime,
                               Instant lastUpdatedTime) {
    public WorkloadIdentity {
        Objects.requireNonNull(name, "name must not be null");
        allowedResourceOauth2ReturnUrls = allowedResourceOauth2ReturnUrls == null ? List.of() : List.copyOf(allowedResourceOauth2ReturnUrls);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        trustedIssuers = trustedIssuers == null ? List.of() : List.copyOf(trustedIssuers);
    }

    public WorkloadIdentity withAllowedResourceOauth2ReturnUrls(List<String> urls, Instant now) {
        return new WorkloadIdentity(name, urls, tags, trustedIssuers, bindingLogin, createdTime, now);
    }

    /** A Keygate extension: the JWT issuers whose tokens prove users of this workload. */
    public WorkloadIdentity withTrustedIssuers(List<TrustedIssuer> issuers, Instant now) {
        return new WorkloadIdentity(name, allowedResourceOauth2ReturnUrls, tags, issuers, bindingLogin, createdTime, now);
    }

    /** A Keygate extension: the sign-in client of the binding page, or null to remove it. */
    public WorkloadIdentity withBindingLogin(BindingLogin login, Instant now) {
        return new WorkloadIdentity(name, allowedResourceOauth2ReturnUrls, tags, trustedIssuers, login, createdTime, now);
    }
}
