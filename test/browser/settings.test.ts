// The settings pages in real Chromium: sign-up, the app forms (without JavaScript), secrets and tokens shown
// once (a reload mints nothing), deletes behind their confirmation, the activity log, and the sign-in page's
// refusal to send anyone to another site.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { Client } from '../helpers/client.ts';
import { inspectPage, launchBrowser, newPage, submit } from '../helpers/browser.ts';

let counter = 0;
const password = 'correct horse battery';

async function signUp(page: Page, server: TestServer): Promise<string> {
  const email = `ui-${process.pid}-${++counter}@example.com`;
  await page.goto(`${server.url}/auth/signup`);
  await page.getByLabel('Name').fill('Ada Example');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await submit(page, 'Create account');
  assert.equal(new URL(page.url()).pathname, '/settings/apps');
  return email;
}

describe('settings pages in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    server = await startTestServer('sqlite');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs up, and the sign-up and sign-in pages pass the checks', async () => {
    page = await newPage(browser);
    context = page.context();
    await page.goto(`${server.url}/auth/login`);
    await inspectPage(page, 'login');
    await page.goto(`${server.url}/auth/signup`);
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill('short');
    await submit(page, 'Create account');
    assert.match(await page.locator('#f-email-error').innerText(), /Email must be a valid email address/);
    assert.match(await page.locator('#f-password-error').innerText(), /at least 8 characters/);
    assert.equal(await page.getByLabel('Email').getAttribute('aria-invalid'), 'true');
    await inspectPage(page, 'signup-errors');
    await signUp(page, server);
    assert.match(await page.getByRole('status').innerText(), /Your Steep account is ready/);
    await inspectPage(page, 'apps-empty');
    assert.match(await page.locator('main').innerText(), /not registered any apps/);
    await context.close();
  });

  it('registers and edits an app without JavaScript, showing errors next to the fields', async () => {
    page = await newPage(browser, { javaScriptEnabled: false });
    context = page.context();
    await signUp(page, server);
    await page.getByRole('link', { name: 'Register a new app' }).click();
    await page.getByLabel('App name').fill('Field Notes');
    await page.getByLabel('Homepage').fill('ftp://notes.example');
    await page.getByRole('textbox', { name: 'Callback URL 1' }).fill('https://notes.example/callback');
    await submit(page, 'Add another callback URL');
    // The redrawn form keeps what was typed and has a second input.
    assert.equal(await page.getByLabel('App name').inputValue(), 'Field Notes');
    await page.getByRole('textbox', { name: 'Callback URL 2' }).fill('javascript:alert(1)');
    await page.getByRole('group', { name: 'Records' }).getByRole('checkbox', { name: 'read' }).check();
    await submit(page, 'Register app');

    assert.match(await page.locator('#f-homepage-error').innerText(), /Homepage must be an http or https URL/);
    assert.match(await page.locator('#f-redirectUris-1-error').innerText(), /Callback URL 2 must not use the javascript: scheme/);
    assert.equal(await page.locator('#f-redirectUris-0-error').count(), 0);
    assert.equal(await page.getByRole('textbox', { name: 'Callback URL 2' }).getAttribute('aria-describedby'), 'f-redirectUris-1-error');

    await page.getByLabel('Homepage').fill('https://notes.example');
    await page.getByRole('textbox', { name: 'Callback URL 2' }).fill('https://notes.example/other');
    await page.getByLabel('Description').fill('Keeps <b>notes</b> in records.');
    await page.getByRole('group', { name: 'Records' }).getByRole('checkbox', { name: 'create' }).check();
    await submit(page, 'Register app');
    assert.match(new URL(page.url()).pathname, /^\/settings\/apps\/\w+$/);
    const main = await page.locator('main').innerText();
    assert.match(main, /Keeps <b>notes<\/b> in records\./, 'text is shown escaped, not as markup');
    assert.match(main, /https:\/\/notes\.example\/callback/);
    assert.match(main, /https:\/\/notes\.example\/other/);
    assert.match(main, /Records: create, read/, "scopes in the list's order, grouped");
    assert.doesNotMatch(main, /Copy client ID/, "no copy button without JavaScript");

    // Edit: remove the first callback URL.
    await page.getByRole('link', { name: 'Edit app' }).click();
    await submit(page, 'Remove callback URL 1');
    assert.equal(await page.getByRole('textbox', { name: 'Callback URL 1' }).inputValue(), 'https://notes.example/other');
    assert.equal(await page.getByRole('textbox', { name: 'Callback URL 2' }).count(), 0);
    await submit(page, 'Save changes');
    assert.doesNotMatch(await page.locator('main').innerText(), /notes\.example\/callback/);
    await context.close();
  });

  it('shows a new client secret once, with a copy button, and deletes secrets and apps after confirming', async () => {
    page = await newPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    context = page.context();
    await signUp(page, server);
    await page.goto(`${server.url}/settings/apps/new`);
    await inspectPage(page, 'app-new');
    await page.getByLabel('App name').fill('Secret Keeper');
    await page.getByLabel('Homepage').fill('keeper.example');
    await submit(page, 'Register app');
    assert.match(await page.locator('#f-homepage-error').innerText(), /Homepage must be an absolute URL/);
    assert.match(await page.locator('#callbacks-error').innerText(), /Callback URLs must have at least 1 item/);
    await inspectPage(page, 'app-form-errors');
    await page.getByLabel('Homepage').fill('https://keeper.example');
    await page.getByRole('textbox', { name: 'Callback URL 1' }).fill('https://keeper.example/cb');
    await submit(page, 'Register app');
    const appUrl = page.url();
    const clientId = await page.locator('#client-id').innerText();
    await inspectPage(page, 'app-page');

    // The copy button appears with the script, and copies the client id.
    await page.getByRole('button', { name: 'Copy client ID' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), clientId);

    await submit(page, 'Generate a new client secret');
    assert.equal(page.url(), appUrl, 'the post redirected back to the app page');
    const secret = await page.locator('#new-secret').innerText();
    assert.match(secret, /^stp_cs_[\w-]{40,}$/);
    assert.match(await page.getByRole('status').innerText(), /Client secret created\. Copy it now: it is shown only once/);
    await inspectPage(page, 'app-secret-once');

    // A reload shows the app without the secret, and made no other.
    await page.reload();
    const html = await page.content();
    assert.ok(!html.includes(secret), 'the full secret is never shown again');
    assert.ok(html.includes(secret.slice(-10)), 'the masked secret keeps its last characters');
    assert.equal(await page.getByRole('status').count(), 0, 'the message was shown once');
    const listed = await page.request.get(`${server.url}/api/oauth/client/${clientId}`);
    assert.equal((await listed.json()).secrets.length, 1, 'a reload minted no second secret');
    assert.match(await page.locator('td[data-label="Created"]').innerText(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);

    await page.getByRole('link', { name: 'Edit app' }).click();
    await inspectPage(page, 'app-edit');
    await page.goBack();
    await page.getByRole('link', { name: `Delete secret ending ${secret.slice(-4)}` }).click();
    await inspectPage(page, 'secret-delete-confirm');
    await page.getByRole('link', { name: 'Cancel' }).click();
    assert.equal(page.url(), appUrl, 'Cancel deletes nothing');
    await page.getByRole('link', { name: `Delete secret ending ${secret.slice(-4)}` }).click();
    await submit(page, 'Delete this secret');
    assert.match(await page.getByRole('status').innerText(), new RegExp(`Client secret ending ${secret.slice(-4)} deleted`));
    assert.match(await page.locator('main').innerText(), /no client secret yet/);

    // Delete sits in the danger zone at the bottom, and wants the name typed out.
    const zone = page.getByRole('region', { name: 'Danger zone' });
    await zone.getByRole('link', { name: 'Delete app' }).click();
    assert.match(await page.locator('main').innerText(), /cannot be undone/);
    await inspectPage(page, 'app-delete-confirm');
    await submit(page, 'Delete this app');
    assert.match(await page.locator('#f-confirm_name-error').innerText(), /does not match “Secret Keeper”/);
    assert.equal((await page.request.get(`${server.url}/api/oauth/client/${clientId}`)).status(), 200, 'not deleted without the name');
    await page.getByLabel('To confirm, type “Secret Keeper”').fill('Secret Keeper');
    await submit(page, 'Delete this app');
    assert.equal(new URL(page.url()).pathname, '/settings/apps');
    assert.match(await page.getByRole('status').innerText(), /App “Secret Keeper” deleted/);
    await inspectPage(page, 'apps-after-delete');
    const gone = await page.goto(appUrl);
    assert.equal(gone?.status(), 404);
    assert.match(await page.locator('main').innerText(), /No OAuth app with this client id/);
    await context.close();
  });

  it('creates a personal access token, shows it once, and deletes it', async () => {
    page = await newPage(browser);
    context = page.context();
    await signUp(page, server);
    await page.getByRole('link', { name: 'Access tokens' }).click();
    await submit(page, 'Create token');
    assert.match(await page.locator('#f-name-error').innerText(), /Token name/);
    assert.match(await page.locator('#scopes-error').innerText(), /Permissions must have at least 1 item/);
    await page.getByLabel('Token name').fill('Nightly export');
    await page.getByRole('group', { name: 'Records' }).getByRole('checkbox', { name: 'read' }).check();
    await submit(page, 'Create token');
    assert.equal(new URL(page.url()).pathname, '/settings/tokens', 'the post redirected to the list');
    const token = await page.locator('#new-token').innerText();
    assert.match(token, /^stp_pat_/);
    assert.match(await page.getByRole('status').innerText(), /Token “Nightly export” created/);
    await inspectPage(page, 'tokens');
    await page.reload();
    assert.ok(!(await page.content()).includes(token), 'a reload does not show the token again');
    assert.equal((await (await page.request.get(`${server.url}/api/access-token`)).json()).length, 1, 'and made no other');

    const api = new Client(server.url);
    assert.equal((await api.get('/api/auth/user/me', { token })).status, 200);
    await page.goto(`${server.url}/settings/tokens`);
    assert.ok(!(await page.content()).includes(token));
    assert.match(await page.locator('table').innerText(), /Nightly export[\s\S]*Records: read/);
    await page.getByRole('link', { name: 'Delete token Nightly export' }).click();
    await submit(page, 'Delete this token');
    assert.match(await page.getByRole('status').innerText(), /Token “Nightly export” deleted/);
    assert.match(await page.locator('main').innerText(), /no personal access tokens/);
    assert.equal((await api.get('/api/auth/user/me', { token })).status, 401);
    await context.close();
  });

  it("lists the person's security events on the Activity page, newest first", async () => {
    page = await newPage(browser);
    context = page.context();
    const email = await signUp(page, server);
    const openActivity = async () => {
      await page.locator('details.account summary').click();
      await page.getByRole('link', { name: 'Security activity' }).click();
    };
    await openActivity();
    assert.match(await page.locator('main').innerText(), /Nothing has happened yet/);
    await new Client(server.url).post('/api/auth/signin', { json: { email, password: 'not my password' } });
    await page.goto(`${server.url}/settings/tokens`);
    await page.getByLabel('Token name').fill('Backup script');
    await page.getByRole('group', { name: 'Records' }).getByRole('checkbox', { name: 'read' }).check();
    await submit(page, 'Create token');
    await openActivity();
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Activity');
    const rows = await page.locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, 2);
    assert.match(rows[0], /Personal access token created: “Backup script”[\s\S]*127\.0\.0\.1/);
    assert.match(rows[1], /Failed sign-in to your account/);
    await inspectPage(page, 'activity');
    const bad = await page.goto(`${server.url}/settings/activity?cursor=nope`);
    assert.equal(bad?.status(), 400);
    assert.match(await page.locator('main').innerText(), /start again from the newest events/);
    await context.close();
  });

  it('returns to a same-origin path after sign-in, and never to another site', async () => {
    page = await newPage(browser);
    context = page.context();
    const email = await signUp(page, server);
    await context.close();
    for (const [redirect, expected] of [
      ['//evil.example/steal', '/settings/apps'],
      ['https://evil.example/steal', '/settings/apps'],
      ['/\\evil.example', '/settings/apps'],
      ['/settings/tokens', '/settings/tokens'],
    ]) {
      context = await browser.newContext();
      page = await context.newPage();
      await page.goto(`${server.url}/auth/login?redirect=${encodeURIComponent(redirect)}`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await submit(page, 'Sign in');
      const landed = new URL(page.url());
      assert.equal(landed.origin, server.url, `redirect=${redirect} stays on Steep`);
      assert.equal(landed.pathname, expected, `redirect=${redirect}`);
      await context.close();
    }
  });

  it('refuses a wrong password on the form, and a form posted without its CSRF token', async () => {
    page = await newPage(browser);
    context = page.context();
    await page.goto(`${server.url}/auth/login`);
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByLabel('Password').fill('wrong password');
    await submit(page, 'Sign in');
    assert.match(await page.getByRole('alert').innerText(), /email or password is incorrect/);

    await signUp(page, server);
    // A forged form: same page, token removed.
    await page.goto(`${server.url}/settings/tokens`);
    await page.locator('form[action="/settings/tokens"] input[name="csrf"]').evaluate((input: HTMLInputElement) => (input.value = 'forged'));
    await page.getByLabel('Token name').fill('x');
    await page.getByRole('group', { name: 'Records' }).getByRole('checkbox', { name: 'read' }).check();
    const response = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Create token' }).click()]).then(([r]) => r);
    assert.equal(response?.status(), 403);
    assert.match(await page.locator('main').innerText(), /form has expired or was sent from another site/);
    await context.close();
  });
});
