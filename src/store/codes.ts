// Authorization codes. Redemption is one conditional UPDATE inside the transaction that creates the
// grant and its tokens, so of any number of concurrent redemptions exactly one commits.
import type { Db } from './db.ts';
import type { CodeTable } from './schema.ts';
import { type GrantRow, grantInsert } from './grants.ts';
import { type TokenRow, tokenInserts } from './tokens.ts';
import { atomically } from './atomic.ts';
import { prepared, template } from './prepared.ts';

export type CodeRow = CodeTable;

const codeByHash = prepared((db: Db, codeHash: string) => db.selectFrom('codes').selectAll().where('code_hash', '=', codeHash));
const spendCode = template((db: Db, codeHash: string, now: number, grantId: string) =>
  db.updateTable('codes').set({ used_at: now, grant_id: grantId }).where('code_hash', '=', codeHash).where('used_at', 'is', null),
);

export class CodeStore {
  constructor(private readonly db: Db) {}

  async create(row: CodeRow): Promise<void> {
    await this.db.insertInto('codes').values(row).execute();
  }

  byHash(codeHash: string): Promise<CodeRow | undefined> {
    return codeByHash(this.db, codeHash);
  }

  /** Forgets the user's unredeemed codes for the app (they are revoking its access). */
  async discardUnused(userId: string, clientId: string): Promise<void> {
    await this.db.deleteFrom('codes').where('user_id', '=', userId).where('client_id', '=', clientId).where('used_at', 'is', null).execute();
  }

  /** Spends the code into `grant` with its first tokens; false when the code was already spent. */
  redeem(codeHash: string, now: number, grant: GrantRow, tokens: TokenRow[]): Promise<boolean> {
    // The grant row comes first: the code points at it (foreign key).
    return atomically(this.db, [grantInsert(this.db, grant), { query: spendCode(this.db, codeHash, now, grant.id), claim: 'changed' }, ...tokenInserts(this.db, tokens)]);
  }
}
