// steep keys list | rotate: the JWS signing keys every process shares through the database.
import type { Command } from 'commander';
import type { Steep } from '../context.ts';
import { iso } from './print.ts';
import { withSteep } from './with-steep.ts';

async function keyLines(steep: Steep): Promise<string[]> {
  const published = new Set((await steep.keys.published()).map((key) => key.kid));
  return (await steep.keys.list()).map((key) => {
    const state =
      key.retired_at === null
        ? 'current'
        : published.has(key.kid)
          ? `retired ${iso(key.retired_at)}, published until ${iso(key.retired_at + steep.keys.retentionMs)}`
          : `retired ${iso(key.retired_at)}, no longer published`;
    return `${key.kid}  ${key.alg}  created ${iso(key.created_at)}  ${state}`;
  });
}

const print = (lines: string[]) => console.log(lines.length ? lines.join('\n') : 'no signing keys yet: one is made on first use');

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('the signing keys of id_tokens and JWT access tokens');
  keys
    .command('list')
    .description('id, algorithm, created, retired, published until')
    .action(async () => print(await withSteep(keyLines)));
  keys
    .command('rotate')
    .description('make a new current key; the old one stays in the JWKS until the tokens it signed expire')
    .action(async () =>
      print(
        await withSteep(async (steep) => {
          await steep.keys.rotate();
          return keyLines(steep);
        }),
      ),
    );
}
