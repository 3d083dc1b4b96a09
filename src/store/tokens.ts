// OAuth access and refresh tokens, grouped by grant (the refresh family).
import type { Db } from './db.ts';
import type { TokenTable } from './schema.ts';

export type TokenRow = TokenTable;

export class TokenStore {
  constructor(private readonly db: Db) {}

  /** A live token of that kind by hash: not revoked, not expired, not spent by rotation. */
  live(kind: TokenRow['kind'], tokenHash: string, now: number): Promise<TokenRow | undefined> {
    return this.db
      .selectFrom('tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('kind', '=', kind)
      .where('revoked_at', 'is', null)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }
}
