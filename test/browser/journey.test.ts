// The whole journey in Chromium: a developer registers an app in the pages, a person consents on the
// consent page, the app redeems the code, and the person later revokes it from /settings/authorized.
// Also: Deny, an expired request, another person's request, and "not you?".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { Client } from '../helpers/client.ts';
import { pkce, tokenRequest } from '../helpers/oauth.ts';
import { inspectPage, launchBrowser, newPage, startCallbackServer, submit } from '../helpers/browser.ts';

const password = 'correct horse battery';
let counter = 0;

async function signUp(page: Page, server: TestServer, name: string): Promise<string> {
  const email = `${name.toLowerCase()}-${process.pid}-${++counter}@example.com`;
  await page.goto(`${server.url}/auth/signup`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await submit(page, 'Create account');
  return email;
}

describe('OAuth journey in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let callback: { url: string; server: Server };
  let app: { clientId: string; secret: string; callbacks: string[] };
  let person: Page;
  let personEmail: string;

  before(async () => {
    server = await startTestServer('sqlite');
    callback = await startCallbackServer();
    browser = await launchBrowser();
    person = await newPage(browser);
    personEmail = await signUp(person, server, 'Grace');
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => callback?.server.close(resolve));
    await server?.close();
  });

  /** The app sends the person's browser to /api/oauth/authorize; returns the consent page's URL and the PKCE verifier. */
  async function startAuthorization(page: Page, state: string) {
    const { verifier, challenge } = pkce();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: app.callbacks[1],
      scope: 'record|read record|create user|email_read',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    await page.goto(`${server.url}/api/oauth/authorize?${query}`);
    return { verifier, consentUrl: page.url() };
  }

  it('registers an app with two callback URLs and reads a new secret from the page', async () => {
    const developer = await newPage(browser);
    await signUp(developer, server, 'Dev');
    await developer.getByRole('link', { name: 'Register a new app' }).click();
    await developer.getByLabel('App name').fill('Journal Sync');
    await developer.getByLabel('Homepage').fill('https://journal.example');
    await developer.getByLabel('Description').fill('Copies your journal into records.');
    await developer.getByRole('textbox', { name: 'Callback URL 1' }).fill(`${callback.url}/first`);
    await submit(developer, 'Add another callback URL');
    await developer.getByRole('textbox', { name: 'Callback URL 2' }).fill(`${callback.url}/second`);
    const records = developer.getByRole('group', { name: 'Records' });
    await records.getByRole('checkbox', { name: 'read' }).check();
    await records.getByRole('checkbox', { name: 'create' }).check();
    await developer.getByRole('checkbox', { name: 'see your email address' }).check();
    await submit(developer, 'Register app');
    const clientId = await developer.locator('#client-id').innerText();
    await submit(developer, 'Generate a new client secret');
    const secret = await developer.locator('#new-secret').innerText();
    assert.match(secret, /^stp_cs_/);
    app = { clientId, secret, callbacks: [`${callback.url}/first`, `${callback.url}/second`] };
    await developer.context().close();
  });

  it('consent page → Allow → callback with code and state → tokens → /api/auth/user → Revoke → the token is dead', async () => {
    const state = 'st-' + counter;
    const { verifier, consentUrl } = await startAuthorization(person, state);
    assert.equal(new URL(consentUrl).pathname, '/oauth/decision');

    const consent = await person.locator('main').innerText();
    assert.match(consent, /Journal Sync wants to use your Steep account/);
    assert.match(consent, /Records: read, create\s+Read records\. Create records\./, 'each scope says what it allows, without hovering');
    assert.match(consent, /Your account: see your email address/);
    assert.match(consent, new RegExp(`Signed in as Grace \\(${personEmail.replace(/[.+]/g, '\\$&')}\\)`));
    assert.match(consent, /Copies your journal into records\./);
    assert.equal(await person.getByRole('link', { name: 'https://journal.example' }).getAttribute('href'), 'https://journal.example');
    await inspectPage(person, 'consent');

    await Promise.all([person.waitForURL(`${app.callbacks[1]}?**`), person.getByRole('button', { name: 'Allow' }).click()]);
    const landed = new URL(person.url());
    assert.equal(landed.origin + landed.pathname, app.callbacks[1]);
    assert.equal(landed.searchParams.get('state'), state);
    const code = landed.searchParams.get('code');
    assert.ok(code, 'the callback carries a code');

    const tokens = await tokenRequest(server.url, app, { grant_type: 'authorization_code', code, redirect_uri: app.callbacks[1], code_verifier: verifier });
    assert.equal(tokens.status, 200, tokens.text);
    const accessToken: string = tokens.body.access_token;
    const api = new Client(server.url);
    const me = await api.get('/api/auth/user', { token: accessToken });
    assert.equal(me.status, 200);
    assert.equal(me.body.email, personEmail);
    assert.equal(me.body.name, 'Grace');

    await person.goto(`${server.url}/settings/authorized`);
    const listed = await person.locator('main').innerText();
    assert.match(listed, /Journal Sync/);
    assert.match(listed, /By Dev/);
    assert.match(listed, /It can\s+Records: read, create/);
    assert.match(listed, /Last used: \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/, 'the token use just now shows as last used');
    await inspectPage(person, 'authorized');

    await person.getByRole('link', { name: 'Revoke access for Journal Sync' }).click();
    await inspectPage(person, 'revoke-confirm');
    assert.equal((await api.get('/api/auth/user', { token: accessToken })).status, 200, 'the confirmation page revokes nothing');
    await submit(person, 'Revoke access');
    assert.match(await person.getByRole('status').innerText(), /Access for Journal Sync revoked/);
    assert.match(await person.locator('main').innerText(), /not authorized any apps/);
    assert.equal((await api.get('/api/auth/user', { token: accessToken })).status, 401);
    const refreshed = await tokenRequest(server.url, app, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token });
    assert.equal(refreshed.status, 400, 'the refresh token died with the access');
  });

  it('Deny sends the browser back with error=access_denied and the state', async () => {
    await startAuthorization(person, 'deny-state');
    await Promise.all([person.waitForURL(`${app.callbacks[1]}?**`), person.getByRole('button', { name: 'Deny' }).click()]);
    const landed = new URL(person.url());
    assert.equal(landed.searchParams.get('error'), 'access_denied');
    assert.equal(landed.searchParams.get('state'), 'deny-state');
    assert.equal(landed.searchParams.get('code'), null);
  });

  it('an expired request gets a clear page, on opening it and on answering it', async () => {
    const { consentUrl } = await startAuthorization(person, 'late');
    server.clock.advance(server.config.ttl.transaction + 1);
    try {
      await person.getByRole('button', { name: 'Allow' }).click();
      await person.waitForURL(`${server.url}/oauth/decision`);
      assert.match(await person.locator('h1').innerText(), /This request has expired/);
      assert.match(await person.getByRole('alert').innerText(), /expired or was already answered/);
      const reopened = await person.goto(consentUrl);
      assert.equal(reopened?.status(), 400);
      assert.match(await person.locator('main').innerText(), /Go back to the app and start again/);
      assert.doesNotMatch(await person.content(), /at \w+ \(|Error:/, 'no stack trace');
      await inspectPage(person, 'consent-expired');
    } finally {
      server.clock.advance(-(server.config.ttl.transaction + 1));
    }
  });

  it("another person's request is refused with a clear page, and a bad id gets one too", async () => {
    const { consentUrl } = await startAuthorization(person, 'mine');
    const stranger = await newPage(browser);
    await signUp(stranger, server, 'Mallory');
    const response = await stranger.goto(consentUrl);
    assert.equal(response?.status(), 400);
    assert.match(await stranger.locator('h1').innerText(), /This request is not yours/);
    assert.equal(await stranger.getByRole('button', { name: 'Allow' }).count(), 0);
    const bad = await stranger.goto(`${server.url}/oauth/decision?transaction_id=%3Cscript%3E`);
    assert.equal(bad?.status(), 400);
    assert.match(await stranger.locator('main').innerText(), /needs the transaction_id/);
    await stranger.context().close();
  });

  it('"not you?" signs out, and after signing in as someone else the request starts over for them', async () => {
    const shared = await newPage(browser);
    await signUp(shared, server, 'Wrong');
    const other = await newPage(browser);
    const rightEmail = await signUp(other, server, 'Right');
    await other.context().close();

    const { verifier } = await startAuthorization(shared, 'switch');
    await submit(shared, 'Not you?');
    assert.equal(new URL(shared.url()).pathname, '/auth/login');
    await shared.getByLabel('Email').fill(rightEmail);
    await shared.getByLabel('Password').fill(password);
    await submit(shared, 'Sign in');
    assert.equal(new URL(shared.url()).pathname, '/oauth/decision');
    assert.match(await shared.locator('main').innerText(), /Signed in as Right/);

    await Promise.all([shared.waitForURL(`${app.callbacks[1]}?**`), shared.getByRole('button', { name: 'Allow' }).click()]);
    const landed = new URL(shared.url());
    assert.equal(landed.searchParams.get('state'), 'switch');
    const tokens = await tokenRequest(server.url, app, { grant_type: 'authorization_code', code: landed.searchParams.get('code')!, redirect_uri: app.callbacks[1], code_verifier: verifier });
    assert.equal(tokens.status, 200, 'the PKCE challenge survived the restart');
    const me = await new Client(server.url).get('/api/auth/user', { token: tokens.body.access_token });
    assert.equal(me.body.email, rightEmail);
    await shared.context().close();
  });

  it('a signed-out visit to authorize goes through sign-in and comes back to the consent page', async () => {
    const fresh = await newPage(browser);
    const { consentUrl } = await startAuthorization(fresh, 'later');
    assert.equal(new URL(consentUrl).pathname, '/auth/login');
    await fresh.getByLabel('Email').fill(personEmail);
    await fresh.getByLabel('Password').fill(password);
    await submit(fresh, 'Sign in');
    assert.equal(new URL(fresh.url()).pathname, '/oauth/decision');
    assert.match(await fresh.locator('main').innerText(), /Journal Sync wants to use your Steep account/);
    await fresh.context().close();
  });
});
