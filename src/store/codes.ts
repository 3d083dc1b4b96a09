// Authorization codes. Redemption is one conditional UPDATE inside the transaction that creates the
// grant and its tokens, so of any number of concurrent redemptions exactly one commits.
import type { Db } from './db.ts';
import type { CodeTable } from './schema.ts';
import type { GrantRow } from './grants.ts';
import type { TokenRow } from './tokens.ts';
import { atomically } from './atomic.ts';

export type CodeRow = CodeTable;

export class CodeStore {
  constructor(private readonly db: Db) {}

  async create(row: CodeRow): Promise<void> {
    await this.db.insertInto('codes').values(row).execute();
  }

  byHash(codeHash: string): Promise<CodeRow | undefined> {
    return this.db.selectFrom('codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
  }

  /** Forgets the user's unredeemed codes for the app (they are revoking its access). */
  async discardUnused(userId: string, clientId: string): Promise<void> {
    await this.db.deleteFrom('codes').where('user_id', '=', userId).where('client_id', '=', clientId).where('used_at', 'is', null).execute();
  }

  /** Spends the code into `grant` with its first tokens; false when the code was already spent. */
  redeem(codeHash: string, now: number, grant: GrantRow, tokens: TokenRow[]): Promise<boolean> {
    const spend = this.db.updateTable('codes').set({ used_at: now, grant_id: grant.id }).where('code_hash', '=', codeHash).where('used_at', 'is', null);
    // The grant row comes first: the code points at it (foreign key).
    return atomically(this.db, [
      { query: this.db.insertInto('grants').values(grant) },
      { query: spend, claim: 'changed' },
      { query: this.db.insertInto('tokens').values(tokens) },
    ]);
  }
}
