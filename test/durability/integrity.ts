// Rows that only a half-finished write could leave behind, counted straight from the database.
import { sql } from 'kysely';
import type { Db } from '../../src/store/db.ts';

const ORPHANS: Record<string, string> = {
  'tokens without their grant': 'select count(*) as n from tokens t left join grants g on g.id = t.grant_id where g.id is null',
  'tokens without their app': 'select count(*) as n from tokens t left join apps a on a.client_id = t.client_id where a.client_id is null',
  'grants without their app': 'select count(*) as n from grants g left join apps a on a.client_id = g.client_id where a.client_id is null',
  'secrets without their app': 'select count(*) as n from client_secrets s left join apps a on a.client_id = s.client_id where a.client_id is null',
  'codes redeemed into a missing grant': 'select count(*) as n from codes c left join grants g on g.id = c.grant_id where c.grant_id is not null and g.id is null',
  'apps without an owner row': 'select count(*) as n from apps a left join users u on u.id = a.user_id where a.user_id is not null and u.id is null',
};

/** Each kind of half-written row with how many there are; an app's JSON columns must parse too. */
export async function halfWritten(db: Db): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const [what, query] of Object.entries(ORPHANS)) {
    const { rows } = await sql<{ n: number | string }>`${sql.raw(query)}`.execute(db);
    found[what] = Number(rows[0].n);
  }
  const apps = await db.selectFrom('apps').select(['scopes', 'redirect_uris', 'grant_types']).execute();
  found['apps with unreadable lists or no redirect URI'] = apps.filter((app) => {
    try {
      const lists = [JSON.parse(app.scopes), JSON.parse(app.redirect_uris), JSON.parse(app.grant_types)];
      return !lists.every(Array.isArray) || lists[1].length === 0;
    } catch {
      return true;
    }
  }).length;
  return found;
}
