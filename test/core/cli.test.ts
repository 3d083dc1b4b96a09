// The CLI bootstraps without a browser: migrate, create a user and a PAT, then the PAT works against a server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { it } from 'node:test';
import { Client } from '../helpers/client.ts';
import { startTestServer } from '../helpers/server.ts';

const run = promisify(execFile);
const bin = new URL('../../bin/steep.js', import.meta.url).pathname;

it('migrate, user create and token create work headless, and the printed PAT is accepted', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'steep-cli-'));
  const env = { ...process.env, DATABASE_URL: `sqlite:${join(folder, 'steep.db')}`, STEEP_SECRET: 'cli-test-secret-cli-test-secret-0123' };
  const steep = (...args: string[]) => run(process.execPath, [bin, ...args], { env });

  assert.match((await steep('migrate')).stdout, /applied: 001_initial/);
  assert.match((await steep('migrate')).stdout, /up to date/);
  assert.match((await steep('user', 'create', '--email', 'Op@Example.com', '--password', 'operator-password', '--name', 'Operator')).stdout, /created user usr\w+ <op@example.com>/);
  const { stdout } = await steep('token', 'create', '--email', 'op@example.com', '--name', 'bootstrap', '--scopes', 'record|read,table|read', '--days', '7');
  const token = stdout.trim();
  assert.match(token, /^stp_pat_[A-Za-z0-9_-]{43}$/);

  await assert.rejects(steep('user', 'create', '--email', 'op@example.com', '--password', 'operator-password'), /already exists/);
  await assert.rejects(steep('token', 'create', '--email', 'op@example.com', '--name', 'x', '--scopes', 'record|fly'), /unknown scopes: record\|fly/);
  await assert.rejects(steep('frobnicate'), /unknown command/);

  const server = await startTestServer('sqlite', { DATABASE_URL: env.DATABASE_URL, STEEP_SECRET: env.STEEP_SECRET });
  try {
    const me = await new Client(server.url).get('/api/auth/user/me', { token });
    assert.equal(me.status, 200);
    assert.equal(me.body.email, 'op@example.com');
    const created = await new Client(server.url).post('/api/oauth/client', { token, json: { name: 'a', homepage: 'https://a.example', redirectUris: ['https://a.example/cb'] } });
    assert.equal(created.status, 201);
  } finally {
    await server.close();
  }
});

it('exits non-zero with one clear line per invalid setting', async () => {
  const env = { ...process.env, PORT: 'eighty', STEEP_ACCESS_TOKEN_TTL: '-5', STEEP_SIGNUP: 'maybe', DATABASE_URL: ':memory:' };
  const failure = await run(process.execPath, [bin, 'migrate'], { env }).catch((error) => error);
  assert.equal(failure.code, 1);
  assert.match(failure.stderr, /config: PORT: /);
  assert.match(failure.stderr, /config: STEEP_ACCESS_TOKEN_TTL: /);
  assert.match(failure.stderr, /config: STEEP_SIGNUP: must be one of: open, closed/);
});

it('refuses a database URL it cannot honour, naming a typo, and a PUBLIC_ORIGIN with a path', async () => {
  const fails = async (extra: Record<string, string>) => (await run(process.execPath, [bin, 'migrate'], { env: { ...process.env, ...extra } }).catch((error) => error)).stderr as string;
  assert.match(await fails({ DATABASE_URL: 'postgress://localhost/x' }), /config: DATABASE_URL: postgress:\/\/ is not a database Steep supports \(did you mean postgres:\/\/\?\)/);
  assert.match(await fails({ DATABASE_URL: 'mysql://root@localhost/steep' }), /config: DATABASE_URL: mysql:\/\/ is not a database Steep supports; use postgres/);
  assert.match(await fails({ DATABASE_URL: ':memory:', PUBLIC_ORIGIN: 'https://id.example/steep' }), /config: PUBLIC_ORIGIN: must be an origin only/);
  assert.match(await fails({ DATABASE_URL: ':memory:', PUBLIC_ORIGIN: 'https://id.example/?x=1' }), /config: PUBLIC_ORIGIN: must be an origin only/);
});
