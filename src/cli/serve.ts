// steep serve [--port N] [--host H] [--workers N]: flags win over PORT and HOST; one worker per core by default.
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { runPrimary } from '../serve/cluster-primary.ts';
import { serveOneProcess } from '../serve/one-process.ts';
import { refuseProblems } from './failures.ts';

interface ServeOptions {
  port?: string;
  host?: string;
  workers?: string;
}

const wholeIn = (value: string, min: number, max: number) => /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max;

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('migrate the database, then serve (JSON logs on stdout; SIGTERM or Ctrl-C stops gracefully)')
    .option('--port <n>', 'port to listen on, 1 to 65535 (default: PORT, else 3000; below 1024 needs root)')
    .option('--host <address>', 'address to listen on (default: HOST, else 127.0.0.1; 0.0.0.0 for all)')
    .option('--workers <n>', `processes serving the port, 1 to 256; 1 is a single process without a cluster (default: one per core, ${availableParallelism()} here)`)
    .action(async (options: ServeOptions) => {
      refuseProblems([
        ...(options.port === undefined || wholeIn(options.port, 1, 65535) ? [] : [`--port must be a whole number from 1 to 65535 (got ${JSON.stringify(options.port)})`]),
        ...(options.host === undefined || options.host.trim() ? [] : ['--host must not be empty']),
        ...(options.workers === undefined || wholeIn(options.workers, 1, 256) ? [] : [`--workers must be a whole number from 1 to 256 (got ${JSON.stringify(options.workers)})`]),
      ]);
      // The flags go in as PORT and HOST, so PUBLIC_ORIGIN's default (http://HOST:PORT) follows them.
      const env = { ...process.env, ...(options.port && { PORT: options.port }), ...(options.host && { HOST: options.host }) };
      // Notices (a generated server key) wait for the JSON logger, which needs LOG_LEVEL from the config.
      const notices: string[] = [];
      const config = loadConfig(env, (line) => notices.push(line));
      const logger = createLogger(config.logLevel);
      for (const notice of notices) logger.warn(notice);
      const workers = Number(options.workers ?? availableParallelism());
      if (workers > 1 && cluster.isPrimary) await runPrimary(config, logger, workers);
      else await serveOneProcess(config, logger);
    });
}
