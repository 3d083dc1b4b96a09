// steep users list | create | delete | set-password (`user` is the older spelling, kept as an alias).
import type { Command } from 'commander';
import { createUser, normalizeEmail } from '../services/accounts.ts';
import { hashPassword } from '../domain/password.ts';
import { OperatorStore } from '../store/operator.ts';
import { type PasswordOptions, emailProblems, withAccountOptions, passwordProblems, passwordSourceProblems, readPassword } from './account-input.ts';
import { refuseProblems } from './failures.ts';
import { userByEmail } from './find.ts';
import { iso, printRows } from './print.ts';
import { withSteep } from './with-steep.ts';

/** The email and password of create and set-password, every problem with either reported at once. */
async function accountInput(options: PasswordOptions & { email?: string }): Promise<{ email: string; password: string }> {
  const sourceProblems = passwordSourceProblems(options);
  const password = sourceProblems.length ? undefined : await readPassword(options);
  refuseProblems([...emailProblems(options.email), ...sourceProblems, ...(password === undefined ? [] : passwordProblems(password, options))]);
  return { email: options.email!, password: password! };
}

export function registerUsers(program: Command): void {
  const users = program.command('users').alias('user').description('accounts: list, create, delete, set a password');

  users
    .command('list')
    .description('every account: id, email, name, created, how many apps it owns')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const rows = await withSteep((steep) => new OperatorStore(steep.db).listUsers());
      printRows(rows.map((u) => ({ id: u.id, email: u.email, name: u.name, created: iso(u.created_at), apps: u.apps })), { json: options.json, none: 'no users yet' });
    });

  withAccountOptions(users.command('create').description('create an account (the way to make one when STEEP_SIGNUP=closed)'))
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .action(async (options: PasswordOptions & { email?: string; name?: string }) => {
      const input = await accountInput(options);
      const user = await withSteep((steep) => createUser(steep, { ...input, name: options.name }));
      console.log(`created user ${user.id} <${user.email}>`);
    });

  users
    .command('delete')
    .description('delete an account with its sessions, tokens, consents and the apps it owns')
    .option('--email <email>', 'the account email (required)')
    .action(async (options: { email?: string }) => {
      refuseProblems(emailProblems(options.email));
      const { user, apps } = await withSteep(async (steep) => {
        const user = await userByEmail(steep, options.email!);
        const operator = new OperatorStore(steep.db);
        const apps = (await operator.listApps(user.id)).length;
        await operator.deleteUser(user.id);
        return { user, apps };
      });
      console.log(`deleted user ${user.id} <${user.email}> and the ${apps} app(s) it owned`);
    });

  withAccountOptions(users.command('set-password').description("replace an account's password and end its sessions"))
    .action(async (options: PasswordOptions & { email?: string }) => {
      const input = await accountInput(options);
      const ended = await withSteep(async (steep) => {
        const user = await userByEmail(steep, input.email);
        return new OperatorStore(steep.db).setPassword(user.id, await hashPassword(input.password));
      });
      console.log(`set the password of ${normalizeEmail(input.email)}; ended ${ended} session(s)`);
    });
}
