// Starting the comparison targets, each as its own process on loopback: bare node:http, bare Fastify,
// node-oidc-provider. Steep itself starts in steep.ts.
import type { ChildProcess } from 'node:child_process';
import { freePort, processTree, spawnNode, stopProcess, waitForHttp } from '../processes.ts';
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } from './oidc-client.ts';

export interface Target {
  origin: string;
  /** The serving processes, for the RSS column. */
  pids(): number[];
  stop(): Promise<void>;
}

const script = (name: string) => new URL(`./${name}`, import.meta.url).pathname;

async function start(file: string, readyPath: string, ipc = false): Promise<{ target: Target; child: ChildProcess }> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawnNode(script(file), [], { ...process.env, PORT: String(port), NODE_ENV: 'production' }, { typescript: true, ipc });
  try {
    await waitForHttp(origin + readyPath, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, target: { origin, pids: () => processTree(child.pid!), stop: () => stopProcess(child) } };
}

export const startBareHttp = async (): Promise<Target> => (await start('bare-http.ts', '/healthz')).target;
export const startBareFastify = async (): Promise<Target> => (await start('bare-fastify.ts', '/healthz')).target;

export interface OidcTarget extends Target {
  /** Authorization: Basic for the one client. */
  basic: string;
  /** Fresh refresh tokens, one Grant each, made in the provider's process. */
  seedRefresh(count: number): Promise<string[]>;
}

export async function startOidcProvider(): Promise<OidcTarget> {
  const { child, target } = await start('oidc-provider.ts', '/.well-known/openid-configuration', true);
  let next = 0;
  const seedRefresh = (count: number) =>
    new Promise<string[]>((resolve, reject) => {
      const id = ++next;
      const listener = (message: { id: number; tokens?: string[]; error?: string }) => {
        if (message.id !== id) return;
        child.off('message', listener);
        if (message.tokens) resolve(message.tokens);
        else reject(new Error(`oidc-provider could not seed refresh tokens: ${message.error}`));
      };
      child.on('message', listener);
      child.send({ id, seedRefresh: count });
    });
  const basic = 'Basic ' + Buffer.from(`${encodeURIComponent(OIDC_CLIENT_ID)}:${encodeURIComponent(OIDC_CLIENT_SECRET)}`).toString('base64');
  return { ...target, basic, seedRefresh };
}
