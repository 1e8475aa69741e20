// `./keygate demo` as a newcomer meets it: one command, one URL, and in a real browser (Debian's
// chromium driven by playwright-core) the whole 3LO story: sign in, call the tool, consent, result.
// The README's screenshot is the one this test takes: with KEYGATE_README_SCREENSHOT=1 it replaces
// docs/images/demo.png; otherwise it goes to the temporary directory, so a test run leaves the tree clean.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { chromiumPath, startDemo } from '../lib/demo.mjs';

const SCREENSHOT = process.env.KEYGATE_README_SCREENSHOT === '1'
  ? fileURLToPath(new URL('../../docs/images/demo.png', import.meta.url))
  : join(tmpdir(), 'keygate-demo.png');
const IDP = /\/idp\/authorize\?/;
let demo;
let browser;

describe('keygate demo in a browser', { timeout: 180_000 }, () => {
  before(async () => {
    demo = await startDemo();
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      // root (CI containers) cannot use chromium's sandbox
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
  }, { timeout: 120_000 });
  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  test('it prints exactly one URL', () => {
    const urls = demo.stdout.join('\n').match(/https?:\/\/\S+/g) ?? [];
    assert.deepEqual(urls, [demo.url], demo.stdout.join('\n'));
  });

  test('Alice signs in, calls the tool, consents, and sees her own files; the inspector shows the session',
    () => inBrowser(async (page) => {
      await signIn(page, (idp) => idp.getByRole('button', { name: /Alice Example/ }).click());
      await expectConsentAsked(page);
      await consent(page);

      const result = page.locator('#result');
      await result.waitFor({ timeout: 30_000 });
      const text = await result.innerText();
      assert.match(text, /files in Alice Example's Demo Drive/);
      assert.match(text, /Q3 roadmap\.md/);
      assert.match(text, /token for alice, issued to client keygate/);
      await page.locator('#timeline [data-event="completed"]').waitFor({ timeout: 15_000 });
      const events = await page.locator('#timeline [data-event]').evaluateAll(
        (items) => items.map((item) => item.dataset.event));
      assert.deepEqual(events, ['created', 'authorize-opened', 'callback-received', 'code-exchanged', 'completed']);
      assert.equal(await page.locator('.badge').innerText(), 'COMPLETED');
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }));

  test('another visitor gets their own consent and their own files, never Alice\'s', () => inBrowser(async (page) => {
    const name = `Visitor ${randomBytes(3).toString('hex')}`;
    await signIn(page, async (idp) => {
      await idp.getByLabel('Your name').fill(name);
      await idp.getByRole('button', { name: 'Sign in' }).click();
    });
    await expectConsentAsked(page);
    await consent(page);
    const text = await page.locator('#result').innerText({ timeout: 30_000 });
    assert.match(text, new RegExp(`files in ${name}'s Demo Drive`));
    assert.match(text, new RegExp(`Welcome, ${name}\\.txt`));
    assert.doesNotMatch(text, /Q3 roadmap|Alice/);
  }));
});

/** A fresh browser context (its own cookies: another person's browser); fails on any page error. */
async function inBrowser(steps) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(demo.url);
    await steps(page);
    assert.deepEqual(errors, [], 'the page ran without script errors');
  } catch (error) {
    error.message += `\n--- page at ${page.url()} ---\n${await page.locator('body').innerText().catch(() => '?')}`
      + `\n--- demo output ---\n${demo.tail()}`;
    throw error;
  } finally {
    await context.close();
  }
}

async function signIn(page, choose) {
  await page.locator('#signin').click();
  await page.waitForURL(IDP);
  await choose(page);
  await page.waitForURL(demo.url);
}

async function expectConsentAsked(page) {
  await page.locator('#call').click();
  await page.locator('#consent').waitFor({ timeout: 30_000 });
  assert.match(await page.locator('#stage').innerText(), /-32042/);
  await page.locator('#timeline [data-event="created"]').waitFor({ timeout: 15_000 });
}

async function consent(page) {
  await page.locator('#consent').click();
  await page.waitForURL(IDP);
  assert.match(await page.locator('h1').innerText(), /Keygate for the Demo agent wants access/);
  assert.match(await page.locator('main').innerText(), /Read the files in your Demo Drive/);
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(demo.url);
}
