// A database that cannot answer (here: a SQLite file another process holds locked) fails requests
// within STEEP_DATABASE_TIMEOUT as 503 with Retry-After, in each dialect's error shape, and Steep
// recovers by itself once the database does.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import { startTestServer } from '../helpers/server.ts';
import { Client, newUser } from '../helpers/client.ts';
import { newApp } from '../helpers/oauth.ts';

it('a database locked past STEEP_DATABASE_TIMEOUT answers 503 with Retry-After in both dialects and on pages, then recovers', async () => {
  const server = await startTestServer('sqlite', { STEEP_DATABASE_TIMEOUT: '200' });
  after(() => server.close());
  const app = await newApp(server.url, { grantTypes: ['client_credentials'], scopes: ['record|read'] });
  const person = await newUser(server.url, 'outage');
  const lock = new SQLite(server.sqlitePath!);
  try {
    lock.exec('BEGIN EXCLUSIVE');
    const started = Date.now();
    const signup = await new Client(server.url).post('/api/auth/signup', { json: { email: `o-${Date.now()}@example.com`, password: 'correct horse battery' } });
    assert.equal(signup.status, 503, signup.text);
    assert.equal(signup.headers.get('retry-after'), '5');
    assert.deepEqual(Object.keys(signup.body).sort(), ['code', 'message', 'status']);
    assert.equal(signup.body.code, 'unavailable');
    assert.ok(Date.now() - started < 3000, 'answered within the bound, not after the outage');

    const token = await new Client(server.url).post('/oauth/token', { form: { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.secret } });
    assert.equal(token.status, 503);
    assert.equal(token.body.error, 'temporarily_unavailable');

    // Reading still works while the file is locked for writing, so the form can be fetched; saving it cannot.
    const form = await person.client.get('/settings/tokens');
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)?.[1];
    assert.ok(csrf, `the form: ${form.status} ${form.text.slice(0, 200)}`);
    const page = await person.client.post('/settings/tokens', { form: { csrf, name: 'x', scopes: 'record|read', expiredTime: '2999-01-01' } });
    assert.equal(page.status, 503, page.text.slice(0, 300));
    assert.match(page.headers.get('content-type')!, /text\/html/);
    assert.match(page.text, /cannot reach its database/);
    assert.equal((await new Client(server.url).get('/healthz')).status, 200);
  } finally {
    lock.exec('COMMIT');
    lock.close();
  }
  assert.equal((await new Client(server.url).post('/api/auth/signup', { json: { email: `r-${Date.now()}@example.com`, password: 'correct horse battery' } })).status, 201, 'recovered without a restart');
});
