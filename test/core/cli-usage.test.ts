// The CLI's own surface, without a database: help, version, and usage errors (exit 2, every problem at once).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { runCli, runCliWithoutReader } from '../helpers/cli.ts';

const env = { ...process.env, DATABASE_URL: ':memory:', STEEP_SECRET: 'cli-usage-secret-cli-usage-secret-0123' };
const steep = (...args: string[]) => runCli(args, env);

it('prints help with every command and the exit codes, and the version from package.json, exiting 0', async () => {
  const help = await steep('--help');
  assert.equal(help.code, 0);
  for (const command of ['serve', 'migrate', 'users', 'apps', 'tokens', 'keys', 'backup']) assert.match(help.stdout, new RegExp(`\\n  ${command}\\b`));
  assert.match(help.stdout, /Exit codes:\n  0 .*\n  1 .*\n  2 +usage error/);
  const version = await steep('--version');
  assert.equal(version.code, 0);
  assert.equal(version.stdout.trim(), JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
});

it('ends quietly, exit 0, when its reader stops early (steep --help | head -1)', async () => {
  const result = await runCliWithoutReader(['--help'], env);
  assert.equal(result.code, 0);
  assert.doesNotMatch(result.stderr, /EPIPE|\n\s+at /, 'no stack trace');
});

it('reports every problem of a command line at once and exits 2', async () => {
  const create = await steep('users', 'create', '--email', 'bad', '--password', 'x');
  assert.equal(create.code, 2);
  assert.match(create.stderr, /--email: "bad" is not a valid email address/);
  assert.match(create.stderr, /--password must be 8 to 128 characters/);
  assert.doesNotMatch(create.stderr, /\n\s+at /, 'no stack trace');

  const serve = await steep('serve', '--port', '70000', '--workers', 'zero');
  assert.equal(serve.code, 2);
  assert.match(serve.stderr, /--port must be a whole number from 1 to 65535/);
  assert.match(serve.stderr, /--workers must be a whole number from 1 to 256/);
});

it('refuses unknown commands, unknown flags and stray arguments with exit 2', async () => {
  for (const args of [['frobnicate'], ['users', 'create', '--pasword', 'x'], ['migrate', 'now'], ['serve', '--port']]) {
    const result = await steep(...args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, /error: (unknown command|unknown option|too many arguments|option .* argument missing)/, args.join(' '));
  }
});
