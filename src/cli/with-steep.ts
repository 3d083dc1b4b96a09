// Runs a command against the database of the environment (DATABASE_URL and the rest), migrated first, then closes it.
import { type Config, loadConfig } from '../config.ts';
import { type Steep, closeSteep, createSteep } from '../context.ts';
import { migrate } from '../store/db.ts';

export async function withSteep<T>(run: (steep: Steep, applied: string[]) => Promise<T>, config: Config = loadConfig()): Promise<T> {
  const steep = createSteep(config);
  try {
    return await run(steep, await migrate(steep.db));
  } finally {
    await closeSteep(steep);
  }
}
