// `steep serve --workers 2`: two processes share the port and behave as one server (a revocation
// through one is refused through the other), a killed worker is replaced, and SIGTERM stops them all.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, it } from 'node:test';
import { newApp, tokensFor, type TestApp } from '../helpers/oauth.ts';
import { spawnSteep, type SteepProcess } from '../helpers/process.ts';
import { forEachDatabase } from '../helpers/server.ts';

/** One kept-alive connection: every request on it reaches the same worker. */
interface Pinned {
  pid: number;
  get(path: string, token?: string): Promise<number>;
  post(path: string, form: Record<string, string>): Promise<number>;
  close(): void;
}

function send(agent: Agent, url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { agent, method, headers }, (res) => res.resume().on('end', () => resolve(res.statusCode!)));
    req.on('error', reject).end(body);
  });
}

/** A new connection, and the pid of the worker that answers on it (read from that request's log line). */
async function connect(steep: SteepProcess): Promise<Pinned> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const pinned = {
    pid: 0,
    get: (path: string, token?: string) => send(agent, steep.url, 'GET', path, token ? { authorization: `Bearer ${token}` } : {}),
    post: (path: string, form: Record<string, string>) =>
      send(agent, steep.url, 'POST', path, { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(form).toString()),
    close: () => agent.destroy(),
  };
  const from = steep.logs.length;
  assert.equal(await pinned.get('/healthz'), 200);
  pinned.pid = (await steep.waitForLog((line) => line.msg === 'request completed', from)).pid;
  return pinned;
}

/** Connections until one reaches a worker not in `known` (the primary hands connections out in turn). */
async function connectToAnother(steep: SteepProcess, known: number[]): Promise<Pinned> {
  for (;;) {
    const pinned = await connect(steep);
    if (!known.includes(pinned.pid)) return pinned;
    pinned.close();
  }
}

const gone = (pid: number) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
};

forEachDatabase('two workers behind one port', (ctx) => {
  let steep: SteepProcess;
  let app: TestApp;
  let first: Pinned;
  let second: Pinned;

  before(async () => {
    steep = await spawnSteep(ctx.server.config, {}, ['--workers', '2']);
    app = await newApp(ctx.server.url, { scopes: ['user|email_read'] });
  });
  after(() => {
    first?.close();
    second?.close();
    return steep?.stop();
  });

  it('serves from two worker processes, and a token revoked through one is refused through the other', { timeout: 120_000 }, async () => {
    assert.equal(steep.logs.find((line) => line.msg === 'Steep started')!.workers, 2);
    first = await connect(steep);
    second = await connectToAnother(steep, [first.pid]);
    assert.notEqual(first.pid, steep.pid, 'workers are not the primary');
    assert.notEqual(second.pid, steep.pid);

    const tokens = await tokensFor(app.owner.client, app);
    assert.equal(await first.get('/api/auth/user', tokens.access_token), 200);
    assert.equal(await second.get('/api/auth/user', tokens.access_token), 200);
    assert.equal(await first.post('/oauth/revoke', { client_id: app.clientId, client_secret: app.secret, token: tokens.refresh_token }), 200);
    assert.equal(await second.get('/api/auth/user', tokens.access_token), 401);
    assert.equal(await first.get('/api/auth/user', tokens.access_token), 401);
  });

  it('replaces a worker that dies, then SIGTERM stops every process and exits 0', { timeout: 120_000 }, async () => {
    const killed = first.pid;
    first.close();
    process.kill(killed, 'SIGKILL');
    await steep.waitForLog((line) => line.msg === 'a worker stopped unexpectedly; starting another' && line.workerPid === killed && line.signal === 'SIGKILL');
    const replacement = (await steep.waitForLog((line) => line.msg === 'a new worker serves')).workerPid as number;
    first = await connectToAnother(steep, [killed, second.pid]);
    assert.equal(first.pid, replacement);
    assert.equal(await first.get('/healthz'), 200);

    first.close();
    second.close();
    assert.equal(await steep.stop(), 0);
    assert.ok(gone(replacement) && gone(second.pid), 'no worker outlives the primary');
    assert.equal(steep.logs.at(-1)!.msg, 'Steep stopped');
  });
});
