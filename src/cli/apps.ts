// steep apps list | delete: every OAuth app, whoever owns it (or none: self-registered).
import type { Command } from 'commander';
import { OperatorStore } from '../store/operator.ts';
import { emailProblems } from './account-input.ts';
import { Failure, refuseProblems } from './failures.ts';
import { userByEmail } from './find.ts';
import { iso, printRows } from './print.ts';
import { withSteep } from './with-steep.ts';

export function registerApps(program: Command): void {
  const apps = program.command('apps').description('OAuth apps: list, delete');

  apps
    .command('list')
    .description('every app: client id, name, type, owner (- when it registered itself), created')
    .option('--user <email>', "only this account's apps")
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { user?: string; json?: boolean }) => {
      if (options.user !== undefined) refuseProblems(emailProblems(options.user, '--user'));
      const rows = await withSteep(async (steep) => {
        const owner = options.user === undefined ? undefined : await userByEmail(steep, options.user);
        return new OperatorStore(steep.db).listApps(owner?.id);
      });
      printRows(rows.map((a) => ({ clientId: a.client_id, name: a.name, type: a.client_type, owner: a.owner_email, created: iso(a.created_at) })), { json: options.json, none: 'no apps' });
    });

  apps
    .command('delete')
    .description('delete an app with its secrets, consents and every token it holds')
    .argument('<clientId>', 'the app to delete')
    .action(async (clientId: string) => {
      const deleted = await withSteep((steep) => new OperatorStore(steep.db).deleteApp(clientId));
      if (!deleted) throw new Failure(`no app with client id ${clientId}`);
      console.log(`deleted app ${clientId}`);
    });
}
