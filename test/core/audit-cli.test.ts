// `steep audit` for operators: the audit log filtered by person, app, time and count, as text or JSON.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { newUser } from '../helpers/client.ts';
import { newApp } from '../helpers/oauth.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const run = promisify(execFile);
const bin = new URL('../../bin/steep.js', import.meta.url).pathname;

describe('steep audit', () => {
  let server: TestServer;
  let steep: (...args: string[]) => Promise<string>;
  let app: Awaited<ReturnType<typeof newApp>>;

  before(async () => {
    server = await startTestServer('sqlite');
    const env = { ...process.env, DATABASE_URL: server.sqlitePath!, STEEP_SECRET: server.config.secret };
    steep = async (...args) => (await run(process.execPath, [bin, 'audit', ...args], { env })).stdout;
    app = await newApp(server.url);
    await newUser(server.url, 'bystander');
  });
  after(() => server?.close());

  it('prints the events of one person or one app, newest first, as text or JSON lines', async () => {
    const text = (await steep('--user', app.owner.email.toUpperCase())).trim().split('\n');
    assert.equal(text.length, 2);
    assert.match(text[0], new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+Z  secret\\.created  actor=${app.owner.id}  user=${app.owner.id}  client=${app.clientId}  ip=127\\.0\\.0\\.1  ua="node"  \\{"secretId":"sec\\w+"\\}$`));
    assert.match(text[1], /  app\.created  .*\{"name":"test"\}$/);
    const json = (await steep('--client', app.clientId, '--json', '--limit', '1')).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(json.length, 1);
    assert.equal(json[0].type, 'secret.created');
    assert.equal(json[0].userId, app.owner.id);
    assert.match(await steep('--since', '2999-01-01'), /^no events match$/m);
    assert.equal((await steep('--since', new Date(server.clock.now() - 60_000).toISOString())).trim().split('\n').length, 2);
  });

  it('refuses bad options with one clear line: exit 2 for the command line, 1 for a user that does not exist', async () => {
    for (const [args, message, code] of [
      [['--since', 'yesterday'], /--since.*must be an ISO 8601 date/, 2],
      [['--limit', '0'], /--limit.*must be a whole number from 1 to 10000/, 2],
      [['--user', 'nobody@example.com'], /no user with email nobody@example\.com/, 1],
    ] as const) {
      const failure = await steep(...args).then(() => null, (error) => error);
      assert.ok(failure, `${args.join(' ')} should fail`);
      assert.equal(failure.code, code);
      assert.match(failure.stderr, message);
    }
  });
});
