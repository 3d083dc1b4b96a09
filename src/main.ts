// Entry point of the `steep` command (bin/steep.js from the sources, dist/main.js from the build); see src/cli.
import { runCli } from './cli/index.ts';

await runCli(process.argv.slice(2));
