package io.keygate.server.api;

import io.keygate.server.Services;
import io.keygate.server.api.auth.SigV4Verifier;
import io.keygate.server.api.control.*;
import io.keygate.server.api.data.CompleteResourceTokenAuthOperation;
import io.keygate.server.api.data.GetResourceApiKeyOperation;
import io.keygate.server.api.data.GetResourceOauth2TokenOperation;
import io.keygate.server.api.data.GetWorkloadAccessTokenForJWTOperation;
import io.keygate.server.api.data.GetWorkloadAccessTokenForUserIdOperation;
import io.keygate.server.api.data.GetWorkloadAccessTokenOperation;
import io.keygate.server.api.gateway.GatewayRoutes;
import io.keygate.server.extension.BindingLoginOperations;
import io.keygate.server.extension.InspectSessionOperation;
import io.keygate.server.extension.ListAuditEventsOperation;
import io.keygate.server.extension.SetTrustedIssuersOperation;
import io.keygate.server.extension.TargetLimitsOperations;
import io.keygate.server.extension.CreateAccessKeyOperation;
import io.keygate.server.extension.DeleteAccessKeyOperation;
import io.keygate.server.extension.KeyOperations;
import io.keygate.server.extension.ListAccessKeysOperation;
import io.keygate.server.http.RouteHandler;
import io.keygate.server.http.Router;

/**
 * The one route table of the signed API: every AWS operation (exact AWS paths) and every
 * {@code /keygate/v1} extension, with who may call it. Adding an operation is one class and one line.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_Operations.html">AgentCore Control operations</a>
 */
public final class ApiRoutes {
    private ApiRoutes() {
    }

    public static void register(Router<RouteHandler> router, Services services, SigV4Verifier verifier) {
        var arns = services.arns();
        var publicUrl = services.publicUrl();
        var oauth2 = services.oauth2Providers();
        var apiKeys = services.apiKeyProviders();
        var workloads = services.workloadIdentities();
        var vaults = services.tokenVaults();
        var accessKeys = services.accessKeys();
        var rotation = services.keyRotation();
        Table table = new Table(router, verifier);

        table.post("/identities/CreateOauth2CredentialProvider", new CreateOauth2CredentialProviderOperation(oauth2, arns, publicUrl));
        table.post("/identities/GetOauth2CredentialProvider", new GetOauth2CredentialProviderOperation(oauth2, arns, publicUrl));
        table.post("/identities/UpdateOauth2CredentialProvider", new UpdateOauth2CredentialProviderOperation(oauth2, arns, publicUrl));
        table.post("/identities/DeleteOauth2CredentialProvider", new DeleteOauth2CredentialProviderOperation(oauth2));
        table.post("/identities/ListOauth2CredentialProviders", new ListOauth2CredentialProvidersOperation(oauth2, arns));

        table.post("/identities/CreateApiKeyCredentialProvider", new CreateApiKeyCredentialProviderOperation(apiKeys, arns));
        table.post("/identities/GetApiKeyCredentialProvider", new GetApiKeyCredentialProviderOperation(apiKeys, arns));
        table.post("/identities/UpdateApiKeyCredentialProvider", new UpdateApiKeyCredentialProviderOperation(apiKeys, arns));
        table.post("/identities/DeleteApiKeyCredentialProvider", new DeleteApiKeyCredentialProviderOperation(apiKeys));
        table.post("/identities/ListApiKeyCredentialProviders", new ListApiKeyCredentialProvidersOperation(apiKeys, arns));

        table.post("/identities/CreateWorkloadIdentity", new CreateWorkloadIdentityOperation(workloads, arns));
        table.post("/identities/GetWorkloadIdentity", new GetWorkloadIdentityOperation(workloads, arns));
        table.post("/identities/UpdateWorkloadIdentity", new UpdateWorkloadIdentityOperation(workloads, arns));
        table.post("/identities/DeleteWorkloadIdentity", new DeleteWorkloadIdentityOperation(workloads));
        table.post("/identities/ListWorkloadIdentities", new ListWorkloadIdentitiesOperation(workloads, arns));

        table.post("/identities/get-token-vault", new GetTokenVaultOperation(vaults));
        table.post("/identities/set-token-vault-cmk", new SetTokenVaultCMKOperation(vaults));

        var tokens = services.workloadAccessTokens();
        table.data("/identities/GetWorkloadAccessToken", new GetWorkloadAccessTokenOperation(tokens));
        table.data("/identities/GetWorkloadAccessTokenForUserId", new GetWorkloadAccessTokenForUserIdOperation(tokens));
        table.data("/identities/GetWorkloadAccessTokenForJWT", new GetWorkloadAccessTokenForJWTOperation(tokens));
        table.data("/identities/oauth2/token", new GetResourceOauth2TokenOperation(services.resourceTokens()));
        table.data("/identities/CompleteResourceTokenAuth", new CompleteResourceTokenAuthOperation(services.completion()));
        table.data("/identities/api-key", new GetResourceApiKeyOperation(services.resourceTokens()));

        GatewayRoutes.register(router, services, verifier);

        table.add("GET", "/keygate/v1/sessions/{sessionUri}", new InspectSessionOperation(services.sessionInspector()),
                Access.DATA_PLANE);
        table.add("GET", "/keygate/v1/audit", new ListAuditEventsOperation(services.audit()), Access.ADMIN);
        table.add("PUT", "/keygate/v1/workload-identities/{name}/trusted-issuers",
                new SetTrustedIssuersOperation(workloads), Access.ADMIN);
        var bindingLogins = services.bindingLogins();
        table.add("PUT", "/keygate/v1/workload-identities/{name}/binding-login",
                new BindingLoginOperations.Set(bindingLogins, services.bindingPage()), Access.ADMIN);
        table.add("DELETE", "/keygate/v1/workload-identities/{name}/binding-login",
                new BindingLoginOperations.Remove(bindingLogins, services.bindingPage()), Access.ADMIN);
        table.add("POST", "/keygate/v1/access-keys", new CreateAccessKeyOperation(accessKeys), Access.ADMIN);
        table.add("GET", "/keygate/v1/access-keys", new ListAccessKeysOperation(accessKeys), Access.ADMIN);
        table.add("DELETE", "/keygate/v1/access-keys/{accessKeyId}", new DeleteAccessKeyOperation(accessKeys), Access.ADMIN);
        table.add("GET", "/keygate/v1/keys", new KeyOperations.GetKeyringStatusOperation(rotation), Access.ADMIN);
        table.add("POST", "/keygate/v1/keys/rotate", new KeyOperations.RotateKeysOperation(rotation), Access.ADMIN);
        table.add("GET", "/keygate/v1/gateways/{gatewayId}/targets/{targetId}/limits",
                new TargetLimitsOperations.Get(services.targetLimits()), Access.ADMIN);
        table.add("PUT", "/keygate/v1/gateways/{gatewayId}/targets/{targetId}/limits",
                new TargetLimitsOperations.Put(services.targetLimits()), Access.ADMIN);
    }

    private record Table(Router<RouteHandler> router, SigV4Verifier verifier) {
        void post(String path, Operation<?, ?> operation) {
            add("POST", path, operation, Access.ADMIN);
        }

        void data(String path, Operation<?, ?> operation) {
            add("POST", path, operation, Access.DATA_PLANE);
        }

        void add(String method, String path, Operation<?, ?> operation, Access access) {
            router.add(method, path, new OperationHandler<>(operation, access, verifier));
        }
    }
}
