import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';
import { listen } from './http.mjs';

const MAX_HOPS = 20;

/**
 * A real OpenID Provider (oidc-provider with its development login and consent pages) on
 * http://127.0.0.1:<port>. Any login name signs in as that subject.
 *
 * `scopes` are served by the provider itself: tokens without a resource are opaque, and
 * `introspect` tells whose they are.
 *
 * `resources` maps a resource indicator (RFC 8707) to its scope: access tokens requested for it are
 * RS256 JWTs (RFC 9068) with the indicator as audience.
 *
 * Clients are added with `registerClient`, also after start: the redirect URI of Keygate's client is
 * the credential provider's callbackUrl, which exists only once the provider was created, and Keygate
 * reads this provider's discovery document when creating it.
 */
export async function startIdp({ scopes = [], resources = {} } = {}) {
  let handle = (req, res) => { res.writeHead(503).end(); };
  const http = await listen((req, res) => handle(req, res));
  const issuer = http.url;
  const adapter = memoryAdapter();

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };

  const provider = quietly(() => new Provider(issuer, {
    adapter,
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    findAccount: async (ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, email: `${sub}@example.com` }) }),
    claims: { openid: ['sub'], email: ['email'] },
    scopes: ['openid', 'offline_access', 'email', ...scopes],
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, RefreshToken: 3600, Session: 3600 },
    features: {
      devInteractions: { enabled: true },
      introspection: {
        enabled: true,
        allowedPolicy: async (ctx, client, token) => token.clientId === client.clientId,
      },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo: async (ctx, indicator) => {
          if (!resources[indicator]) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
          return {
            scope: resources[indicator],
            audience: indicator,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 600,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  }));
  handle = provider.callback();
  const discoveryUrl = `${issuer}/.well-known/openid-configuration`;
  const discover = async () => (await fetch(discoveryUrl)).json();

  return {
    issuer,
    discoveryUrl,
    /** Adds or replaces a client (snake_case client metadata). */
    async registerClient(metadata) {
      await adapter('Client').upsert(metadata.client_id, {
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        ...metadata,
      });
    },
    /**
     * An access token for `username`, obtained like an application would: authorization code with
     * PKCE, the user signing in and consenting in a browser, the code redeemed with the client secret.
     */
    async accessToken({ client, username, resource, scope }) {
      const discovery = await discover();
      const verifier = randomBytes(32).toString('base64url');
      const state = randomBytes(16).toString('base64url');
      const authorize = new URL(discovery.authorization_endpoint);
      authorize.search = new URLSearchParams({
        client_id: client.client_id,
        response_type: 'code',
        redirect_uri: client.redirect_uris[0],
        scope,
        state,
        nonce: randomBytes(16).toString('base64url'),
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      });
      if (resource) authorize.searchParams.set('resource', resource);
      const landed = await loginAndConsent(authorize.href, username, { stopAt: client.redirect_uris[0] });
      const answer = new URL(landed.url).searchParams;
      if (answer.get('state') !== state || !answer.get('code')) {
        throw new Error(`sign-in of ${username} did not return a code: ${landed.url}`);
      }
      const response = await fetch(discovery.token_endpoint, {
        method: 'POST',
        headers: {
          authorization: basic(client),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: answer.get('code'),
          redirect_uri: client.redirect_uris[0],
          code_verifier: verifier,
          ...(resource && { resource }),
        }),
      });
      const tokens = await response.json();
      if (!response.ok) throw new Error(`token endpoint answered ${response.status} ${tokens.error}: ${tokens.error_description}`);
      return tokens.access_token;
    },
    /** RFC 7662 introspection of `token`, authenticated as the client it was issued to. */
    async introspect(token, client) {
      const discovery = await discover();
      const response = await fetch(discovery.introspection_endpoint, {
        method: 'POST',
        headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }),
      });
      if (!response.ok) throw new Error(`introspection answered ${response.status}`);
      return response.json();
    },
    close: () => http.close(),
  };
}

function basic(client) {
  return `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`;
}

/**
 * The user's browser: opens `url`, follows redirects, and signs in as `username` and consents on
 * every form the identity provider shows, until a page without a form (the application's return
 * page, or an error page) or a URL starting with `stopAt` (not fetched). Each call is a new browser
 * with its own cookies, so one user never rides on another's IdP session.
 *
 * @returns {{ url: string, status?: number, body?: string }} where the browser ended
 */
export async function loginAndConsent(url, username, { stopAt } = {}) {
  const cookies = new CookieJar();
  let request = { url: new URL(url), method: 'GET' };
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (stopAt && request.url.href.startsWith(stopAt)) return { url: request.url.href };
    const response = await fetch(request.url, {
      method: request.method,
      redirect: 'manual',
      headers: { cookie: cookies.header(request.url), ...request.headers },
      body: request.body,
    });
    cookies.store(request.url, response.headers.getSetCookie());
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      request = { url: new URL(location, request.url), method: 'GET' };
      continue;
    }
    const body = await response.text();
    const form = response.ok ? parseForm(body) : undefined;
    if (!form) return { url: request.url.href, status: response.status, body };
    const fields = new URLSearchParams(form.fields);
    if (fields.has('login')) fields.set('login', username);
    if (fields.has('password')) fields.set('password', 'any');
    request = {
      url: new URL(form.action, request.url),
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    };
  }
  throw new Error(`no end after ${MAX_HOPS} hops from ${url}; last request ${request.method} ${request.url}`);
}

/** The first POST form of an HTML page: its action and its named inputs with their values. */
function parseForm(html) {
  const form = html.match(/<form\b([^>]*)>([\s\S]*?)<\/form>/i);
  if (!form || attribute(form[1], 'method')?.toLowerCase() !== 'post') return undefined;
  const fields = [...form[2].matchAll(/<input\b([^>]*)>/gi)]
    .map(([, attrs]) => [attribute(attrs, 'name'), attribute(attrs, 'value') ?? ''])
    .filter(([name]) => name);
  return { action: attribute(form[1], 'action') ?? '', fields };
}

function attribute(attrs, name) {
  const value = attrs.match(new RegExp(`\\b${name}="([^"]*)"`, 'i'))?.[1];
  return value === undefined ? undefined : decodeEntities(value);
}

function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity) => {
    const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity.toLowerCase()];
    if (named) return named;
    return String.fromCodePoint(entity[1].toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
  });
}

/** Cookies per host:port; paths and other attributes do not matter for these flows. */
class CookieJar {
  #hosts = new Map();

  header(url) {
    return [...(this.#hosts.get(url.host) ?? new Map())].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  store(url, setCookies) {
    const jar = this.#hosts.get(url.host) ?? new Map();
    this.#hosts.set(url.host, jar);
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const expired = attrs.some((attr) => {
        const [key, value = ''] = attr.trim().split('=');
        return (/^max-age$/i.test(key) && Number(value) <= 0)
          || (/^expires$/i.test(key) && Date.parse(value) <= Date.now());
      });
      if (expired) jar.delete(name);
      else jar.set(name, pair.slice(at + 1).trim());
    }
  }
}

/**
 * oidc-provider's storage contract (upsert, find, findByUid, findByUserCode, consume, destroy,
 * revokeByGrantId) on one Map per provider; expiry is not enforced, a test run is short.
 */
function memoryAdapter() {
  const store = new Map();
  return (model) => {
    const key = (id) => `${model}:${id}`;
    const findBy = (field, value) => [...store].find(([k, payload]) => k.startsWith(`${model}:`) && payload[field] === value)?.[1];
    return {
      upsert: async (id, payload) => { store.set(key(id), payload); },
      find: async (id) => store.get(key(id)),
      findByUid: async (uid) => findBy('uid', uid),
      findByUserCode: async (userCode) => findBy('userCode', userCode),
      consume: async (id) => { const payload = store.get(key(id)); if (payload) payload.consumed = Math.floor(Date.now() / 1000); },
      destroy: async (id) => { store.delete(key(id)); },
      revokeByGrantId: async (grantId) => {
        for (const [k, payload] of store) if (payload.grantId === grantId) store.delete(k);
      },
    };
  };
}

// oidc-provider warns on every start that its development login and consent pages are on; they are
// exactly what this suite wants, so only that warning is dropped.
function quietly(create) {
  const warn = console.warn;
  console.warn = (message, ...rest) => {
    if (!String(message).includes('devInteractions')) warn(message, ...rest);
  };
  try {
    return create();
  } finally {
    console.warn = warn;
  }
}
