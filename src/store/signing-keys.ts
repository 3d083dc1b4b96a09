// JWS signing keys: every process reads the same rows, so all of them sign and publish the same keys.
import type { Db } from './db.ts';
import type { SigningKeyTable } from './schema.ts';

export type SigningKeyRow = SigningKeyTable;

export class SigningKeyStore {
  constructor(private readonly db: Db) {}

  /** Newest first: the first unretired one is the current key. */
  all(): Promise<SigningKeyRow[]> {
    return this.db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').orderBy('kid', 'desc').execute();
  }

  /** Adds a key and retires every older unretired one, in one transaction. */
  async add(row: SigningKeyRow): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('signing_keys').set({ retired_at: row.created_at }).where('retired_at', 'is', null).execute();
      await trx.insertInto('signing_keys').values(row).execute();
    });
  }
}
