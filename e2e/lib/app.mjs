import { createHash, randomBytes } from 'node:crypto';
import { CompleteResourceTokenAuthCommand } from '@aws-sdk/client-bedrock-agentcore';
import { listen } from './http.mjs';
import { basic } from './oidc.mjs';

/**
 * The agent's web application, as a team would write it with the AWS SDK for JavaScript:
 *
 * - `/login` signs its user in at the IdP (authorization code + PKCE; `/login/callback` redeems the
 *   code) and keeps the user's JWT for the gateway in its own session (cookie `app_session`);
 * - `/oauth/return?session_id=…` is the return URL of 3LO: it completes the session for its logged-in
 *   user with `CompleteResourceTokenAuthCommand` and shows what happened.
 *
 * `identify` chooses the `userIdentifier` it sends for a user; the default is the right one
 * (`userToken`: the user's JWT), a test may set the e-mail as `userId` (the original bug).
 * Configure it with `connect` once the IdP client and Keygate's data-plane client exist.
 */
export async function startApp() {
  const sessions = new Map(); // app_session → { sub, email, jwt }
  const pending = new Map(); // sign-in state → PKCE verifier
  const app = {
    identify: (user) => ({ userToken: user.jwt }),
    /** Every completion the return URL made: { sessionUri, error? }. */
    completions: [],
    connect({ idp, client, identity, resource, scope }) {
      Object.assign(config, { idp, client, identity, resource, scope });
    },
    /** The JWT of the user signed in with this app_session value. */
    userOf: (appSession) => sessions.get(appSession),
  };
  const config = {};

  const http = await listen(async (req, res) => {
    const url = new URL(req.url, 'http://app');
    try {
      if (url.pathname === '/login') return await login(res);
      if (url.pathname === '/login/callback') return await loginCallback(url, res);
      if (url.pathname === '/oauth/return') return await oauthReturn(req, url, res);
      res.writeHead(404).end();
    } catch (error) {
      html(res, 500, 'Application error', String(error));
    }
  });
  const loginCallbackUrl = `${http.url}/login/callback`;

  async function login(res) {
    const discovery = await (await fetch(config.idp.discoveryUrl)).json();
    const state = randomBytes(16).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    pending.set(state, verifier);
    const authorize = new URL(discovery.authorization_endpoint);
    authorize.search = new URLSearchParams({
      client_id: config.client.client_id,
      response_type: 'code',
      redirect_uri: loginCallbackUrl,
      scope: config.scope,
      resource: config.resource,
      state,
      nonce: randomBytes(16).toString('base64url'),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    res.writeHead(302, { location: authorize.href }).end();
  }

  async function loginCallback(url, res) {
    const verifier = pending.get(url.searchParams.get('state'));
    pending.delete(url.searchParams.get('state'));
    if (!verifier || !url.searchParams.get('code')) return html(res, 400, 'Sign-in failed', url.searchParams.get('error') ?? 'unknown state');
    const discovery = await (await fetch(config.idp.discoveryUrl)).json();
    const response = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { authorization: basic(config.client), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: url.searchParams.get('code'),
        redirect_uri: loginCallbackUrl,
        code_verifier: verifier,
        resource: config.resource,
      }),
    });
    const tokens = await response.json();
    if (!response.ok) return html(res, 400, 'Sign-in failed', `${tokens.error}: ${tokens.error_description}`);
    const { sub } = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString('utf8'));
    const appSession = randomBytes(24).toString('base64url');
    sessions.set(appSession, { sub, email: `${sub}@example.com`, jwt: tokens.access_token });
    res.setHeader('set-cookie', `app_session=${appSession}; Path=/; HttpOnly; SameSite=Lax`);
    html(res, 200, 'Signed in', `Signed in as ${sub}.`);
  }

  async function oauthReturn(req, url, res) {
    const user = sessions.get(cookie(req, 'app_session'));
    const sessionUri = url.searchParams.get('session_id');
    if (!user) return html(res, 401, 'Sign in first', 'This application does not know you.');
    try {
      await config.identity.send(new CompleteResourceTokenAuthCommand({ sessionUri, userIdentifier: app.identify(user) }));
      app.completions.push({ sessionUri });
      html(res, 200, 'Connected', 'You can close this window and go back to your agent.');
    } catch (error) {
      app.completions.push({ sessionUri, error });
      html(res, 403, 'Not connected', `${error.name}: ${error.message}`);
    }
  }

  return Object.assign(app, {
    url: http.url,
    returnUrl: `${http.url}/oauth/return`,
    loginCallbackUrl,
    close: () => http.close(),
  });
}

function cookie(req, name) {
  return (req.headers.cookie ?? '').split(';').map((pair) => pair.trim().split('='))
    .find(([key]) => key === name)?.[1];
}

function html(res, status, title, text) {
  const escape = (value) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
    .end(`<!doctype html><title>${escape(title)}</title><h1>${escape(title)}</h1><p>${escape(text)}</p>`);
}
