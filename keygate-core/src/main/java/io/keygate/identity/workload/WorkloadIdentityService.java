package io.keygate.identity.workload;

import io.keygate.error.Validation;
import io.keygate.oauth.jwt.TrustedIssuer;
import io.keygate.store.Page;
import io.keygate.store.ResourceRepository;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Create, read, replace and delete workload identities, with the AWS validation rules.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateWorkloadIdentity.html">CreateWorkloadIdentity</a>
 */
public final class WorkloadIdentityService {
    public static final String KIND = "workload-identity";
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    static final Pattern RETURN_URL = Pattern.compile("\\w+:(/?/?)[^\\s]+");

    private final ResourceRepository<WorkloadIdentity> repository;
    private final Clock clock;

    public WorkloadIdentityService(ResourceRepository<WorkloadIdentity> repository, Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    public WorkloadIdentity create(String name, List<String> returnUrls, Map<String, String> tags) {
        Validation validation = new Validation().required("name", name, 3, 255, NAME).tags("tags", tags);
        validateReturnUrls(validation, returnUrls);
        validation.throwIfInvalid();
        var now = clock.instant();
        WorkloadIdentity identity = new WorkloadIdentity(name, returnUrls, tags, List.of(), null, now, now);
        repository.create(name, identity, null);
        return identity;
    }

    public WorkloadIdentity get(String name) {
        new Validation().required("name", name, 3, 255, NAME).throwIfInvalid();
        return repository.get(name);
    }

    /** Replaces the return-URL list (AWS semantics: the list given is the new list). */
    public WorkloadIdentity update(String name, List<String> returnUrls) {
        Validation validation = new Validation().required("name", name, 3, 255, NAME);
        validateReturnUrls(validation, returnUrls);
        validation.throwIfInvalid();
        WorkloadIdentity updated = repository.get(name).withAllowedResourceOauth2ReturnUrls(returnUrls, clock.instant());
        repository.replace(name, updated, false, null);
        return updated;
    }

    public java.util.Optional<WorkloadIdentity> find(String name) {
        return repository.find(name);
    }

    /** What a caller gives for one trusted issuer; checked here. */
    public record TrustedIssuerRequest(String issuer, String discoveryUrl, String jwksUri, List<String> audiences,
                                       List<String> algorithms) {
    }

    /** Replaces the workload's trusted JWT issuers (a Keygate extension). */
    public WorkloadIdentity setTrustedIssuers(String name, List<TrustedIssuerRequest> issuers) {
        new Validation().required("name", name, 3, 255, NAME).throwIfInvalid();
        List<TrustedIssuer> trusted = new java.util.ArrayList<>();
        for (int i = 0; i < issuers.size(); i++) {
            TrustedIssuerRequest issuer = issuers.get(i);
            String field = "trustedIssuers[" + i + "]";
            new Validation().required(field + ".issuer", issuer.issuer(), 1, 2048, null).throwIfInvalid();
            try {
                trusted.add(new TrustedIssuer(issuer.issuer(), issuer.discoveryUrl(), issuer.jwksUri(),
                        issuer.audiences(), issuer.algorithms()));
            } catch (IllegalArgumentException invalid) {
                throw io.keygate.error.Errors.invalidField(field, invalid.getMessage());
            }
        }
        WorkloadIdentity updated = repository.get(name).withTrustedIssuers(trusted, clock.instant());
        repository.replace(name, updated, false, null);
        return updated;
    }

    /**
     * Replaces the binding page's sign-in client (a Keygate extension; checked by the caller) and its
     * sealed client secret; a null {@code login} removes both.
     */
    public WorkloadIdentity setBindingLogin(String name, BindingLogin login, String clientSecret) {
        new Validation().required("name", name, 3, 255, NAME).throwIfInvalid();
        WorkloadIdentity updated = repository.get(name).withBindingLogin(login, clock.instant());
        repository.replace(name, updated, true, login == null ? null : clientSecret);
        return updated;
    }

    /** The sealed client secret of the binding page's sign-in client; empty for a public client. */
    public java.util.Optional<String> bindingLoginSecret(String name) {
        return repository.secret(name);
    }

    public void delete(String name) {
        new Validation().required("name", name, 3, 255, NAME).throwIfInvalid();
        repository.delete(name);
    }

    public Page<WorkloadIdentity> list(String nextToken, Integer maxResults) {
        new Validation().range("maxResults", maxResults, 1, 20).throwIfInvalid();
        return repository.list(nextToken, maxResults == null ? 20 : maxResults);
    }

    private static void validateReturnUrls(Validation validation, List<String> urls) {
        if (urls == null) {
            return;
        }
        for (int i = 0; i < urls.size(); i++) {
            validation.required("allowedResourceOauth2ReturnUrls[" + i + "]", urls.get(i), 1, 2048, RETURN_URL);
        }
    }
}
