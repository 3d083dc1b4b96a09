// steep tokens create | revoke (`token` is the older spelling, kept as an alias).
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { createPersonalToken } from '../services/personal-tokens.ts';
import { OperatorStore } from '../store/operator.ts';
import { emailProblems } from './account-input.ts';
import { Failure, refuseProblems } from './failures.ts';
import { userByEmail } from './find.ts';
import { withSteep } from './with-steep.ts';

interface CreateOptions {
  email?: string;
  name?: string;
  scopes?: string;
  days: string;
}

export function registerTokens(program: Command): void {
  const tokens = program.command('tokens').alias('token').description('personal access tokens and OAuth tokens: create, revoke');

  tokens
    .command('create')
    .description('create a personal access token for an account and print it (shown once)')
    .option('--email <email>', 'the account (required)')
    .option('--name <name>', 'what the token is for, 1 to 100 characters (required)')
    .option('--scopes <list>', 'comma-separated scopes from the scope list, e.g. record|read,table|read (required)')
    .option('--days <n>', 'days until it expires, 1 to 3650', '30')
    .action(async (options: CreateOptions) => {
      const config = loadConfig();
      const known = new Set(config.scopes.map((s) => s.name));
      const scopes = (options.scopes ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = scopes.filter((s) => !known.has(s));
      const days = Number(options.days);
      refuseProblems([
        ...emailProblems(options.email),
        ...(options.name?.trim() && options.name.trim().length <= 100 ? [] : ['--name is required, 1 to 100 characters']),
        ...(scopes.length ? [] : ['--scopes is required: at least one scope']),
        ...(unknown.length ? [`unknown scopes: ${unknown.join(', ')}`] : []),
        ...(Number.isInteger(days) && days >= 1 && days <= 3650 ? [] : ['--days must be a whole number from 1 to 3650']),
      ]);
      const token = await withSteep(async (steep) => {
        const user = await userByEmail(steep, options.email!);
        return createPersonalToken(steep, user.id, { name: options.name!, scopes, expiresAt: steep.clock.now() + days * 86_400_000 });
      }, config);
      console.log(token.token);
    });

  tokens
    .command('revoke')
    .description(
      "revoke in bulk: --user ends every OAuth grant (access and refresh tokens), consent, personal access token and session of the account; --app every grant and consent of the app, for every user; both: that user's grants of that app",
    )
    .option('--user <email>', 'the account')
    .option('--app <clientId>', 'the app')
    .action(async (options: { user?: string; app?: string }) => {
      refuseProblems([
        ...(options.user === undefined && options.app === undefined ? ['name what to revoke: --user EMAIL, --app CLIENT_ID, or both'] : []),
        ...(options.user === undefined ? [] : emailProblems(options.user, '--user')),
      ]);
      const revoked = await withSteep(async (steep) => {
        const user = options.user === undefined ? undefined : await userByEmail(steep, options.user);
        if (options.app !== undefined && !(await steep.apps.byClientId(options.app))) throw new Failure(`no app with client id ${options.app}`);
        return new OperatorStore(steep.db).revoke({ userId: user?.id, clientId: options.app }, steep.clock.now());
      });
      console.log(
        `revoked ${revoked.grants} grant(s) with their access and refresh tokens, forgot ${revoked.consents} consent(s)` +
          (options.app === undefined ? `, deleted ${revoked.personalTokens} personal access token(s), ended ${revoked.sessions} session(s)` : ''),
      );
    });
}
