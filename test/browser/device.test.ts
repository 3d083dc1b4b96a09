// The device flow in Chromium: a device asks for a code over HTTP; its person opens the link, signs
// up on the way, finds the code filled in, presses Continue, reads the consent screen, presses Allow;
// then the device's poll returns tokens. Also a wrong code and Deny, as a person sees them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { Client } from '../helpers/client.ts';
import { newApp, type TestApp } from '../helpers/oauth.ts';
import { inspectPage, launchBrowser, newPage, submit } from '../helpers/browser.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

describe('device flow in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let tv: TestApp;
  let person: Page;
  let email: string;

  before(async () => {
    server = await startTestServer('sqlite');
    browser = await launchBrowser();
    tv = await newApp(server.url, { name: 'Living Room TV', description: 'Plays your records on the big screen.', scopes: ['record|read', 'user|email_read'], grantTypes: [DEVICE_GRANT, 'refresh_token'] });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** What the device does: ask for a code, and later poll with it. */
  async function startOnDevice() {
    const reply = await new Client(server.url).post('/oauth/device_authorization', { form: { client_id: tv.clientId, client_secret: tv.secret } });
    assert.equal(reply.status, 200, reply.text);
    return reply.body as { device_code: string; user_code: string; verification_uri_complete: string };
  }
  const poll = (deviceCode: string) =>
    new Client(server.url).post('/oauth/token', { form: { client_id: tv.clientId, client_secret: tv.secret, grant_type: DEVICE_GRANT, device_code: deviceCode } });

  it('link → sign-up → code filled in → Continue → consent → Allow → "go back to your device" → the poll gets tokens', async () => {
    const device = await startOnDevice();
    person = await newPage(browser);
    await person.goto(device.verification_uri_complete);
    assert.equal(new URL(person.url()).pathname, '/auth/login', 'signed out: sign in first');
    await person.getByRole('link', { name: 'Create an account' }).click();
    email = `tv-owner-${process.pid}@example.com`;
    await person.getByLabel('Name').fill('Ada');
    await person.getByLabel('Email').fill(email);
    await person.getByLabel('Password').fill('correct horse battery');
    await submit(person, 'Create account');

    const landed = new URL(person.url());
    assert.equal(landed.pathname, '/device');
    assert.equal(landed.searchParams.get('user_code'), device.user_code, 'the code survived the sign-up');
    assert.equal(await person.getByLabel('Code', { exact: true }).inputValue(), device.user_code);
    await inspectPage(person, 'device-entry');
    assert.equal((await poll(device.device_code)).body.error, 'authorization_pending', 'the link alone decided nothing');

    await submit(person, 'Continue');
    const consent = await person.locator('main').innerText();
    assert.match(consent, /Living Room TV wants to use your Steep account/);
    assert.match(consent, /Records: read/);
    assert.match(consent, /Your account: see your email address/);
    assert.match(consent, /Signed in as Ada/);
    assert.match(consent, new RegExp(`shows the code ${device.user_code}`));
    await inspectPage(person, 'device-consent');

    await submit(person, 'Allow');
    assert.equal(await person.locator('h1').innerText(), 'You can go back to your device');
    await inspectPage(person, 'device-allowed');

    server.clock.advance(5);
    const tokens = await poll(device.device_code);
    assert.equal(tokens.status, 200, tokens.text);
    assert.equal(tokens.body.scope, 'record|read user|email_read');
    const me = await new Client(server.url).get('/api/auth/user', { token: tokens.body.access_token });
    assert.equal(me.body.email, email);
  });

  it('a wrong code is named under the box; Deny tells the person, and the device', async () => {
    const device = await startOnDevice();
    await person.goto(`${server.url}/device`);
    await person.getByLabel('Code', { exact: true }).fill('BBBB-BBBB');
    await submit(person, 'Continue');
    assert.match(await person.locator('.field .error').innerText(), /No device is waiting for this code/);
    assert.equal(await person.getByLabel('Code', { exact: true }).getAttribute('aria-invalid'), 'true');
    await inspectPage(person, 'device-wrong-code');

    await person.getByLabel('Code', { exact: true }).fill(device.user_code.toLowerCase().replace('-', ' '));
    await submit(person, 'Continue');
    await submit(person, 'Deny');
    assert.equal(await person.locator('h1').innerText(), 'Access denied');
    await inspectPage(person, 'device-denied');
    assert.equal((await poll(device.device_code)).body.error, 'access_denied');
  });
});
