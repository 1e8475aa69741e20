import { createServer } from 'node:http';

/**
 * Starts an HTTP server on 127.0.0.1 with an OS-assigned port. Keygate allows plain http only towards
 * loopback, and issuers must match their discovery URLs exactly, so every URL uses 127.0.0.1.
 */
export async function listen(handler) {
  const server = createServer(handler);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      // Keep-alive sockets (fetch, Keygate's HTTP client) would otherwise hold close() open.
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The request body as a string. */
export async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
