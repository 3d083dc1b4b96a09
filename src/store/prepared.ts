// Hot-path queries built and compiled by Kysely once per database, then run with fresh parameters.
// Building and compiling costs more CPU than the database takes to run them (in a profile of the
// bearer check, ~15% of the server's time; compiling the refresh grant's UPDATE alone takes ~150 µs
// on a loaded machine), and the hot paths run the same few statements on every request.
import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './db.ts';

type Source = { arg: number } | { value: unknown };

/** The SQL of every template, named: on PostgreSQL each runs as a named statement (see db.ts). */
const names = new Map<string, string>();

/** The server-side statement name for SQL a template compiled to; undefined for any other SQL. */
export const statementName = (sql: string): string | undefined => names.get(sql);

/**
 * `build(db, ...args)` is called once per database with placeholder arguments; each argument must end
 * up as one or more bound parameters (checked then), so later calls only swap the values in.
 */
export function template<A extends unknown[], R>(build: (db: Db, ...args: A) => Compilable<R>): (db: Db, ...args: A) => CompiledQuery<R> {
  const compiledFor = new WeakMap<Db, { query: CompiledQuery<R>; sources: Source[] }>();
  const compile = (db: Db) => {
    const slots = Array.from({ length: build.length - 1 }, (_, i) => `\u0000template-argument-${i}\u0000`);
    const query = build(db, ...(slots as A)).compile();
    const sources = query.parameters.map((value): Source => (slots.includes(value as string) ? { arg: slots.indexOf(value as string) } : { value }));
    const bound = new Set(sources.flatMap((source) => ('arg' in source ? [source.arg] : [])));
    if (bound.size !== slots.length) throw new Error(`a query template must bind each of its ${slots.length} arguments as a parameter: ${query.sql}`);
    if (!names.has(query.sql)) names.set(query.sql, `steep_${names.size + 1}`);
    const entry = { query, sources };
    compiledFor.set(db, entry);
    return entry;
  };
  return (db, ...args) => {
    const { query, sources } = compiledFor.get(db) ?? compile(db);
    return { ...query, parameters: sources.map((source) => ('arg' in source ? args[source.arg] : source.value)) };
  };
}

/** A read by template: its first row, or undefined. */
export function prepared<A extends unknown[], R>(build: (db: Db, ...args: A) => Compilable<R>): (db: Db, ...args: A) => Promise<R | undefined> {
  const fill = template(build);
  return async (db, ...args) => (await db.executeQuery(fill(db, ...args))).rows[0];
}
