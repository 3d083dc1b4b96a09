// The operator CLI on commander: `steep <command> [options]`.
//
// Convention for adding a command group: one file per group in src/cli/ (serve.ts, users.ts, …) that
// exports `registerX(program: Command): void`, adds its commands to `program` with a description and
// a help line for every option, and is called once below. An action never calls process.exit: it
// validates every flag first and throws one UsageError (failures.ts) naming all the problems (exit 2),
// throws Failure for a well-formed command that cannot be done (exit 1), and opens the database
// through withSteep() (with-steep.ts), which migrates first and closes it afterwards. Output goes to
// stdout (lists with --json for scripts); errors to stderr, one sentence each; never print a secret
// except the one a command exists to create (tokens create).
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { VERSION } from '../version.ts';
import { registerApps } from './apps.ts';
import { registerAudit } from './audit.ts';
import { registerBackup } from './backup.ts';
import { EXIT, UsageError } from './failures.ts';
import { registerKeys } from './keys.ts';
import { registerMigrate } from './migrate.ts';
import { registerServe } from './serve.ts';
import { registerTokens } from './tokens.ts';
import { registerUsers } from './users.ts';

const FOOTER = `
Settings come from the environment (DATABASE_URL, STEEP_SECRET, …; see README.md), for every command.

Exit codes:
  0  done
  1  failed: invalid settings in the environment, or the command could not be done (no such user, a file in the way, the database unreachable)
  2  usage error: an unknown command or option, a missing or invalid value (every problem is listed)`;

function program(): Command {
  const steep = new Command('steep')
    .description('Steep, a self-hosted OAuth 2.1 and OpenID Connect server: serve it, and manage its accounts, apps, tokens and keys')
    .version(VERSION, '-v, --version', 'print the version')
    // Settings inherited by every command registered below: throw instead of exiting, so one place
    // maps commander's errors to exit code 2; and say where help is after an error.
    .exitOverride()
    .showHelpAfterError("(run 'steep --help', or 'steep <command> --help', for usage)")
    .addHelpText('after', FOOTER);
  registerServe(steep);
  registerMigrate(steep);
  registerUsers(steep);
  registerApps(steep);
  registerTokens(steep);
  registerKeys(steep);
  registerAudit(steep);
  registerBackup(steep);
  return steep;
}

/** Runs the command line and sets the exit code; serve keeps the process running after it returns. */
export async function runCli(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv, { from: 'user' });
  } catch (error) {
    process.exitCode = report(error);
  }
}

function report(error: unknown): number {
  // commander has already printed its message (or the help, or the version).
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof UsageError) {
    for (const problem of error.problems) console.error(`steep: ${problem}`);
    console.error("(run 'steep <command> --help' for usage)");
    return EXIT.usage;
  }
  if (error instanceof ConfigError) {
    for (const line of error.problems) console.error(`config: ${line}`);
    return EXIT.failure;
  }
  // Failure, a database that cannot be reached, a conflict from a service: the message is the sentence.
  console.error(`steep: ${(error as Error).message}`);
  return EXIT.failure;
}
