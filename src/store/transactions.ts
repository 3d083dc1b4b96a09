// Pending authorization requests (the consent page's "transaction"): short-lived, bound to a user, used once.
import type { Db } from './db.ts';
import type { TransactionTable } from './schema.ts';

export type TransactionRow = TransactionTable;

export class TransactionStore {
  constructor(private readonly db: Db) {}

  async create(row: TransactionRow): Promise<void> {
    await this.db.insertInto('transactions').values(row).execute();
  }

  byHash(idHash: string): Promise<TransactionRow | undefined> {
    return this.db.selectFrom('transactions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  }

  /** Uses the transaction up: true for exactly one caller, even when two decisions race. */
  async consume(idHash: string, userId: string, now: number): Promise<boolean> {
    const result = await this.db
      .deleteFrom('transactions')
      .where('id_hash', '=', idHash)
      .where('user_id', '=', userId)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
