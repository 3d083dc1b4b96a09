// `steep audit`: the audit log for operators, filtered by person, app and time, as text or JSON.
import { type Command, InvalidArgumentError } from 'commander';
import { type AuditView, auditView } from '../events/audit-log.ts';
import { userByEmail } from './find.ts';
import { withSteep } from './with-steep.ts';

interface AuditOptions {
  user?: string;
  client?: string;
  since?: number;
  limit: number;
  json?: boolean;
}

function sinceTime(value: string): number {
  const at = Date.parse(value);
  if (!/^\d{4}-\d\d-\d\d/.test(value) || Number.isNaN(at)) throw new InvalidArgumentError('must be an ISO 8601 date or date-time, such as 2030-01-31 or 2030-01-31T12:00:00Z.');
  return at;
}

function limit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 10_000) throw new InvalidArgumentError('must be a whole number from 1 to 10000.');
  return n;
}

/** One line per event; values that may hold spaces (the user agent, details) are JSON-quoted. */
function line(event: AuditView): string {
  const parts = [event.time, event.type];
  for (const [name, value] of [['actor', event.actor], ['user', event.userId], ['client', event.clientId], ['ip', event.ip]] as const) {
    if (value !== undefined) parts.push(`${name}=${value}`);
  }
  if (event.userAgent !== undefined) parts.push(`ua=${JSON.stringify(event.userAgent)}`);
  if (Object.keys(event.details).length) parts.push(JSON.stringify(event.details));
  return parts.join('  ');
}

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('print security events from the audit log, newest first')
    .option('--user <email>', 'events that involve this person (as actor, as the person concerned, or as the app owner)')
    .option('--client <id>', "events about this app's client id")
    .option('--since <iso>', 'events at or after this time', sinceTime)
    .option('--limit <n>', 'at most this many events (1 to 10000)', limit, 100)
    .option('--json', 'one JSON object per line instead of text')
    .action(async (options: AuditOptions) => {
      const events = await withSteep(async (steep) => {
        const user = options.user === undefined ? undefined : await userByEmail(steep, options.user);
        const rows = await steep.audit.list({ userId: user?.id, clientId: options.client, since: options.since, limit: options.limit });
        return rows.map((row) => auditView(row));
      });
      if (options.json) for (const event of events) console.log(JSON.stringify(event));
      else console.log(events.length ? events.map(line).join('\n') : 'no events match');
    });
}
