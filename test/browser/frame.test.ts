// The frame around every page in real Chromium: the navigation on one row at 375 px, on the 404 and
// error pages too; the account menu without JavaScript; dark mode; the favicon; the sign-in page
// naming the app that asks; and the message after an action shown once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { newUser } from '../helpers/client.ts';
import { inspectPage, launchBrowser, newPage, submit } from '../helpers/browser.ts';

const password = 'correct horse battery';

describe('page frame in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let email: string;

  before(async () => {
    server = await startTestServer('sqlite');
    browser = await launchBrowser();
    email = (await newUser(server.url, 'frame')).email;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(target: Page, redirect = '/settings/apps'): Promise<void> {
    await target.goto(`${server.url}/auth/login?redirect=${encodeURIComponent(redirect)}`);
    await target.getByLabel('Email').fill(email);
    await target.getByLabel('Password').fill(password);
    await submit(target, 'Sign in');
  }

  it('keeps the navigation on one row at 375 px, with every entry visible', async () => {
    page = await newPage(browser, { viewport: { width: 375, height: 800 } });
    await signIn(page);
    const nav = page.getByRole('navigation', { name: 'Settings' });
    const links = await nav.getByRole('link').all();
    assert.deepEqual(await Promise.all(links.map((link) => link.innerText())), ['Apps', 'Authorized', 'Tokens'], 'short labels at a phone width');
    const boxes = await Promise.all(links.map((link) => link.boundingBox()));
    assert.equal(new Set(boxes.map((box) => Math.round(box!.y))).size, 1, 'all on one row');
    const header = (await page.locator('header.top').boundingBox())!;
    assert.ok(header.height <= 56, `the bar is one row high (${header.height}px)`);
    for (const box of boxes) assert.ok(box!.x + box!.width <= 375, 'no entry is cut off');
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.equal(await nav.getByRole('link', { name: 'Authorized apps' }).count(), 1, 'full labels on a wide screen');
    await page.context().close();
  });

  it('shows the navigation on the 404 and error pages of a signed-in person, and a menu that signs out without JavaScript', async () => {
    page = await newPage(browser);
    await signIn(page);
    const missing = await page.goto(`${server.url}/settings/no-such-page`);
    assert.equal(missing?.status(), 404);
    assert.equal(await page.getByRole('navigation', { name: 'Settings' }).count(), 1);
    await inspectPage(page, 'not-found-signed-in');
    const error = await page.goto(`${server.url}/settings/apps/no-such-app`);
    assert.equal(error?.status(), 404);
    assert.equal(await page.getByRole('navigation', { name: 'Settings' }).count(), 1);
    await page.context().close();

    // inspectPage runs axe-core in the page, so the part without JavaScript has its own context.
    page = await newPage(browser, { javaScriptEnabled: false });
    await signIn(page);

    await page.locator('details.account summary').click();
    assert.match(await page.locator('details.account').innerText(), new RegExp(`Signed in as frame\\s+${email.replace(/[.+]/g, '\\$&')}`));
    await submit(page, 'Sign out');
    assert.equal(new URL(page.url()).pathname, '/auth/login');
    assert.equal(await page.getByRole('status').innerText(), 'You have signed out.');
    await page.reload();
    assert.equal(await page.getByRole('status').count(), 0, 'the message is shown once');
    await page.context().close();
  });

  it('serves a favicon and links it from every page', async () => {
    page = await newPage(browser);
    const icon = await page.goto(`${server.url}/favicon.ico`);
    assert.equal(icon?.status(), 200);
    assert.match(icon?.headers()['content-type'] ?? '', /^image\//);
    await page.goto(`${server.url}/auth/login`);
    const linked = await page.locator('link[rel="icon"]').getAttribute('href');
    const response = await page.request.get(new URL(linked!, server.url).toString());
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['content-type'], 'image/svg+xml');
    await page.context().close();
  });

  it('follows the system dark mode', async () => {
    page = await newPage(browser);
    await signIn(page);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    assert.notEqual(dark, light);
    const [r, g, b] = dark.match(/\d+/g)!.map(Number);
    assert.ok(r + g + b < 120, `a dark background (${dark})`);
    await inspectPage(page, 'apps-dark');
    await page.context().close();
  });

  it('names the app that asks on the sign-in page of an authorization request', async () => {
    const owner = await newUser(server.url, 'owner');
    const app = await owner.client.post('/api/oauth/client', { json: { name: 'Journal Sync', homepage: 'https://journal.example', redirectUris: ['https://journal.example/cb'], scopes: ['record|read'] } });
    page = await newPage(browser);
    await page.goto(`${server.url}/oauth/authorize?response_type=code&client_id=${app.body.clientId}&scope=record%7Cread&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`);
    assert.equal(new URL(page.url()).pathname, '/auth/login');
    assert.match(await page.locator('main').innerText(), /Sign in to continue to Journal Sync\./);
    await inspectPage(page, 'login-for-app');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await submit(page, 'Sign in');
    assert.equal(new URL(page.url()).pathname, '/oauth/decision');
    assert.match(await page.locator('main').innerText(), /Records: read\s+Read records\./);
    assert.equal(await page.getByRole('navigation', { name: 'Settings' }).count(), 1, 'the consent page keeps the navigation');
    await page.context().close();
  });
});
