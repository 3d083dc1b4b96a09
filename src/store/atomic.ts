// A database transaction that commits only when its claim (a conditional UPDATE) won.
import type { Db } from './db.ts';

class LostClaim extends Error {}

/**
 * Runs `work` in one transaction. `claim` returns false when another request got there first; then
 * everything `work` wrote is rolled back and the result is false.
 */
export async function whenClaimed(db: Db, work: (trx: Db, claim: (won: boolean) => void) => Promise<void>): Promise<boolean> {
  try {
    await db.transaction().execute((trx) =>
      work(trx, (won) => {
        if (!won) throw new LostClaim();
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof LostClaim) return false;
    throw error;
  }
}
