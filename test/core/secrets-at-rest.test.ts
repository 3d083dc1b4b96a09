// Secrets, tokens, session ids and passwords never appear in plaintext in the database file.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, it } from 'node:test';
import { newUser } from '../helpers/client.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer('sqlite');
});
after(async () => {
  await server.close();
});

it('stores only hashes: no secret is found in the SQLite file or its WAL', async () => {
  const { client, password } = await newUser(server.url);
  const session = client.cookies.get('steep_session')!;
  const pat = await client.post('/api/access-token', { json: { name: 'x', scopes: ['record|read'], expiredTime: '2999-01-01' } });
  const app = await client.post('/api/oauth/client', { json: { name: 'a', homepage: 'https://a.example', redirectUris: ['https://a.example/cb'] } });
  const secret = await client.post(`/api/oauth/client/${app.body.clientId}/secret`);
  await client.get('/api/oauth/client', { token: pat.body.token });
  await server.steep.usage.flush();

  const bytes = [server.sqlitePath!, `${server.sqlitePath}-wal`].filter(existsSync).map((file) => readFileSync(file));
  const haystack = Buffer.concat(bytes);
  assert.ok(haystack.includes(Buffer.from(app.body.clientId)), 'the search does find stored text (the client id is public)');
  for (const [what, value] of [
    ['password', password],
    ['session id', session],
    ['personal access token', pat.body.token],
    ['client secret', secret.body.secret],
    ['client secret body (without prefix)', secret.body.secret.slice(7)],
  ]) {
    assert.equal(haystack.includes(Buffer.from(value)), false, `${what} found in the database file`);
  }
});
