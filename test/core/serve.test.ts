// `steep serve` as an operator runs it: the port flag is the port, listen failures are one clear line,
// and the log is JSON from its first line, with one start-up and one shutdown line, one line per
// request carrying the caller's ids and never a credential, and static files at debug.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { Client, newPersonalToken, newUser } from '../helpers/client.ts';
import { runCli } from '../helpers/cli.ts';
import { newApp, tokensFor } from '../helpers/oauth.ts';
import { spawnSteep } from '../helpers/process.ts';

/** A port nothing listens on (the kernel's pick, released at once), or one held open until `close()`. */
async function port(hold = false): Promise<{ port: number; close(): void }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  if (!hold) await new Promise((resolve) => server.close(resolve));
  return { port, close: () => server.close() };
}

const freshDatabase = () => join(mkdtempSync(join(tmpdir(), 'steep-serve-')), 'steep.db');

it('serves on --port, logs JSON from the first line (the generated key too), and says who called, never with what', async () => {
  const { port: chosen } = await port();
  const database = freshDatabase();
  const config = loadConfig({ DATABASE_URL: database, STEEP_SECRET: 'unused-unused-unused-unused-unused-0' });
  // No STEEP_SECRET and no PUBLIC_ORIGIN: the key is generated (and said so in the log), the issuer follows --port.
  const steep = await spawnSteep(config, { STEEP_SECRET: undefined, PUBLIC_ORIGIN: undefined, LOG_LEVEL: 'debug' }, ['--workers', '1', '--port', String(chosen)]);
  const [notice, started] = steep.logs;
  assert.match(notice.msg, /STEEP_SECRET is not set: generated a server key/);
  assert.equal(started.msg, 'Steep started');
  assert.deepEqual(
    { version: started.version, database: started.database, issuer: started.issuer, address: started.address, workers: started.workers },
    { version: '0.1.0', database: { kind: 'sqlite', location: database }, issuer: `http://127.0.0.1:${chosen}`, address: `http://127.0.0.1:${chosen}`, workers: 1 },
  );

  const app = await newApp(steep.url, { scopes: ['user|email_read'] });
  const person = await newUser(steep.url, 'logged');
  const tokens = await tokensFor(person.client, app);
  const pat = await newPersonalToken(person.client);
  const api = new Client(steep.url);
  assert.equal((await api.get('/api/auth/user/me', { token: pat })).status, 200);
  assert.equal((await api.get('/api/auth/user', { token: tokens.access_token })).status, 200);
  assert.equal((await api.get('/static/steep.css')).status, 200);

  const completed = (route: string) => steep.waitForLog((line) => line.msg === 'request completed' && (line.req as { route: string }).route === route);
  const byPat = await completed('/api/auth/user/me');
  assert.deepEqual([byPat.level, byPat.auth, byPat.userId, byPat.clientId], [30, 'pat', person.id, undefined]);
  const byToken = await completed('/api/auth/user');
  assert.deepEqual([byToken.level, byToken.auth, byToken.userId, byToken.clientId], [30, 'oauth', person.id, app.clientId]);
  const byClient = await steep.waitForLog((line) => line.msg === 'request completed' && /^\/(api\/)?oauth\/(token|access_token)$/.test((line.req as { route: string }).route));
  assert.equal(byClient.clientId, app.clientId, 'a client-authenticated request logs the client id it named');
  assert.equal((await completed('/static/steep.css')).level, 20, 'static files log at debug');

  assert.equal(await steep.stop(), 0);
  assert.equal(steep.logs.at(-1)!.msg, 'Steep stopped');
  assert.equal(steep.logs.filter((line) => /^Steep (started|stopped)$/.test(line.msg)).length, 2, 'one start-up line and one shutdown line');
  const everything = JSON.stringify(steep.logs);
  for (const secret of [pat, tokens.access_token, tokens.refresh_token, app.secret, person.password, person.client.cookies.get('steep_session')!]) {
    assert.ok(!everything.includes(secret), 'no credential is ever logged');
  }
});

it('fails with one clear line and exit 1 when the port is taken, with one process or a cluster', async () => {
  const taken = await port(true);
  try {
    for (const workers of ['1', '2']) {
      const result = await runCli(['serve', '--workers', workers, '--port', String(taken.port)], { ...process.env, DATABASE_URL: freshDatabase(), STEEP_SECRET: 'serve-test-secret-serve-test-secret-01' });
      assert.equal(result.code, 1, `--workers ${workers}`);
      const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
      assert.ok(lines.some((line) => line.level === 60 && line.msg === `cannot listen on 127.0.0.1:${taken.port}: the address is already in use (another Steep or another server is on that port)`), result.stdout);
      assert.doesNotMatch(result.stdout + result.stderr, /\n\s+at /, 'no stack trace');
    }
  } finally {
    taken.close();
  }
});
