import { listen } from './http.mjs';

/**
 * The application's side of 3LO: the return URL Keygate sends the browser to after consent
 * (`/oauth/return?session_id=…`), and the redirect URI of its own sign-in (`/login/callback`). It
 * records each `session_id` it receives; the test then completes the session as the application would.
 */
export async function startApp() {
  const sessionIds = [];
  const http = await listen((req, res) => {
    const url = new URL(req.url, 'http://app');
    if (req.method === 'GET' && url.pathname === '/oauth/return' && url.searchParams.has('session_id')) {
      sessionIds.push(url.searchParams.get('session_id'));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>Connected. You can close this window.</p>');
      return;
    }
    if (req.method === 'GET' && url.pathname === '/login/callback') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>Signed in.</p>');
      return;
    }
    res.writeHead(404).end();
  });
  return {
    returnUrl: `${http.url}/oauth/return`,
    loginCallbackUrl: `${http.url}/login/callback`,
    sessionIds,
    close: () => http.close(),
  };
}
