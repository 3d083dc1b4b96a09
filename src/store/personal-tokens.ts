// Personal access tokens (PATs).
import type { Db } from './db.ts';
import type { PersonalTokenTable } from './schema.ts';

export type PersonalToken = PersonalTokenTable;

export class PersonalTokenStore {
  constructor(private readonly db: Db) {}

  async create(token: PersonalToken): Promise<void> {
    await this.db.insertInto('personal_tokens').values(token).execute();
  }

  listByUser(userId: string): Promise<PersonalToken[]> {
    return this.db.selectFrom('personal_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id').execute();
  }

  /** A live token by its hash, or undefined when unknown or expired. */
  byHash(tokenHash: string, now: number): Promise<PersonalToken | undefined> {
    return this.db
      .selectFrom('personal_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /** Deletes the user's token; false when it is not theirs or does not exist. */
  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('personal_tokens').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
