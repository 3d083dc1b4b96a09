// Post → redirect → get over plain HTTP: a new client secret or token is shown on the one page after
// the post and never again (not on a reload, not from a replayed cookie, not to another person, not
// after the note expired), every action leaves a message shown once, and revoke/delete need their
// confirmation step.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, newUser } from '../helpers/client.ts';
import { forEachDatabase } from '../helpers/server.ts';
import { codeFor, newApp, tokenRequest } from '../helpers/oauth.ts';
import { sweep } from '../../src/store/sweep.ts';

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const flashOf = (html: string) => /<div class="flash[^"]*" role="status">([\s\S]*?)<\/div>/.exec(html)?.[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

forEachDatabase('one-time pages', (ctx) => {
  const base = () => ctx.server.url;

  /** A signed-in person with an app, and a way to post the pages' forms as their browser does. */
  async function developer() {
    const user = await newUser(base(), 'dev');
    const app = await user.client.post('/api/oauth/client', { json: { name: 'Keeper', homepage: 'https://keeper.example', redirectUris: ['https://keeper.example/cb'] } });
    const page = `/settings/apps/${app.body.clientId}`;
    // The token is the session's, the same in every form; read once, before any note exists to be taken.
    const csrf = csrfOf((await user.client.get('/settings/tokens')).text);
    const post = (path: string, form: Record<string, string> = {}) => user.client.post(path, { form: { csrf, ...form }, headers: { origin: base() } });
    return { ...user, clientId: app.body.clientId as string, page, post };
  }

  it('shows a new client secret on the page after the post, once; a reload mints none and shows none', async () => {
    const dev = await developer();
    const made = await dev.post(`${dev.page}/secrets`);
    assert.equal(made.status, 303);
    assert.equal(made.headers.get('location'), dev.page);
    assert.doesNotMatch(made.text + made.headers.get('location'), /stp_cs_/, 'the secret is not in the redirect');
    const captured = dev.client.cookies.get('steep_note');
    assert.ok(captured, 'the note is named by a cookie');
    const stored = await ctx.server.steep.db.selectFrom('page_notes').selectAll().execute();
    assert.ok(stored.length >= 1 && stored.every((row) => !row.sealed.includes('stp_cs_') && row.id_hash !== captured), 'the database holds the note sealed, under a hash of its id');

    const shown = await dev.client.get(dev.page);
    const secret = /id="new-secret">(stp_cs_[\w-]+)</.exec(shown.text)?.[1];
    assert.ok(secret, 'the page after the post shows the secret');
    assert.match(flashOf(shown.text) ?? '', /Client secret created\. Copy it now: it is shown only once/);
    assert.equal(dev.client.cookies.has('steep_note'), false, 'the note cookie is cleared');

    const reloaded = await dev.client.get(dev.page);
    assert.ok(!reloaded.text.includes(secret), 'a reload does not show it again');
    assert.equal(flashOf(reloaded.text), undefined, 'nor the message');
    // A replayed cookie (copied before the page cleared it) finds nothing: the note was taken.
    const replay = new Client(base());
    replay.cookies = new Map(dev.client.cookies);
    replay.cookies.set('steep_note', captured);
    assert.ok(!(await replay.get(dev.page)).text.includes(secret));

    const listed = await dev.client.get(`/api/oauth/client/${dev.clientId}`);
    assert.equal(listed.body.secrets.length, 1, 'exactly one secret was made');
    assert.equal(listed.body.secrets[0].secret.slice(-10), secret.slice(-10));
    // The app may not use client_credentials (400), but a secret that is not its own would be 401.
    assert.equal((await tokenRequest(base(), { clientId: dev.clientId, secret }, { grant_type: 'client_credentials' })).status, 400, 'the secret shown authenticates');
  });

  it('shows a new personal access token once, and the secret list gets creation dates', async () => {
    const dev = await developer();
    const made = await dev.post('/settings/tokens', { name: 'Nightly', scopes: 'record|read', expiredTime: '2999-01-01' });
    assert.equal(made.status, 303);
    assert.equal(made.headers.get('location'), '/settings/tokens');
    const shown = await dev.client.get('/settings/tokens');
    const token = /id="new-token">(stp_pat_[\w-]+)</.exec(shown.text)?.[1];
    assert.ok(token);
    assert.match(flashOf(shown.text) ?? '', /Token “Nightly” created/);
    assert.ok(!(await dev.client.get('/settings/tokens')).text.includes(token));
    assert.equal((await dev.client.get('/api/access-token')).body.length, 1);
    assert.equal((await new Client(base()).get('/api/auth/user/me', { token })).status, 200);

    await dev.client.post(`/api/oauth/client/${dev.clientId}/secret`);
    const page = (await dev.client.get(dev.page)).text;
    assert.match(page, /<td data-label="Created"><time datetime="\d{4}-\d\d-\d\dT[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/time><\/td>/);
  });

  it('keeps a note only a few minutes, and only for the person who acted', async () => {
    const dev = await developer();
    await dev.post(`${dev.page}/secrets`);
    ctx.server.clock.advance(301);
    assert.doesNotMatch((await dev.client.get(dev.page)).text, /id="new-secret"/, 'an expired note shows nothing');

    await dev.post(`${dev.page}/secrets`);
    const other = await newUser(base(), 'other');
    other.client.cookies.set('steep_note', dev.client.cookies.get('steep_note')!);
    assert.doesNotMatch((await other.client.get('/settings/apps')).text, /stp_cs_|role="status"/, "another person never sees it");
    assert.doesNotMatch((await dev.client.get(dev.page)).text, /id="new-secret"/, 'and it is gone once taken');

    // Notes nobody came back for leave with the sweep.
    await dev.post(`${dev.page}/secrets`);
    ctx.server.clock.advance(301);
    await sweep(ctx.server.steep.db, ctx.server.clock.now());
    assert.equal((await ctx.server.steep.db.selectFrom('page_notes').selectAll().execute()).length, 0);
  });

  it('deletes a secret, a token and an app only through their confirmation steps, each with its message once', async () => {
    const dev = await developer();
    const secret = (await dev.client.post(`/api/oauth/client/${dev.clientId}/secret`)).body;
    const deleteSecret = `${dev.page}/secrets/${secret.id}/delete`;
    const asked = await dev.client.get(deleteSecret);
    assert.equal(asked.status, 200);
    assert.match(asked.text, new RegExp(`Delete the secret ending ${secret.secret.slice(-4)}\\?`));
    const unconfirmed = await dev.post(deleteSecret);
    assert.equal(unconfirmed.status, 200, 'a post without the confirmation gets the confirmation page');
    assert.match(unconfirmed.text, /name="confirm" value="yes"/);
    assert.equal((await dev.client.get(`/api/oauth/client/${dev.clientId}`)).body.secrets.length, 1, 'nothing was deleted');
    assert.equal((await dev.post(deleteSecret, { confirm: 'yes' })).status, 303);
    assert.equal((await dev.client.get(`/api/oauth/client/${dev.clientId}`)).body.secrets, undefined);
    assert.equal(flashOf((await dev.client.get(dev.page)).text), `Client secret ending ${secret.secret.slice(-4)} deleted.`);
    assert.equal(flashOf((await dev.client.get(dev.page)).text), undefined, 'the message is shown once');

    const token = (await dev.client.post('/api/access-token', { json: { name: 'Old', scopes: ['record|read'], expiredTime: '2999-01-01' } })).body;
    assert.equal((await dev.post(`/settings/tokens/${token.id}/delete`)).status, 200);
    assert.equal((await dev.client.get('/api/access-token')).body.length, 1);
    assert.equal((await dev.post(`/settings/tokens/${token.id}/delete`, { confirm: 'yes' })).status, 303);
    assert.equal((await dev.client.get('/api/access-token')).body.length, 0);
    assert.equal(flashOf((await dev.client.get('/settings/tokens')).text), 'Token “Old” deleted.');

    const deleteApp = `${dev.page}/delete`;
    assert.match((await dev.client.get(deleteApp)).text, /To confirm, type “Keeper”/);
    assert.equal((await dev.post(deleteApp)).status, 200);
    const mistyped = await dev.post(deleteApp, { confirm: 'yes', confirm_name: 'keeper' });
    assert.equal(mistyped.status, 400);
    assert.match(mistyped.text, /The name typed does not match “Keeper”; type it exactly to confirm\./);
    assert.equal((await dev.client.get(`/api/oauth/client/${dev.clientId}`)).status, 200, 'the app is still there');
    const deleted = await dev.post(deleteApp, { confirm: 'yes', confirm_name: ' Keeper ' });
    assert.equal(deleted.headers.get('location'), '/settings/apps');
    assert.equal((await dev.client.get(`/api/oauth/client/${dev.clientId}`)).status, 404);
    assert.match(flashOf((await dev.client.get('/settings/apps')).text) ?? '', /^App “Keeper” deleted\./);
  });

  it('revokes an authorization only after its confirmation, then says so once', async () => {
    const app = await newApp(base());
    const person = await newUser(base(), 'person');
    const code = await codeFor(person.client, app.clientId);
    const tokens = await tokenRequest(base(), app, { grant_type: 'authorization_code', code, redirect_uri: app.redirectUris[0] });
    const revoke = `/settings/authorized/${app.clientId}/revoke`;
    assert.match((await person.client.get(revoke)).text, /Revoke access for test\?/);
    const csrf = csrfOf((await person.client.get('/settings/authorized')).text);
    const post = (form: Record<string, string>) => person.client.post(revoke, { form: { csrf, ...form }, headers: { origin: base() } });
    assert.equal((await post({})).status, 200);
    assert.equal((await new Client(base()).get('/api/auth/user', { token: tokens.body.access_token })).status, 200, 'still authorized');
    assert.equal((await post({ confirm: 'yes' })).status, 303);
    assert.equal((await new Client(base()).get('/api/auth/user', { token: tokens.body.access_token })).status, 401);
    assert.equal(flashOf((await person.client.get('/settings/authorized')).text), 'Access for test revoked. It can no longer act on your behalf.');
    assert.equal((await person.client.get(revoke)).status, 404, 'nothing left to revoke');
  });

  it('says "signed out" once on the sign-in page, and registered/saved after the app forms', async () => {
    const dev = await developer();
    const form = { name: 'Notes', homepage: 'https://notes.example', redirectUris: 'https://notes.example/cb', clientType: 'confidential', grantTypes: 'authorization_code', action: 'save' };
    const created = await dev.post('/settings/apps/new', form);
    assert.equal(created.status, 303);
    const location = created.headers.get('location')!;
    assert.match(flashOf((await dev.client.get(location)).text) ?? '', /^App “Notes” registered\. Generate a client secret below/);
    await dev.post(`${location}/edit`, { ...form, name: 'Notes 2' });
    assert.equal(flashOf((await dev.client.get(location)).text), 'Changes to “Notes 2” saved.');

    const out = await dev.post('/auth/signout');
    assert.equal(out.headers.get('location'), '/auth/login');
    assert.equal(flashOf((await dev.client.get('/auth/login')).text), 'You have signed out.');
    assert.equal(flashOf((await dev.client.get('/auth/login')).text), undefined);
  });
});
