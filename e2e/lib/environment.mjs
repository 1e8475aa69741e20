import { randomBytes } from 'node:crypto';
import {
  CreateGatewayCommand,
  CreateGatewayTargetCommand,
  CreateOauth2CredentialProviderCommand,
} from '@aws-sdk/client-bedrock-agentcore-control';
import { startApp } from './app.mjs';
import { startKeygate } from './keygate.mjs';
import { startMcpTarget, TARGET_TOOLS } from './mcp-target.mjs';
import { startIdp } from './oidc.mjs';

/** The audience of the users' JWTs that the gateway accepts (RFC 8707 resource indicator). */
export const GATEWAY_AUDIENCE = 'urn:keygate:e2e:gateway';
/**
 * What the target asks the user to grant. The IdP serves `graph.read` itself, so the downstream token
 * is opaque and the test asks the IdP (introspection) whose it is. `openid` because Keygate always
 * sends a nonce, which OpenID Providers refuse without it; a token bound to a resource (RFC 8707) is
 * not used because its granted scope leaves out `openid`, and Keygate then asks for consent again.
 */
export const DOWNSTREAM_SCOPES = ['openid', 'graph.read'];
/** Keygate's client at the IdP, and the credential provider that holds it. */
export const KEYGATE_CLIENT_ID = 'keygate';
export const TARGET_NAME = 'graph';

/**
 * Everything around one Keygate node: the IdP (users' JWTs and the downstream grant), the MCP server
 * target, the application's return URL, and the `graph` OAuth2 credential provider. Gateways are made
 * per test with `createGateway`: each owns a workload identity, so each starts with an empty vault.
 */
export class Environment {
  #closers = [];

  async start() {
    const [app, target, idp, keygate] = await this.#all([startApp(), startMcpTarget(),
      startIdp({ scopes: ['graph.read'], resources: { [GATEWAY_AUDIENCE]: 'gateway' } }),
      startKeygate()]);
    Object.assign(this, { app, target, idp, keygate });
    this.control = keygate.control();
    this.data = keygate.data();

    this.agentApp = {
      client_id: 'agent-app',
      client_secret: randomBytes(24).toString('base64url'),
      redirect_uris: [app.loginCallbackUrl],
    };
    await idp.registerClient(this.agentApp);

    // Keygate reads the IdP's discovery document now; the IdP learns Keygate's redirect URI after.
    this.keygateClient = { client_id: KEYGATE_CLIENT_ID, client_secret: randomBytes(24).toString('base64url') };
    this.provider = await this.control.send(new CreateOauth2CredentialProviderCommand({
      name: TARGET_NAME,
      credentialProviderVendor: 'CustomOauth2',
      oauth2ProviderConfigInput: {
        customOauth2ProviderConfig: {
          oauthDiscovery: { discoveryUrl: idp.discoveryUrl },
          clientId: KEYGATE_CLIENT_ID,
          clientSecret: this.keygateClient.client_secret,
        },
      },
    }));
    this.keygateClient.redirect_uris = [this.provider.callbackUrl];
    await idp.registerClient(this.keygateClient);
    return this;
  }

  /** A CUSTOM_JWT gateway with the `graph` target (3LO); returns the gateway's MCP URL. */
  async createGateway(name) {
    const gateway = await this.control.send(new CreateGatewayCommand({
      name,
      protocolType: 'MCP',
      authorizerType: 'CUSTOM_JWT',
      authorizerConfiguration: {
        customJWTAuthorizer: { discoveryUrl: this.idp.discoveryUrl, allowedAudience: [GATEWAY_AUDIENCE] },
      },
    }));
    const target = await this.control.send(new CreateGatewayTargetCommand({
      gatewayIdentifier: gateway.gatewayId,
      name: TARGET_NAME,
      targetConfiguration: {
        mcp: {
          mcpServer: {
            endpoint: this.target.endpoint,
            mcpToolSchema: { inlinePayload: JSON.stringify({ tools: TARGET_TOOLS }) },
          },
        },
      },
      credentialProviderConfigurations: [{
        credentialProviderType: 'OAUTH',
        credentialProvider: {
          oauthCredentialProvider: {
            providerArn: this.provider.credentialProviderArn,
            scopes: DOWNSTREAM_SCOPES,
            grantType: 'AUTHORIZATION_CODE',
            defaultReturnUrl: this.app.returnUrl,
          },
        },
      }],
    }));
    if (target.status !== 'READY') {
      throw new Error(`target ${TARGET_NAME} is ${target.status}: ${target.statusReasons?.join('; ')}`);
    }
    return gateway.gatewayUrl;
  }

  /** A user's JWT for the gateway, from the IdP after sign-in and consent, as the agent's app gets it. */
  userJwt(username) {
    return this.idp.accessToken({ client: this.agentApp, username, resource: GATEWAY_AUDIENCE, scope: 'openid gateway' });
  }

  /** Keygate's last output lines, to attach to a failure. */
  diagnostics() {
    return this.keygate ? `\n--- Keygate output (tail) ---\n${this.keygate.tail()}` : '';
  }

  async close() {
    this.control?.destroy();
    this.data?.destroy();
    const closers = this.#closers.splice(0).reverse();
    for (const close of closers) await close().catch(() => {});
  }

  // Waits for all starts, so each one that succeeded is closed later even if another failed.
  async #all(starts) {
    const results = await Promise.allSettled(starts);
    for (const result of results) {
      if (result.status === 'fulfilled') {
        const started = result.value;
        this.#closers.push(() => (started.stop ?? started.close).call(started));
      }
    }
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return results.map((result) => result.value);
  }
}
