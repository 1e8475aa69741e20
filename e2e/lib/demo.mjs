import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KEYGATE_JAR } from './keygate.mjs';

const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;
const TAIL_LINES = 80;

/**
 * Starts `keygate demo --port 0` from the fat jar, as a newcomer would with `./keygate demo`, and
 * waits for the one URL it prints. `stop()` sends SIGTERM (what Ctrl-C's shutdown does) and waits.
 */
export async function startDemo() {
  if (!existsSync(KEYGATE_JAR)) throw new Error(`${KEYGATE_JAR} is missing; build it first (or set KEYGATE_JAR)`);
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const child = spawn(java, ['-jar', KEYGATE_JAR, 'demo', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const lines = [];
  const stdout = [];
  const url = new Promise((resolve, reject) => {
    child.once('error', reject);
    exited.then(({ code, signal }) => reject(new Error(`the demo exited during start-up (code ${code}, signal ${signal})`)));
    for (const [stream, sink] of [[child.stdout, stdout], [child.stderr, null]]) {
      stream.setEncoding('utf8');
      let partial = '';
      stream.on('data', (chunk) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop();
        for (const line of parts) {
          sink?.push(line);
          lines.push(line);
          if (lines.length > TAIL_LINES) lines.shift();
          const found = sink && line.match(/Open (http:\/\/127\.0\.0\.1:\d+\/) in a browser/);
          if (found) resolve(found[1]);
        }
      });
    }
  });
  url.catch(() => {});
  const demo = {
    url: undefined,
    /** Every line the demo printed on stdout (its whole screen). */
    stdout,
    tail: () => lines.join('\n'),
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        const outcome = await exited;
        clearTimeout(timer);
        return outcome;
      }
      return exited;
    },
  };
  let timer;
  try {
    demo.url = await Promise.race([url, new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the demo printed no URL within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    })]);
  } catch (error) {
    await demo.stop();
    error.message += `\n--- demo output (last ${TAIL_LINES} lines) ---\n${demo.tail()}`;
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return demo;
}

/** Debian's chromium (what ./test installs), or CHROMIUM_PATH. */
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error('no chromium found: install Debian\'s chromium (./test does) or set CHROMIUM_PATH');
  return found;
}
