import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const MAX_STEPS = 8;

/**
 * Debian's chromium, headless, driven by playwright-core. `CHROMIUM` overrides the executable;
 * otherwise `chromium` is looked up on PATH (./test installs it). As root Chromium needs --no-sandbox.
 */
export async function launchChromium() {
  const executablePath = process.env.CHROMIUM ?? which('chromium');
  return chromium.launch({
    executablePath,
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}

function which(command) {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${command} is not installed; install Debian's chromium (./test does) or set CHROMIUM`);
  }
}

/**
 * One user's browser: a fresh context (own cookies, so one user never rides on another's IdP or app
 * session) that may only reach loopback addresses — the suite is hermetic, and the IdP's development
 * pages would otherwise fetch web fonts.
 */
export async function openBrowser(chromiumBrowser) {
  const context = await chromiumBrowser.newContext();
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    return hostname === '127.0.0.1' ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  return { context, page, close: () => context.close() };
}

/**
 * Opens `url` in `page` and, while the browser is at the identity provider (`idpOrigin`), signs in as
 * `username` and consents on the pages it shows — what a person does. Returns once a page outside the
 * IdP has loaded (the application's or Keygate's page), with that page's status.
 */
export async function signInAndConsent(page, url, username, idpOrigin) {
  let response = await page.goto(url);
  for (let step = 0; step < MAX_STEPS; step++) {
    if (new URL(page.url()).origin !== idpOrigin) return { url: page.url(), status: response?.status() };
    const submit = page.locator('form button[type="submit"]');
    // an IdP page without a form is its error page: that is where the browser ends
    if (!(await submit.count())) return { url: page.url(), status: response?.status() };
    const login = page.locator('input[name="login"]');
    if (await login.count()) {
      await login.fill(username);
      await page.locator('input[name="password"]').fill('any');
    }
    const [navigation] = await Promise.all([page.waitForNavigation(), submit.first().click()]);
    response = navigation;
  }
  throw new Error(`still at the identity provider after ${MAX_STEPS} forms: ${page.url()}`);
}

/** The text the user reads on the page (its heading first). */
export function pageText(page) {
  return page.locator('body').innerText();
}
