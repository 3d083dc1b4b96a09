// What only an operator does, from the CLI: list every account and app, change a password, and revoke
// in bulk. None of it runs on a request path, so it lives apart from the per-request stores.
import type { Db } from './db.ts';

export interface UserListing {
  id: string;
  email: string;
  name: string;
  created_at: number;
  apps: number;
}

export interface AppListing {
  client_id: string;
  name: string;
  client_type: string;
  owner_email: string | null;
  created_at: number;
}

/** What a revocation ended; each count is of things that were live. */
export interface Revoked {
  grants: number;
  personalTokens: number;
  sessions: number;
  consents: number;
}

export class OperatorStore {
  constructor(private readonly db: Db) {}

  listUsers(): Promise<UserListing[]> {
    return this.db
      .selectFrom('users')
      .select(['users.id', 'users.email', 'users.name', 'users.created_at'])
      .select((eb) => eb.selectFrom('apps').select((a) => a.fn.countAll<number>().as('n')).whereRef('apps.user_id', '=', 'users.id').as('apps'))
      .orderBy('users.created_at')
      .orderBy('users.id')
      .execute()
      .then((rows) => rows.map((row) => ({ ...row, apps: Number(row.apps) })));
  }

  /** Every app, or one owner's; self-registered apps have no owner. */
  listApps(ownerId?: string): Promise<AppListing[]> {
    let query = this.db
      .selectFrom('apps')
      .leftJoin('users', 'users.id', 'apps.user_id')
      .select(['apps.client_id', 'apps.name', 'apps.client_type', 'users.email as owner_email', 'apps.created_at']);
    if (ownerId) query = query.where('apps.user_id', '=', ownerId);
    return query.orderBy('apps.created_at').orderBy('apps.client_id').execute();
  }

  /** Deletes the account; its sessions, tokens, consents and its own apps (with their tokens) go with it (foreign-key cascade). */
  async deleteUser(userId: string): Promise<void> {
    await this.db.deleteFrom('users').where('id', '=', userId).execute();
  }

  /** Any app, owned or self-registered; cascades like AppStore.delete(). */
  async deleteApp(clientId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('apps').where('client_id', '=', clientId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** A new password ends every session of the account: whoever knew the old one is signed out. */
  async setPassword(userId: string, passwordHash: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
      const ended = await trx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
      return Number(ended.numDeletedRows);
    });
  }

  /**
   * Revokes every grant (with its access and refresh tokens) of the user, of the app, or of that user
   * with that app, and forgets the matching consents, so no app gets tokens again without asking. For a
   * user alone, also deletes the personal access tokens and ends the sessions: nothing they held still works.
   * Grants before tokens, as GrantStore does, so this cannot deadlock with a request's revocation.
   */
  async revoke(by: { userId?: string; clientId?: string }, now: number): Promise<Revoked> {
    const { userId, clientId } = by;
    if (!userId && !clientId) throw new Error('revoke needs a user or an app');
    return this.db.transaction().execute(async (trx) => {
      let grants = trx.updateTable('grants').set({ revoked_at: now }).where('revoked_at', 'is', null);
      let grantIds = trx.selectFrom('grants').select('id');
      let consents = trx.deleteFrom('consents');
      if (userId) {
        grants = grants.where('user_id', '=', userId);
        grantIds = grantIds.where('user_id', '=', userId);
        consents = consents.where('user_id', '=', userId);
      }
      if (clientId) {
        grants = grants.where('client_id', '=', clientId);
        grantIds = grantIds.where('client_id', '=', clientId);
        consents = consents.where('client_id', '=', clientId);
      }
      const revokedGrants = await grants.executeTakeFirst();
      await trx.updateTable('tokens').set({ revoked_at: now }).where('grant_id', 'in', grantIds).where('revoked_at', 'is', null).execute();
      const forgotten = await consents.executeTakeFirst();
      const revoked = { grants: Number(revokedGrants.numUpdatedRows), personalTokens: 0, sessions: 0, consents: Number(forgotten.numDeletedRows) };
      if (userId && !clientId) {
        revoked.personalTokens = Number((await trx.deleteFrom('personal_tokens').where('user_id', '=', userId).executeTakeFirst()).numDeletedRows);
        revoked.sessions = Number((await trx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst()).numDeletedRows);
      }
      return revoked;
    });
  }
}
