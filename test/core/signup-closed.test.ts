// STEEP_SIGNUP=closed: nobody signs up over HTTP (API or page, whatever the body), the pages say so
// and stop offering it, and the operator's CLI still creates accounts.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Client } from '../helpers/client.ts';
import { cliEnv, runCli } from '../helpers/cli.ts';
import { forEachDatabase } from '../helpers/server.ts';

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

forEachDatabase('closed sign-up', (ctx) => {
  it('answers the sign-up API with 403 in the Teable error shape, valid body or not', async () => {
    for (const json of [{ email: 'new@example.com', password: 'long enough password' }, { email: 'not an email' }]) {
      const reply = await new Client(ctx.server.url).post('/api/auth/signup', { json });
      assert.equal(reply.status, 403);
      assert.deepEqual(reply.body, { message: 'Sign-up is closed on this server: ask its administrator for an account.', status: 403, code: 'forbidden' });
      assert.equal(reply.headers.get('set-cookie'), null);
    }
  });

  it('says so on the sign-up page, refuses its form, and the sign-in page offers no sign-up', async () => {
    const browser = new Client(ctx.server.url);
    const login = await browser.get('/auth/login');
    assert.equal(login.status, 200);
    assert.doesNotMatch(login.text, /\/auth\/signup/);
    const signup = await browser.get('/auth/signup');
    assert.equal(signup.status, 403);
    assert.match(signup.text, /<h1>Sign-up is closed<\/h1>/);
    assert.doesNotMatch(signup.text, /type="password"/);
    const posted = await browser.post('/auth/signup', { form: { csrf: csrfOf(login.text), email: 'page@example.com', password: 'long enough password' } });
    assert.equal(posted.status, 403);
    assert.match(posted.text, /Sign-up is closed/);
    assert.equal((await new Client(ctx.server.url).post('/api/auth/signin', { json: { email: 'page@example.com', password: 'long enough password' } })).status, 401);
  });

  it('still lets the operator create accounts with the CLI', async () => {
    const created = await runCli(['users', 'create', '--email', 'invited@example.com', '--password-stdin'], cliEnv(ctx.server.config), 'long enough password');
    assert.equal(created.code, 0, created.stderr);
    assert.equal((await new Client(ctx.server.url).post('/api/auth/signin', { json: { email: 'invited@example.com', password: 'long enough password' } })).status, 200);
  });
}, { STEEP_SIGNUP: 'closed' });
