// Grants: one per code redemption, the "family" of every access and refresh token descended from it.
// Revoking a grant revokes the family; tokens of a revoked grant are dead even if written later.
import type { Db } from './db.ts';
import type { GrantTable } from './schema.ts';
import { type TokenRow, tokenInserts } from './tokens.ts';
import { type Step, atomically } from './atomic.ts';
import { template } from './prepared.ts';

export type GrantRow = GrantTable;

const insertGrant = template((db: Db, id: string, clientId: string, userId: string | null, scopes: string, resource: string | null, authTime: number | null, createdAt: number) =>
  db.insertInto('grants').values({ id, client_id: clientId, user_id: userId, scopes, resource, auth_time: authTime, created_at: createdAt, revoked_at: null }),
);

/** A new (live) grant as a step of an atomic unit. */
export const grantInsert = (db: Db, grant: GrantRow): Step => ({ query: insertGrant(db, grant.id, grant.client_id, grant.user_id, grant.scopes, grant.resource, grant.auth_time, grant.created_at) });

export class GrantStore {
  constructor(private readonly db: Db) {}

  /** A new grant with its first tokens, in one transaction (grants that need no code: client_credentials, device). */
  async create(grant: GrantRow, tokens: TokenRow[]): Promise<void> {
    await atomically(this.db, [grantInsert(this.db, grant), ...tokenInserts(this.db, tokens)]);
  }

  /** Revokes the grant and every token in it. */
  async revoke(grantId: string, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('grants').set({ revoked_at: now }).where('id', '=', grantId).where('revoked_at', 'is', null).execute();
      await trx.updateTable('tokens').set({ revoked_at: now }).where('grant_id', '=', grantId).where('revoked_at', 'is', null).execute();
    });
  }

  /**
   * Revokes every grant (and token) the app holds for the user; returns how many grants were live.
   * Grants are locked before tokens, in the same order as revoke(), so the two cannot deadlock.
   */
  async revokeAll(userId: string, clientId: string, now: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('grants')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      const grants = trx.selectFrom('grants').select('id').where('user_id', '=', userId).where('client_id', '=', clientId);
      await trx.updateTable('tokens').set({ revoked_at: now }).where('grant_id', 'in', grants).where('revoked_at', 'is', null).execute();
      return Number(result.numUpdatedRows);
    });
  }
}
