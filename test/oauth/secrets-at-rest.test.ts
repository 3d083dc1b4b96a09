// OAuth's own secrets (transaction ids, codes, access and refresh tokens) are stored only as hashes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, it } from 'node:test';
import { newUser } from '../helpers/client.ts';
import { authorizeRequest, locationOf, newApp, tokenRequest } from '../helpers/oauth.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer('sqlite');
});
after(async () => {
  await server.close();
});

it('no transaction id, code or token is found in the SQLite file or its WAL', async () => {
  const app = await newApp(server.url, { scopes: ['record|read'] });
  const user = await newUser(server.url, 'atrest');
  const transactionId = locationOf(await authorizeRequest(user.client, app.clientId), server.url).searchParams.get('transaction_id')!;
  const code = locationOf(await user.client.post('/api/oauth/decision', { form: { transaction_id: transactionId } }), server.url).searchParams.get('code')!;
  const first = (await tokenRequest(server.url, app, { grant_type: 'authorization_code', code })).body;
  const second = (await tokenRequest(server.url, app, { grant_type: 'refresh_token', refresh_token: first.refresh_token })).body;

  const haystack = Buffer.concat([server.sqlitePath!, `${server.sqlitePath}-wal`].filter(existsSync).map((file) => readFileSync(file)));
  assert.ok(haystack.includes(Buffer.from(app.clientId)), 'the search does find stored text');
  const secrets = { transactionId, code, access: first.access_token, refresh: first.refresh_token, refreshed: second.access_token, rotated: second.refresh_token };
  for (const [what, value] of Object.entries(secrets)) {
    assert.match(value, /^stp_(tx|ac|at|rt)_/, `${what} was issued`);
    assert.equal(haystack.includes(Buffer.from(value.slice(7))), false, `${what} found in the database file`);
  }
});
