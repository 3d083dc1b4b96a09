// steep migrate: apply the database migrations (serve does it too, before forking any worker).
import type { Command } from 'commander';
import { withSteep } from './with-steep.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations')
    .action(async () => {
      const applied = await withSteep(async (_steep, applied) => applied);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
    });
}
