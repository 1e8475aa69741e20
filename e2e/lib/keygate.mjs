import { spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { BedrockAgentCoreControlClient } from '@aws-sdk/client-bedrock-agentcore-control';
import { fromIni } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const KEYGATE_JAR = process.env.KEYGATE_JAR ?? join(REPO, 'keygate-cli', 'target', 'keygate.jar');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const TAIL_LINES = 80;

// A node that outlives the test process would keep its port and data directory; kill and remove
// what is left when the process exits or is interrupted (node --test sends SIGTERM on cancel).
const running = new Map();
function killAll() {
  for (const [child, dataDir] of running) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
  running.clear();
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

/**
 * Starts `keygate serve --port 0` from the fat jar on a fresh data directory and waits until it
 * listens and has written its admin credentials.
 */
export async function startKeygate() {
  if (!existsSync(KEYGATE_JAR)) {
    throw new Error(`${KEYGATE_JAR} is missing; build it first: `
      + `cd ${REPO} && mvn -B -q -o -Dmaven.test.skip=true install (or set KEYGATE_JAR)`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'keygate-e2e-'));
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const child = spawn(java, ['-jar', KEYGATE_JAR, 'serve', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, KEYGATE_MASTER_KEY: randomBytes(32).toString('base64') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.set(child, dataDir);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    running.delete(child);
    resolve({ code, signal });
  }));

  const lines = [];
  const ready = {};
  const seen = new Promise((resolve, reject) => {
    child.once('error', reject);
    exited.then(({ code, signal }) => reject(new Error(`Keygate exited during start-up (code ${code}, signal ${signal})`)));
    const collect = (stream) => {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop();
        for (const line of parts) {
          lines.push(line);
          if (lines.length > TAIL_LINES) lines.shift();
          ready.url ??= line.match(/^Keygate listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1];
          ready.credentials ??= line.match(/^Credentials file: (.+?) \(profile \[keygate\]\)/)?.[1];
          if (ready.url && ready.credentials) resolve();
        }
      });
    };
    collect(child.stdout);
    collect(child.stderr);
  });
  seen.catch(() => {});

  const node = {
    url: undefined,
    dataDir,
    credentialsFile: undefined,
    /** The last lines Keygate wrote to stdout and stderr, for failure diagnostics. */
    tail: () => lines.join('\n'),
    control() {
      return new BedrockAgentCoreControlClient(clientConfig(node));
    },
    data() {
      return new BedrockAgentCoreClient(clientConfig(node));
    },
    /** A SigV4-signed JSON call to a Keygate extension under /keygate/v1 (no AWS SDK has these). */
    async extension(method, path, body) {
      return signedJson(node, method, path, body);
    },
    async stop() {
      running.delete(child);
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };

  let timer;
  try {
    await Promise.race([seen, new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Keygate did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    })]);
  } catch (error) {
    await node.stop();
    error.message += `\n--- Keygate output (last ${TAIL_LINES} lines) ---\n${node.tail()}`;
    throw error;
  } finally {
    clearTimeout(timer);
  }
  node.url = ready.url;
  node.credentialsFile = ready.credentials;
  return node;
}

async function signedJson(node, method, path, body) {
  const url = new URL(path, node.url);
  const signer = new SignatureV4({
    service: 'bedrock-agentcore',
    region: 'us-east-1',
    credentials: clientConfig(node).credentials,
    sha256: Sha256,
  });
  const payload = body === undefined ? '' : JSON.stringify(body);
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/json' },
    body: payload,
  });
  const { host, ...headers } = signed.headers; // fetch sets Host itself
  const response = await fetch(url, { method, headers, body: payload || undefined });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${answer.__type}: ${answer.message}`);
  return answer;
}

/** The hash SignatureV4 needs, from node:crypto (SHA-256, or HMAC-SHA-256 with a secret). */
class Sha256 {
  #hash;

  constructor(secret) {
    this.#hash = secret ? createHmac('sha256', secret) : createHash('sha256');
  }

  update(data) {
    this.#hash.update(data);
  }

  async digest() {
    return new Uint8Array(this.#hash.digest());
  }
}

function clientConfig(node) {
  return {
    endpoint: node.url,
    region: 'us-east-1',
    // configFilepath: keep the developer's ~/.aws/config out of the test
    credentials: fromIni({
      filepath: node.credentialsFile,
      configFilepath: join(node.dataDir, 'no-aws-config'),
      profile: 'keygate',
    }),
  };
}
