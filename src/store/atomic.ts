// Atomic units of statements that commit only when their claim won: a conditional UPDATE that must
// change exactly one row ("changed"), or a SELECT that must find one ("found"). On SQLite they go
// through the group commit; on PostgreSQL each is its own transaction.
import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './db.ts';
import { type CompiledStep, type GroupCommit, LostClaim } from './group-commit.ts';

export interface Step {
  /** A query builder, or a query already compiled (from a template: store/prepared.ts). */
  query: Compilable | CompiledQuery;
  claim?: CompiledStep['claim'];
}

const committers = new WeakMap<Db, GroupCommit>();

/** Called by openDatabase for a SQLite database. */
export function useGroupCommit(db: Db, committer: GroupCommit): void {
  committers.set(db, committer);
}

/**
 * Runs the steps in order in one transaction. When a claim does not hold (another request got there
 * first), everything the unit wrote is rolled back and the result is false.
 */
export async function atomically(db: Db, steps: Step[]): Promise<boolean> {
  const compiled = steps.map(({ query, claim }) => ({ query: 'compile' in query ? query.compile() : query, claim }));
  const committer = committers.get(db);
  if (committer) return committer.run(compiled);
  try {
    await db.transaction().execute(async (trx) => {
      for (const { query, claim } of compiled) {
        const result = await trx.executeQuery(query);
        const lost = claim === 'found' ? result.rows.length === 0 : claim === 'changed' && result.numAffectedRows !== 1n;
        if (lost) throw new LostClaim();
      }
    });
    return true;
  } catch (error) {
    if (error instanceof LostClaim) return false;
    throw error;
  }
}
