// steep backup FILE: a consistent copy of the SQLite database, taken while a server may be serving.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { sql } from 'kysely';
import { loadConfig } from '../config.ts';
import { Failure } from './failures.ts';
import { withSteep } from './with-steep.ts';

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('copy the SQLite database to FILE (consistent even while Steep serves); on PostgreSQL, use pg_dump')
    .argument('<file>', 'where to write the copy (must not exist yet)')
    .action(async (file: string) => {
      const config = loadConfig();
      if (config.database.kind === 'postgres') {
        throw new Failure('the database is PostgreSQL: back it up with pg_dump (e.g. pg_dump --format=custom --file=steep.dump "$DATABASE_URL")');
      }
      if (existsSync(file)) throw new Failure(`${file} already exists: choose another name, or remove it first`);
      // VACUUM INTO reads one snapshot (a read transaction: writers carry on) and writes a compact copy.
      // It goes to a temporary name first, so an interrupted backup never looks like a finished one.
      const partial = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.partial`);
      try {
        await withSteep((steep) => sql`vacuum into ${partial}`.execute(steep.db), config);
        renameSync(partial, file);
      } finally {
        rmSync(partial, { force: true });
      }
      console.log(`backed up ${config.database.path} to ${file}; keep the server key (STEEP_SECRET or steep.key) with it: without that key its tokens, secrets and signing keys are useless`);
    });
}
