// What each user allowed each app. `granted_at` decides whether the consent page may be skipped;
// the row itself is the user's "authorized apps" entry until they revoke it.
import type { Db } from './db.ts';
import type { ConsentTable } from './schema.ts';

export type ConsentRow = ConsentTable;

export interface AuthorizedAppRow {
  client_id: string;
  name: string;
  homepage: string;
  logo: string | null;
  description: string | null;
  scopes: string;
  last_used_at: number | null;
  /** null for an app that registered itself (no owner). */
  owner_name: string | null;
  owner_email: string | null;
}

export class ConsentStore {
  constructor(private readonly db: Db) {}

  get(userId: string, clientId: string): Promise<ConsentRow | undefined> {
    return this.db.selectFrom('consents').selectAll().where('user_id', '=', userId).where('client_id', '=', clientId).executeTakeFirst();
  }

  /** Records a consent given now (insert or replace the scopes and the time). */
  async grant(userId: string, clientId: string, scopes: string, now: number): Promise<void> {
    await this.db
      .insertInto('consents')
      .values({ user_id: userId, client_id: clientId, scopes, granted_at: now, created_at: now, last_used_at: null })
      .onConflict((oc) => oc.columns(['user_id', 'client_id']).doUpdateSet({ scopes, granted_at: now }))
      .execute();
  }

  async delete(userId: string, clientId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('consents').where('user_id', '=', userId).where('client_id', '=', clientId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The apps the user has authorized, with each app's owner, most recently granted first. */
  listAuthorized(userId: string): Promise<AuthorizedAppRow[]> {
    return this.db
      .selectFrom('consents')
      .innerJoin('apps', 'apps.client_id', 'consents.client_id')
      .leftJoin('users as owner', 'owner.id', 'apps.user_id')
      .select([
        'apps.client_id', 'apps.name', 'apps.homepage', 'apps.logo', 'apps.description',
        'consents.scopes', 'consents.last_used_at', 'owner.name as owner_name', 'owner.email as owner_email',
      ])
      .where('consents.user_id', '=', userId)
      .orderBy('consents.granted_at', 'desc')
      .orderBy('apps.client_id')
      .execute();
  }
}
