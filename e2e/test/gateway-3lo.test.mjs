// The gateway's 3LO round trip with real parts only: the TypeScript MCP SDK (agent), the AWS SDK for
// JavaScript (admin and the application's callback), oidc-provider as the IdP, and Debian's chromium
// driven by playwright-core as the users' browsers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompleteResourceTokenAuthCommand } from '@aws-sdk/client-bedrock-agentcore';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UrlElicitationRequiredError } from '@modelcontextprotocol/sdk/types.js';
import { pageText } from '../lib/browser.mjs';
import { DOWNSTREAM_SCOPES, Environment, KEYGATE_CLIENT_ID, TARGET_NAME } from '../lib/environment.mjs';

const TOOL = `${TARGET_NAME}___whoami`;
const env = new Environment();

describe('gateway 3LO with the TypeScript MCP SDK and chromium', { timeout: 100_000 }, () => {
  before(() => diagnosed(() => env.start()), { timeout: 75_000 });
  after(() => env.close());

  test('the user consents once, the application binds with the bearer JWT, the target gets the user\'s own token',
    () => diagnosed(async () => {
      const gatewayUrl = await env.createGateway('alice-consents');
      const alice = await env.signIn('alice');
      assert.equal(claims(alice.jwt).sub, 'alice');

      await withMcpClient(gatewayUrl, alice.jwt, async (client) => {
        const { tools } = await client.listTools();
        assert.deepEqual(tools.map((tool) => tool.name), [TOOL]);
        const elicitation = await expectUrlElicitation(client);

        // the original bug: the application completes with the user's e-mail address
        env.app.identify = (user) => ({ userId: user.email });
        const landed = await env.consentIn(alice, elicitation.url);
        assert.ok(landed.url.startsWith(env.app.returnUrl), `the browser ended at ${landed.url}`);
        const refused = env.app.completions.at(-1);
        assert.equal(refused.error?.name, 'AccessDeniedException');
        assert.match(refused.error.message, /USER_MISMATCH/);
        assert.match(refused.error.message, /userToken/);
        assert.match(await pageText(alice.page), /USER_MISMATCH.*userIdentifier\.userToken/s);

        // fixed: the application sends its user's JWT; reloading the return URL completes the session
        env.app.identify = (user) => ({ userToken: user.jwt });
        await alice.page.reload();
        assert.match(await pageText(alice.page), /^Connected/);
        assert.equal(env.app.completions.at(-1).error, undefined);

        const seenBefore = env.target.authorizations.length;
        const downstream = await expectTargetToken(client, alice.jwt);
        const issued = await env.idp.introspect(downstream, env.keygateClient);
        assert.equal(issued.active, true);
        assert.equal(issued.sub, 'alice');
        assert.equal(issued.client_id, KEYGATE_CLIENT_ID);
        assert.deepEqual(issued.scope.split(' ').sort(), [...DOWNSTREAM_SCOPES].sort());
        const seen = env.target.authorizations.slice(seenBefore);
        assert.ok(seen.length > 0 && seen.every((header) => header === `Bearer ${downstream}`),
          `every request of the call carried alice's downstream token: ${seen.length} requests`);
      });
      assert.ok(!env.target.authorizations.some((seen) => seen?.includes(alice.jwt)), 'the inbound JWT never reached the target');
    }));

  test('another user consenting on a forwarded link cannot bind it: USER_MISMATCH, nothing stored for anyone',
    () => diagnosed(async () => {
      const gatewayUrl = await env.createGateway('bob-hijacks');
      const [alice, bob] = await Promise.all([env.signIn('alice'), env.signIn('bob')]);
      const targetRequests = env.target.authorizations.length;

      await withMcpClient(gatewayUrl, alice.jwt, async (client) => {
        const elicitation = await expectUrlElicitation(client);
        const landed = await env.consentIn(bob, elicitation.url);
        assert.ok(landed.url.startsWith(env.app.returnUrl), `the browser ended at ${landed.url}`);
        const { sessionUri, error } = env.app.completions.at(-1);
        assert.equal(error?.name, 'AccessDeniedException');
        assert.match(error.message, /USER_MISMATCH/);
        assert.match(error.message, /nothing was stored/);

        // closed for good: not even alice can bind bob's consent afterwards
        await assert.rejects(env.data.send(new CompleteResourceTokenAuthCommand({
          sessionUri, userIdentifier: { userToken: alice.jwt },
        })), (refused) => {
          assert.equal(refused.name, 'AccessDeniedException');
          assert.match(refused.message, /session failed/);
          return true;
        });
        await expectUrlElicitation(client);
      });
      await withMcpClient(gatewayUrl, bob.jwt, (client) => expectUrlElicitation(client));
      assert.equal(env.target.authorizations.length, targetRequests, 'no call reached the target');
    }));

  test('built-in binding: Keygate signs the browser user in, refuses a forwarded link and connects the originator',
    () => diagnosed(async () => {
      const gatewayUrl = await env.createGateway('built-in-binding', { builtInBinding: true });
      const [alice, bob] = await Promise.all([env.signIn('alice'), env.signIn('bob')]);
      const completionsBefore = env.app.completions.length;
      const targetRequests = env.target.authorizations.length;

      await withMcpClient(gatewayUrl, alice.jwt, async (client) => {
        // the forwarded-URL attack: bob opens alice's link, consents and is signed in as bob
        const forwarded = await expectUrlElicitation(client);
        const attack = await env.consentIn(bob, forwarded.url);
        assert.equal(attack.status, 403, `bob's browser ended at ${attack.url}`);
        assert.match(await pageText(bob.page), /^This consent belongs to another user/);
        assert.match(await pageText(bob.page), /stored nothing/);
        assert.equal(env.target.authorizations.length, targetRequests, 'no call reached the target');

        // nothing stored for alice: she is asked again, and her own consent connects her
        const own = await expectUrlElicitation(client);
        assert.notEqual(own.url, forwarded.url);
        const connected = await env.consentIn(alice, own.url);
        assert.equal(connected.status, 200, `alice's browser ended at ${connected.url}`);
        assert.match(await pageText(alice.page), /^Connected/);
        const code = new URL(alice.page.url()).searchParams.get('code');
        assert.ok(code && !(await alice.page.content()).includes(code), 'the page does not show the code (LG-1)');

        const downstream = await expectTargetToken(client, alice.jwt);
        assert.equal((await env.idp.introspect(downstream, env.keygateClient)).sub, 'alice');
      });
      // nothing for bob either, and the application's callback was never involved
      await withMcpClient(gatewayUrl, bob.jwt, (client) => expectUrlElicitation(client));
      assert.equal(env.app.completions.length, completionsBefore);
    }));
});

/** Runs `body`; a failure carries Keygate's last output lines. */
async function diagnosed(body) {
  try {
    return await body();
  } catch (error) {
    if (error instanceof Error) error.message += env.diagnostics();
    throw error;
  }
}

async function withMcpClient(gatewayUrl, jwt, use) {
  const client = new Client({ name: 'keygate-e2e-agent', version: '1.0.0' }, {
    capabilities: { elicitation: { url: {} } },
  });
  const transport = new StreamableHTTPClientTransport(new URL(gatewayUrl), {
    requestInit: { headers: { Authorization: `Bearer ${jwt}` } },
  });
  await client.connect(transport);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

/** Calls the tool, expects JSON-RPC -32042 and returns its URL elicitation. */
async function expectUrlElicitation(client) {
  const error = await client.callTool({ name: TOOL, arguments: {} }).then(
    (result) => assert.fail(`expected URL elicitation, got ${JSON.stringify(result)}`),
    (thrown) => thrown,
  );
  assert.ok(error instanceof UrlElicitationRequiredError, `expected UrlElicitationRequiredError, got ${error}`);
  assert.equal(error.code, -32042);
  const [elicitation] = error.elicitations;
  assert.equal(elicitation.mode, 'url');
  assert.match(elicitation.url, /\/identities\/oauth2\/authorize\?request_uri=/);
  return elicitation;
}

/** Calls the tool, expects success and returns the downstream token the target received (never `jwt`). */
async function expectTargetToken(client, jwt) {
  const result = await client.callTool({ name: TOOL, arguments: {} });
  assert.notEqual(result.isError, true, JSON.stringify(result));
  const { authorization } = JSON.parse(result.content[0].text);
  assert.match(authorization, /^Bearer \S+$/);
  const downstream = authorization.slice('Bearer '.length);
  assert.notEqual(downstream, jwt, 'the target must not receive the inbound JWT');
  return downstream;
}

function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}
