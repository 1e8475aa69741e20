package io.keygate.server;

import io.keygate.access.AccessKeyService;
import io.keygate.gateway.runtime.GatewayRuntime;
import io.keygate.audit.AuditLog;
import io.keygate.gateway.GatewayService;
import io.keygate.gateway.GatewayTargetService;
import io.keygate.identity.binding.BindingLoginSettings;
import io.keygate.identity.binding.BindingPage;
import io.keygate.gateway.TargetLimitsService;
import io.keygate.identity.session.AuthorizationFrontChannel;
import io.keygate.identity.session.CallbackHandler;
import io.keygate.identity.session.SessionCompletion;
import io.keygate.identity.session.SessionInspector;
import io.keygate.identity.token.ResourceTokenService;
import io.keygate.identity.token.WorkloadAccessTokenService;
import io.keygate.identity.vault.UserTokenVault;
import io.keygate.config.Arns;
import io.keygate.crypto.KeyringService;
import io.keygate.identity.provider.ApiKeyCredentialProviderService;
import io.keygate.identity.provider.Oauth2CredentialProviderService;
import io.keygate.identity.vault.TokenVaultService;
import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.server.extension.KeyRotation;

import java.net.URI;
import java.util.function.Supplier;

/**
 * The core services of one node, built by {@link KeygateServer} and handed to the route tables.
 *
 * @param publicUrl the base URL users and IdPs reach this node at (known once the port is bound)
 */
public record Services(Arns arns, Supplier<URI> publicUrl, KeyringService keyrings, KeyRotation keyRotation,
                       AccessKeyService accessKeys, Oauth2CredentialProviderService oauth2Providers,
                       ApiKeyCredentialProviderService apiKeyProviders, WorkloadIdentityService workloadIdentities,
                       TokenVaultService tokenVaults, AuditLog audit, WorkloadAccessTokenService workloadAccessTokens,
                       ResourceTokenService resourceTokens, UserTokenVault userTokenVault,
                       AuthorizationFrontChannel frontChannel, CallbackHandler callbacks, SessionCompletion completion,
                       SessionInspector sessionInspector, GatewayService gateways,
                       GatewayTargetService gatewayTargets, GatewayRuntime gatewayRuntime, BindingPage bindingPage,
                       BindingLoginSettings bindingLogins, TargetLimitsService targetLimits) {
}
