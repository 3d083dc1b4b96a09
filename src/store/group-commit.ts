// Group commit for SQLite: the hot-path write transactions (code redemption, refresh rotation, new
// grants) that arrive in the same turn of the event loop share one BEGIN IMMEDIATE … COMMIT. Each
// runs in its own savepoint, synchronously (better-sqlite3 is synchronous), so a lost claim or a failed
// statement undoes only its own writes; every caller is answered only after the shared COMMIT, so a
// 200 still means "on disk" (in the WAL, which survives a SIGKILL at synchronous=NORMAL). One commit
// writes each touched page once, however many transactions it carries: under load that is most of
// what a commit costs.
import type SQLite from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';

/** One statement of an atomic unit; `claim` says what must hold for the unit to commit (see atomic.ts). */
export interface CompiledStep {
  query: CompiledQuery;
  claim?: 'changed' | 'found';
}

export class LostClaim extends Error {}

interface Unit {
  steps: CompiledStep[];
  resolve(won: boolean): void;
  reject(error: unknown): void;
}

export class GroupCommit {
  #queue: Unit[] = [];
  #scheduled = false;
  readonly #savepoint: (steps: CompiledStep[]) => void;
  readonly #batch: SQLite.Transaction<(units: Unit[]) => Array<boolean | { error: unknown }>>;

  constructor(
    database: SQLite.Database,
    private readonly prepare: (sql: string) => SQLite.Statement,
    /** Holds Kysely's connection while `run` runs: a batch waits for (and blocks) Kysely's own transactions on it. */
    private readonly exclusive: <T>(run: () => Promise<T>) => Promise<T>,
  ) {
    // Called inside the batch's transaction, better-sqlite3 runs a transaction function as a SAVEPOINT.
    this.#savepoint = database.transaction((steps: CompiledStep[]) => {
      for (const { query, claim } of steps) {
        const statement = this.prepare(query.sql);
        const parameters = query.parameters as unknown[];
        if (claim === 'found') {
          if (statement.get(...parameters) === undefined) throw new LostClaim();
        } else if (statement.reader) {
          statement.all(...parameters);
        } else if (statement.run(...parameters).changes !== 1 && claim === 'changed') {
          throw new LostClaim();
        }
      }
    });
    this.#batch = database.transaction((units: Unit[]) => units.map((unit) => this.#attempt(unit)));
  }

  /** Runs `steps` atomically with whatever else is queued this turn; false when a claim was lost. */
  run(steps: CompiledStep[]): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ steps, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  #attempt(unit: Unit): boolean | { error: unknown } {
    try {
      this.#savepoint(unit.steps);
      return true;
    } catch (error) {
      return error instanceof LostClaim ? false : { error };
    }
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const units = this.#queue;
    this.#queue = [];
    let outcomes: Array<boolean | { error: unknown }>;
    try {
      outcomes = await this.exclusive(async () => this.#batch.immediate(units));
    } catch (error) {
      // BEGIN or COMMIT failed (another process held the file past the busy timeout): nothing was written.
      for (const unit of units) unit.reject(error);
      return;
    }
    units.forEach((unit, i) => {
      const outcome = outcomes[i];
      if (typeof outcome === 'boolean') unit.resolve(outcome);
      else unit.reject(outcome.error);
    });
  }
}
