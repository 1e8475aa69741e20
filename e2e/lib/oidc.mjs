import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';
import { listen } from './http.mjs';

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

/** RFC 6749 §2.3.1 client authentication. */
export function basic(client) {
  return `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`;
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
