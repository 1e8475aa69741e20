package io.keygate.server.extension;

import io.keygate.identity.binding.BindingLoginSettings;
import io.keygate.identity.binding.BindingPage;
import io.keygate.identity.workload.BindingLogin;
import io.keygate.identity.workload.WorkloadIdentity;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.List;

/**
 * {@code PUT} and {@code DELETE /keygate/v1/workload-identities/{name}/binding-login}: the OpenID Connect
 * client with which Keygate's binding page signs users in to complete this workload's consent sessions
 * (a Keygate extension; AgentCore needs an application callback for that). The response names the
 * return URL to give the workload and the redirect URI to register at the IdP; never the secret.
 */
public final class BindingLoginOperations {
    private BindingLoginOperations() {
    }

    /** The response body of both operations. */
    public record Response(String name, Output bindingLogin) {
        static Response of(WorkloadIdentity identity, BindingPage page) {
            BindingLogin login = identity.bindingLogin();
            return new Response(identity.name(), login == null ? null : new Output(login.discoveryUrl(), login.issuer(),
                    login.clientId(), login.scopes(), page.pageUrl(), page.callbackUrl().toString()));
        }
    }

    /**
     * @param returnUrl   what the workload (or gateway target) names as its return URL
     * @param redirectUri what to register at the IdP for {@code clientId}
     */
    public record Output(String discoveryUrl, String issuer, String clientId, List<String> scopes, String returnUrl,
                         String redirectUri) {
    }

    /** {@code PUT}: path {@code name}; body {@code discoveryUrl}, {@code clientId}, {@code clientSecret}, {@code scopes}. */
    public static final class Set implements Operation<Set.Request, Response> {
        private final BindingLoginSettings settings;
        private final BindingPage page;

        public Set(BindingLoginSettings settings, BindingPage page) {
            this.settings = settings;
            this.page = page;
        }

        /** The request; {@code clientSecret} may be omitted for a public client. */
        public record Request(String name, String discoveryUrl, String clientId, String clientSecret,
                              List<String> scopes) {
            @Override
            public String toString() {
                return "Request[name=" + name + ", clientId=" + clientId + "]";
            }
        }

        @Override
        public Class<Request> inputType() {
            return Request.class;
        }

        @Override
        public Response execute(Request input, Caller caller) {
            return Response.of(settings.configure(input.name(), new BindingLoginSettings.Request(input.discoveryUrl(),
                    input.clientId(), input.clientSecret(), input.scopes())), page);
        }
    }

    /** {@code DELETE}: path {@code name}; the workload's sessions can then be completed only by an application. */
    public static final class Remove implements Operation<Remove.Request, Response> {
        private final BindingLoginSettings settings;
        private final BindingPage page;

        public Remove(BindingLoginSettings settings, BindingPage page) {
            this.settings = settings;
            this.page = page;
        }

        /** Path {@code name}. */
        public record Request(String name) {
        }

        @Override
        public Class<Request> inputType() {
            return Request.class;
        }

        @Override
        public Response execute(Request input, Caller caller) {
            return Response.of(settings.remove(input.name()), page);
        }
    }
}
