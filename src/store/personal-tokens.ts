// Personal access tokens (PATs).
import type { Db } from './db.ts';
import { prepared } from './prepared.ts';
import type { PersonalTokenTable } from './schema.ts';
import type { User } from './users.ts';

export type PersonalToken = PersonalTokenTable;

const liveWithOwner = prepared((db: Db, tokenHash: string, now: number) =>
  db
    .selectFrom('personal_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .selectAll('u')
    .select(['t.id as token_id', 't.scopes as token_scopes', 't.expires_at as token_expires_at', 't.created_at as token_created_at'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.expires_at', '>', now),
);

export class PersonalTokenStore {
  constructor(private readonly db: Db) {}

  async create(token: PersonalToken): Promise<void> {
    await this.db.insertInto('personal_tokens').values(token).execute();
  }

  listByUser(userId: string): Promise<PersonalToken[]> {
    return this.db.selectFrom('personal_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id').execute();
  }

  /** A live token and its owner in one query: the hot path of every PAT-authenticated request. */
  async liveWithOwner(tokenHash: string, now: number): Promise<{ tokenId: string; scopes: string; expiresAt: number; createdAt: number; user: User } | undefined> {
    const row = await liveWithOwner(this.db, tokenHash, now);
    if (!row) return undefined;
    const { token_id, token_scopes, token_expires_at, token_created_at, ...user } = row;
    return { tokenId: token_id, scopes: token_scopes, expiresAt: token_expires_at, createdAt: token_created_at, user };
  }

  /** Whether a token with this hash exists, live or expired (an expired one is no guess, for the rate limits). */
  async exists(tokenHash: string): Promise<boolean> {
    return (await this.db.selectFrom('personal_tokens').select('id').where('token_hash', '=', tokenHash).executeTakeFirst()) !== undefined;
  }

  /** Changes name, description and scopes of the user's token; false when it is not theirs. */
  async update(userId: string, id: string, fields: Pick<PersonalToken, 'name' | 'description' | 'scopes'>): Promise<boolean> {
    const result = await this.db.updateTable('personal_tokens').set(fields).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Swaps in a new secret (the old one stops working) and a new expiry; false when it is not theirs. */
  async replaceSecret(userId: string, id: string, tokenHash: string, expiresAt: number): Promise<boolean> {
    const result = await this.db
      .updateTable('personal_tokens')
      .set({ token_hash: tokenHash, expires_at: expiresAt })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Deletes the user's token; false when it is not theirs or does not exist. */
  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('personal_tokens').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
