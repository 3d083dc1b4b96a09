// Emails and passwords from the command line, checked by the same rules as the sign-up API. A password
// comes from --password-stdin (nothing in shell history or the process list) or --password (convenient, visible).
import { text } from 'node:stream/consumers';
import type { Command } from 'commander';
import { signupBody } from '../schemas/accounts.ts';

export interface PasswordOptions {
  password?: string;
  passwordStdin?: boolean;
}

/** --email, --password and --password-stdin on a command that sets an account's password. */
export function withAccountOptions(command: Command): Command {
  return command
    .option('--email <email>', 'the account email (required)')
    .option('--password <password>', 'the password (visible in shell history and to `ps`; prefer --password-stdin)')
    .option('--password-stdin', 'read the password from standard input (one line), e.g. piped from a secrets manager');
}

/** Problems with an email flag (`--email`, `--user`), phrased for the command line. */
export function emailProblems(email: string | undefined, flag = '--email'): string[] {
  if (email === undefined) return [`${flag} is required`];
  return signupBody.shape.email.safeParse(email).success ? [] : [`${flag}: ${JSON.stringify(email)} is not a valid email address`];
}

/** Where the password comes from, or the problems with how it was given (checked before stdin is read). */
export function passwordSourceProblems(options: PasswordOptions): string[] {
  if (options.password !== undefined && options.passwordStdin) return ['give either --password or --password-stdin, not both'];
  if (options.password === undefined && !options.passwordStdin) return ['a password is required: --password-stdin (or --password)'];
  return [];
}

/** The password's own problems (length), named by where it came from. */
export function passwordProblems(password: string, options: PasswordOptions): string[] {
  const source = options.passwordStdin ? 'the password read from standard input' : '--password';
  return signupBody.shape.password.safeParse(password).success ? [] : [`${source} must be 8 to 128 characters`];
}

/** The password as given; from stdin, without the line ending a shell or `echo` adds. */
export async function readPassword(options: PasswordOptions): Promise<string> {
  if (options.password !== undefined) return options.password;
  return (await text(process.stdin)).replace(/\r?\n$/, '');
}
