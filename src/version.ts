// The version operators see (`steep --version`, the start-up log line): package.json's, read at start.
import { readFileSync } from 'node:fs';

// One folder below the repository root from the sources (src/) and from the build (dist/) alike.
export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
