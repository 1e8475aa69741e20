import { randomBytes } from 'node:crypto';
import {
  CreateGatewayCommand,
  CreateGatewayTargetCommand,
  CreateOauth2CredentialProviderCommand,
} from '@aws-sdk/client-bedrock-agentcore-control';
import { startApp } from './app.mjs';
import { launchChromium, openBrowser, signInAndConsent } from './browser.mjs';
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
/** The client with which Keygate's binding page signs users in at the same IdP. */
export const BINDING_CLIENT_ID = 'keygate-binding';

/**
 * Everything around one Keygate node: the IdP (users' JWTs, the downstream grant, the binding page's
 * sign-in), the MCP server target, the agent's web application, Debian's chromium, and the `graph`
 * OAuth2 credential provider. Gateways are made per test with `createGateway`: each owns a workload
 * identity, so each starts with an empty vault.
 */
export class Environment {
  #closers = [];

  async start() {
    const [app, target, idp, keygate, chromium] = await this.#all([startApp(), startMcpTarget(),
      startIdp({ scopes: ['graph.read'], resources: { [GATEWAY_AUDIENCE]: 'gateway' } }),
      startKeygate(), launchChromium()]);
    Object.assign(this, { app, target, idp, keygate, chromium });
    this.control = keygate.control();
    this.data = keygate.data();

    this.agentApp = {
      client_id: 'agent-app',
      client_secret: randomBytes(24).toString('base64url'),
      redirect_uris: [app.loginCallbackUrl],
    };
    await idp.registerClient(this.agentApp);
    app.connect({ idp, client: this.agentApp, identity: this.data, resource: GATEWAY_AUDIENCE, scope: 'openid gateway' });

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
    this.bindingClient = { client_id: BINDING_CLIENT_ID, client_secret: randomBytes(24).toString('base64url') };
    return this;
  }

  /**
   * A CUSTOM_JWT gateway with the `graph` target (3LO); returns the gateway's MCP URL. With
   * `builtInBinding` the target returns to Keygate's binding page, whose sign-in client is configured
   * on the gateway's workload identity; otherwise to the application's return URL.
   */
  async createGateway(name, { builtInBinding = false } = {}) {
    const gateway = await this.control.send(new CreateGatewayCommand({
      name,
      protocolType: 'MCP',
      authorizerType: 'CUSTOM_JWT',
      authorizerConfiguration: {
        customJWTAuthorizer: { discoveryUrl: this.idp.discoveryUrl, allowedAudience: [GATEWAY_AUDIENCE] },
      },
    }));
    const returnUrl = builtInBinding ? await this.#configureBindingPage(gateway) : this.app.returnUrl;
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
            defaultReturnUrl: returnUrl,
          },
        },
      }],
    }));
    if (target.status !== 'READY') {
      throw new Error(`target ${TARGET_NAME} is ${target.status}: ${target.statusReasons?.join('; ')}`);
    }
    return gateway.gatewayUrl;
  }

  // The Keygate extension: the gateway's workload identity gets the binding page's sign-in client; the
  // IdP learns its redirect URI from the answer. Returns the binding page's URL, the return URL to name.
  async #configureBindingPage(gateway) {
    const { bindingLogin } = await this.keygate.extension('PUT',
      `/keygate/v1/workload-identities/${gateway.workloadIdentityDetails.workloadIdentityArn.split('/').pop()}/binding-login`,
      { discoveryUrl: this.idp.discoveryUrl, clientId: BINDING_CLIENT_ID, clientSecret: this.bindingClient.client_secret });
    await this.idp.registerClient({ ...this.bindingClient, redirect_uris: [bindingLogin.redirectUri] });
    return bindingLogin.returnUrl;
  }

  /**
   * `username` in a browser of their own, signed in to the agent's application (at the IdP: login and
   * consent); returns the browser's page and the user's JWT for the gateway, which the app holds.
   */
  async signIn(username) {
    const browser = await openBrowser(this.chromium);
    this.#closers.push(() => browser.close());
    const landed = await signInAndConsent(browser.page, `${this.app.url}/login`, username, this.idp.issuer);
    if (!landed.url.startsWith(this.app.loginCallbackUrl) || landed.status !== 200) {
      throw new Error(`${username}'s sign-in to the app ended at ${landed.url} (${landed.status})`);
    }
    const appSession = (await browser.context.cookies(this.app.url)).find((cookie) => cookie.name === 'app_session');
    return { ...browser, username, jwt: this.app.userOf(appSession.value).jwt };
  }

  /** The user's browser opens `url` (an elicited authorization URL), signs in and consents where asked. */
  consentIn(user, url) {
    return signInAndConsent(user.page, url, user.username, this.idp.issuer);
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
