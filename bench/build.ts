// Where the Steep under test is built: this checkout's dist/ (npm run bench builds it first), or
// BENCH_STEEP_DIST, another build to measure with the same bench (the seeding imports from it too).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const distDir = resolve(process.env.BENCH_STEEP_DIST ?? new URL('../dist/', import.meta.url).pathname);

/** A file of the build, as a URL for import(). */
export const distUrl = (file: string) => pathToFileURL(resolve(distDir, file)).href;
