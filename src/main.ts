// CLI entry: `steep serve | migrate | user create | token create`.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { closeSteep, createSteep } from './context.ts';
import { migrate } from './store/db.ts';
import { createUser, normalizeEmail } from './services/accounts.ts';
import { createPersonalToken } from './services/personal-tokens.ts';
import { startServer } from './server.ts';
import { Command } from 'commander';
import { auditCommand } from './cli/audit.ts';

const USAGE = `Usage:
  steep serve                                   start the server (migrates first)
  steep migrate                                 apply database migrations
  steep user create --email E --password P [--name N]
  steep token create --email E --name N --scopes a,b [--days 30]   prints a personal access token once
  steep keys list                               the signing keys: id, algorithm, created, retired, published until
  steep keys rotate                             make a new current signing key (the old one stays published until its tokens expire)`;

class UsageError extends Error {}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function options(args: string[], names: string[]): Record<string, string> {
  const { values } = parseArgs({ args, options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])), strict: true });
  return values as Record<string, string>;
}

function required(values: Record<string, string>, ...names: string[]): void {
  const missing = names.filter((n) => !values[n]);
  if (missing.length) throw new UsageError(`missing --${missing.join(', --')}`);
}

/** Runs a command against a migrated database, then closes it. */
async function withSteep<T>(run: (steep: ReturnType<typeof createSteep>, applied: string[]) => Promise<T>): Promise<T> {
  const steep = createSteep(loadConfig());
  try {
    return await run(steep, await migrate(steep.db));
  } finally {
    await closeSteep(steep);
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  // Temporary: the commander-based CLI (src/cli/) takes over this wiring.
  if (command === 'audit') {
    const program = new Command('steep');
    auditCommand(program, withSteep);
    await program.parseAsync(argv, { from: 'user' });
    return;
  }
  if (command === 'serve') {
    const config = loadConfig();
    const server = await startServer(config, { logger: true });
    // Stop accepting, let in-flight requests finish (idle keep-alive connections close at once), and
    // past STEEP_SHUTDOWN_TIMEOUT cut whatever is left (a stalled upload, a slow client) and exit anyway.
    const stop = () => {
      const deadline = config.shutdownTimeoutMs;
      setTimeout(() => server.app.server.closeAllConnections(), deadline).unref();
      setTimeout(() => process.exit(0), deadline + 2000).unref();
      void server.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop).once('SIGTERM', stop);
    return;
  }
  if (command === 'migrate') {
    const applied = await withSteep(async (_steep, applied) => applied);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
    return;
  }
  if (command === 'user' && sub === 'create') {
    const values = options(rest, ['email', 'password', 'name']);
    required(values, 'email', 'password');
    if (values.password.length < 8 || values.password.length > 128) throw new UsageError('--password must be 8 to 128 characters');
    const user = await withSteep((steep) => createUser(steep, { email: values.email, password: values.password, name: values.name }));
    console.log(`created user ${user.id} <${user.email}>`);
    return;
  }
  if (command === 'token' && sub === 'create') {
    const values = options(rest, ['email', 'name', 'scopes', 'days']);
    required(values, 'email', 'name', 'scopes');
    const days = Number(values.days ?? 30);
    if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UsageError('--days must be a whole number from 1 to 3650');
    const token = await withSteep(async (steep) => {
      const user = await steep.users.byEmail(normalizeEmail(values.email));
      if (!user) throw new UsageError(`no user with email ${values.email}`);
      const known = new Set(steep.config.scopes.map((s) => s.name));
      const scopes = values.scopes.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = scopes.filter((s) => !known.has(s));
      if (!scopes.length || unknown.length) throw new UsageError(`unknown scopes: ${unknown.join(', ') || '(none given)'}`);
      return createPersonalToken(steep, user.id, { name: values.name, scopes, expiresAt: steep.clock.now() + days * 86_400_000 });
    });
    console.log(token.token);
    return;
  }
  if (command === 'keys' && (sub === 'list' || sub === 'rotate')) {
    options(rest, []);
    const lines = await withSteep(async (steep) => {
      if (sub === 'rotate') await steep.keys.rotate();
      const published = new Set((await steep.keys.published()).map((key) => key.kid));
      return (await steep.keys.list()).map((key) => {
        const state = key.retired_at === null ? 'current' : published.has(key.kid) ? `retired ${iso(key.retired_at)}, published until ${iso(key.retired_at + steep.keys.retentionMs)}` : `retired ${iso(key.retired_at)}, no longer published`;
        return `${key.kid}  ${key.alg}  created ${iso(key.created_at)}  ${state}`;
      });
    });
    console.log(lines.length ? lines.join('\n') : 'no signing keys yet: one is made on first use');
    return;
  }
  throw new UsageError(command ? `unknown command: ${argv.join(' ')}` : 'no command given');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    for (const line of error.problems) console.error(`config: ${line}`);
  } else if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`steep: ${(error as Error).message}\n${USAGE}`);
  } else {
    console.error(`steep: ${(error as Error).message}`);
  }
  process.exit(1);
});
