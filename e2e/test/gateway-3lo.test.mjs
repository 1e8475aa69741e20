// The gateway's 3LO round trip driven only by official clients: the TypeScript MCP SDK (agent), the
// AWS SDK for JavaScript (admin and application), oidc-provider as the IdP, fetch as the browser.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompleteResourceTokenAuthCommand } from '@aws-sdk/client-bedrock-agentcore';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UrlElicitationRequiredError } from '@modelcontextprotocol/sdk/types.js';
import { DOWNSTREAM_SCOPES, Environment, KEYGATE_CLIENT_ID, TARGET_NAME } from '../lib/environment.mjs';
import { loginAndConsent } from '../lib/oidc.mjs';

const TOOL = `${TARGET_NAME}___whoami`;
const env = new Environment();

describe('gateway 3LO with the TypeScript MCP SDK', { timeout: 100_000 }, () => {
  before(() => diagnosed(() => env.start()), { timeout: 75_000 });
  after(() => env.close());

  test('the user consents once, the application binds with the bearer JWT, the target gets the user\'s own token',
    () => diagnosed(async () => {
      const gatewayUrl = await env.createGateway('alice-consents');
      const jwt = await env.userJwt('alice');
      assert.equal(claims(jwt).sub, 'alice');

      await withMcpClient(gatewayUrl, jwt, async (client) => {
        const { tools } = await client.listTools();
        assert.deepEqual(tools.map((tool) => tool.name), [TOOL]);

        const elicitation = await expectUrlElicitation(client);
        const page = await loginAndConsent(elicitation.url, 'alice');
        assert.ok(page.url.startsWith(env.app.returnUrl), `the browser ended at ${page.url} (${page.status}): ${page.body}`);
        const sessionUri = env.app.sessionIds.at(-1);
        assert.ok(sessionUri, 'the application received a session_id');

        await assert.rejects(complete(sessionUri, { userId: 'alice@example.com' }), (error) => {
          assert.equal(error.name, 'AccessDeniedException');
          assert.match(error.message, /USER_MISMATCH/);
          assert.match(error.message, /userToken/);
          return true;
        });
        await complete(sessionUri, { userToken: jwt });

        const seenBefore = env.target.authorizations.length;
        const result = await client.callTool({ name: TOOL, arguments: {} });
        assert.notEqual(result.isError, true, JSON.stringify(result));
        const { authorization } = JSON.parse(result.content[0].text);
        assert.match(authorization, /^Bearer \S+$/);
        const downstream = authorization.slice('Bearer '.length);
        assert.notEqual(downstream, jwt, 'the target must not receive the inbound JWT');
        const issued = await env.idp.introspect(downstream, env.keygateClient);
        assert.equal(issued.active, true);
        assert.equal(issued.sub, 'alice');
        assert.equal(issued.client_id, KEYGATE_CLIENT_ID);
        assert.deepEqual(issued.scope.split(' ').sort(), [...DOWNSTREAM_SCOPES].sort());
        const seen = env.target.authorizations.slice(seenBefore);
        assert.ok(seen.length > 0 && seen.every((header) => header === authorization),
          `every request of the call carried alice's downstream token: ${seen.length} requests`);
      });
      assert.ok(!env.target.authorizations.some((seen) => seen?.includes(jwt)), 'the inbound JWT never reached the target');
    }));

  test('another user consenting on the link cannot bind it: USER_MISMATCH, nothing stored for anyone',
    () => diagnosed(async () => {
      const gatewayUrl = await env.createGateway('bob-hijacks');
      const [aliceJwt, bobJwt] = await Promise.all([env.userJwt('alice'), env.userJwt('bob')]);
      const targetRequests = env.target.authorizations.length;

      await withMcpClient(gatewayUrl, aliceJwt, async (alice) => {
        const elicitation = await expectUrlElicitation(alice);
        const page = await loginAndConsent(elicitation.url, 'bob');
        assert.ok(page.url.startsWith(env.app.returnUrl), `the browser ended at ${page.url} (${page.status}): ${page.body}`);
        const sessionUri = env.app.sessionIds.at(-1);

        await assert.rejects(complete(sessionUri, { userToken: bobJwt }), (error) => {
          assert.equal(error.name, 'AccessDeniedException');
          assert.match(error.message, /USER_MISMATCH/);
          assert.match(error.message, /nothing was stored/);
          return true;
        });
        // Closed for good: not even alice can bind bob's consent afterwards.
        await assert.rejects(complete(sessionUri, { userToken: aliceJwt }), (error) => {
          assert.equal(error.name, 'AccessDeniedException');
          assert.match(error.message, /session failed/);
          return true;
        });

        await expectUrlElicitation(alice);
      });
      await withMcpClient(gatewayUrl, bobJwt, (bob) => expectUrlElicitation(bob));
      assert.equal(env.target.authorizations.length, targetRequests, 'no call reached the target');
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

function complete(sessionUri, userIdentifier) {
  return env.data.send(new CompleteResourceTokenAuthCommand({ sessionUri, userIdentifier }));
}

function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}
