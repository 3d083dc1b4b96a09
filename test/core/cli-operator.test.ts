// Operator commands against a live server's database: accounts, apps, bulk revocation and backup,
// each checked by what the server then answers over HTTP.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { Client, newPersonalToken, newUser } from '../helpers/client.ts';
import { cliEnv, runCli } from '../helpers/cli.ts';
import { newApp, tokenRequest, tokensFor } from '../helpers/oauth.ts';
import { forEachDatabase, startTestServer } from '../helpers/server.ts';

const signIn = (url: string, email: string, password: string) => new Client(url).post('/api/auth/signin', { json: { email, password } });

forEachDatabase('operator CLI', (ctx) => {
  const steep = (args: string[], stdin?: string) => runCli(args, cliEnv(ctx.server.config), stdin);

  it('creates an account with the password on stdin, lists it, and set-password ends its sessions', async () => {
    const created = await steep(['users', 'create', '--email', 'Ops@Example.com', '--password-stdin', '--name', 'Ops'], 'operator-password\n');
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /created user usr\w+ <ops@example.com>/);
    const session = await signIn(ctx.server.url, 'ops@example.com', 'operator-password');
    assert.equal(session.status, 200, 'the trailing newline is not part of the password');

    const listed = await steep(['users', 'list', '--json']);
    assert.equal(listed.code, 0);
    const row = JSON.parse(listed.stdout).find((u: { email: string }) => u.email === 'ops@example.com');
    assert.deepEqual([row.id, row.name, row.apps], [session.body.id, 'Ops', 0]);
    assert.match(row.created, /^\d{4}-\d\d-\d\dT/);

    const client = new Client(ctx.server.url);
    client.cookies.set('steep_session', /steep_session=([^;]+)/.exec(session.headers.get('set-cookie')!)![1]);
    assert.equal((await client.get('/api/auth/user/me')).status, 200);
    const changed = await steep(['users', 'set-password', '--email', 'ops@example.com', '--password-stdin'], 'a new operator password');
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stdout, /ended 1 session/);
    assert.equal((await client.get('/api/auth/user/me')).status, 401, 'the old session is over');
    assert.equal((await signIn(ctx.server.url, 'ops@example.com', 'operator-password')).status, 401);
    assert.equal((await signIn(ctx.server.url, 'ops@example.com', 'a new operator password')).status, 200);
    assert.doesNotMatch(changed.stdout + changed.stderr, /a new operator password/, 'the password is never echoed');

    const duplicate = await steep(['users', 'create', '--email', 'ops@example.com', '--password', 'operator-password']);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.stderr, /already exists/);
  });

  it('tokens revoke --user ends everything the account holds; --app every grant of the app; others keep theirs', async () => {
    const app = await newApp(ctx.server.url, { scopes: ['record|read'] });
    const person = await newUser(ctx.server.url, 'person');
    const other = await newUser(ctx.server.url, 'other');
    const personTokens = await tokensFor(person.client, app);
    const otherTokens = await tokensFor(other.client, app);
    const personPat = await newPersonalToken(person.client);
    const ownerPat = await newPersonalToken(app.owner.client);

    const byUser = await steep(['tokens', 'revoke', '--user', person.email]);
    assert.equal(byUser.code, 0, byUser.stderr);
    assert.match(byUser.stdout, /revoked 1 grant\(s\).*forgot 1 consent\(s\), deleted 1 personal access token\(s\), ended 1 session\(s\)/);
    const api = new Client(ctx.server.url);
    assert.equal((await api.get('/api/auth/user', { token: personTokens.access_token })).status, 401);
    assert.equal((await tokenRequest(ctx.server.url, app, { grant_type: 'refresh_token', refresh_token: personTokens.refresh_token })).body.error, 'invalid_grant');
    assert.equal((await api.get('/api/auth/user/me', { token: personPat })).status, 401);
    assert.equal((await person.client.get('/api/auth/user/me')).status, 401);
    assert.equal((await api.get('/api/auth/user', { token: otherTokens.access_token })).status, 200, "another user's tokens for the app live on");

    const byApp = await steep(['tokens', 'revoke', '--app', app.clientId]);
    assert.equal(byApp.code, 0, byApp.stderr);
    assert.equal((await api.get('/api/auth/user', { token: otherTokens.access_token })).status, 401);
    assert.equal((await tokenRequest(ctx.server.url, app, { grant_type: 'refresh_token', refresh_token: otherTokens.refresh_token })).body.error, 'invalid_grant');
    assert.equal((await api.get('/api/oauth/client', { token: ownerPat })).status, 200, "the owner's PAT is not the app's");

    const neither = await steep(['tokens', 'revoke']);
    assert.equal(neither.code, 2);
    assert.match(neither.stderr, /--user EMAIL, --app CLIENT_ID, or both/);
    const unknown = await steep(['tokens', 'revoke', '--app', 'clt_nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no app with client id clt_nope/);
  });

  it('lists apps with their owners, deletes an app, then deletes an account', async () => {
    const app = await newApp(ctx.server.url);
    const listed = await steep(['apps', 'list', '--user', app.owner.email, '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout).map((a: { clientId: string; owner: string; type: string }) => [a.clientId, a.owner, a.type]), [[app.clientId, app.owner.email, 'confidential']]);

    const deleted = await steep(['apps', 'delete', app.clientId]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal((await app.owner.client.get(`/api/oauth/client/${app.clientId}`)).status, 404);
    assert.equal((await steep(['apps', 'delete', app.clientId])).code, 1);

    const gone = await steep(['users', 'delete', '--email', app.owner.email]);
    assert.equal(gone.code, 0, gone.stderr);
    assert.equal((await signIn(ctx.server.url, app.owner.email, app.owner.password)).status, 401);
    const again = await steep(['users', 'delete', '--email', app.owner.email]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no user with email/);
  });

  it('backs up SQLite while the server runs (a server on the copy knows the accounts); on PostgreSQL says to use pg_dump', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'steep-backup-')), 'copy.db');
    const before = await newUser(ctx.server.url, 'backed-up');
    const backup = await steep(['backup', file]);
    if (ctx.server.kind === 'postgres') {
      assert.equal(backup.code, 1);
      assert.match(backup.stderr, /PostgreSQL: back it up with pg_dump/);
      return;
    }
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /keep the server key/);
    const after = await newUser(ctx.server.url, 'too-late');
    const restored = await startTestServer('sqlite', { DATABASE_URL: file, STEEP_SECRET: ctx.server.config.secret });
    try {
      assert.equal((await signIn(restored.url, before.email, before.password)).status, 200);
      assert.equal((await signIn(restored.url, after.email, after.password)).status, 401);
    } finally {
      await restored.close();
    }
    const twice = await steep(['backup', file]);
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /already exists/);
  });
});
