// Entry point of the `steep` command (bin/steep.js from the sources, dist/main.js from the build); see src/cli.
import { runCli } from './cli/index.ts';

// A reader that stops early (`steep users list | head -1`) closes the pipe: that ends the output, not
// in a stack trace. Any other write failure is still reported.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

await runCli(process.argv.slice(2));
