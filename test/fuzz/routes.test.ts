// Property-based fuzzing of every route the app serves (read from its own route tree, pages
// included): whatever arrives, the answer is never a 5xx and never a hang, errors come in the
// contract's shape for where they were sent (Teable JSON under /api, OAuth JSON on protocol endpoints,
// a page for browser routes), a batch of refused requests writes no row, and /healthz stays up.
// FUZZ_SEED (default fixed, so CI is repeatable; `random` picks one) and FUZZ_RUNS (batches per
// database) steer it; `npm run fuzz` runs many more. A failure names the seed and the shrunk request.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import { forEachDatabase } from '../helpers/server.ts';
import { Client } from '../helpers/client.ts';
import { countRows } from '../helpers/row-counts.ts';
import { listRoutes, type RouteEntry } from '../helpers/routes.ts';
import { closeRawConnections, sendRaw, type RawReply, type RawRequest } from '../helpers/raw-http.ts';
import { makeFuzzFixtures, type FuzzFixtures } from '../helpers/fuzz-fixtures.ts';
import { fuzzRequest, type Vocabulary } from '../helpers/fuzz-requests.ts';

const SEED = process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const BATCH = 12;

/** Protocol endpoints answer {error, error_description} (API.md, standard dialect). */
const PROTOCOL = /^\/oauth\/(token|revoke|introspect|device_authorization|userinfo)\/?$|^\/oauth\/register(\/[^/]+)?\/?$/;
/** Browser routes answer with a page (the paths people type, the forms behind them, and the favicon the pages link). */
const PAGE = /^\/$|^\/(settings|auth|device)(\/|$)|^\/oauth\/decision(\/|$)|^\/favicon\.ico$/;
/** Authorize and its decision show a page to a browser (Accept: text/html) and JSON to anyone else. */
const PAGE_FOR_BROWSERS = /^\/(api\/)?oauth\/(authorize|decision)(\/|$)/;

/** Fields the pages and protocol endpoints read, which the OpenAPI document may not list. */
const KNOWN_FIELDS = [
  'grant_type', 'code', 'redirect_uri', 'client_id', 'client_secret', 'refresh_token', 'code_verifier', 'code_challenge', 'code_challenge_method',
  'token', 'token_type_hint', 'scope', 'resource', 'device_code', 'user_code', 'state', 'nonce', 'prompt', 'max_age', 'response_type',
  'transaction_id', 'cancel', 'csrf', 'email', 'password', 'name', 'redirect', 'homepage', 'redirectUris', 'scopes', 'clientType', 'grantTypes',
  'description', 'logo', 'expiredTime', 'redirect_uris', 'client_name', 'token_endpoint_auth_method', 'grant_types', 'response_types',
];

const originalPrototype = Object.getOwnPropertyNames(Object.prototype).sort();

/** Every property and parameter name the OpenAPI document gives, at any depth. */
function documentedFields(document: unknown): string[] {
  const names = new Set<string>();
  const stack = [document];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    const record = node as Record<string, unknown>;
    if (record.properties && typeof record.properties === 'object') Object.keys(record.properties).forEach((n) => names.add(n));
    if (typeof record.name === 'string' && typeof record.in === 'string') names.add(record.name);
    stack.push(...Object.values(record));
  }
  return [...names];
}

/** The path without its query, and without trailing slashes, which the router ignores. */
const pathOf = (request: RawRequest) => request.path.split('?')[0].replace(/(.)\/+$/, '$1');

/** Why this answer breaks the contract, or null. */
function problemWith(request: RawRequest, reply: RawReply, routed: boolean): string | null {
  if (reply.status >= 500) return `a ${reply.status}`;
  if (reply.headers['x-content-type-options'] !== 'nosniff' && reply.status !== 400 && reply.status !== 431) return 'no X-Content-Type-Options';
  if (reply.status === 429 && !reply.headers['retry-after']) return 'a 429 without Retry-After';
  // RFC 9700 sections 4.16 (clickjacking) and 4.2 (Referer leakage), on every page, error pages included.
  if (/text\/html/.test(String(reply.headers['content-type'] ?? ''))) {
    if (reply.headers['x-frame-options'] !== 'DENY' || !/frame-ancestors 'none'/.test(String(reply.headers['content-security-policy']))) return 'a page that another site may frame';
    if (!/^(same-origin|no-referrer)$/.test(String(reply.headers['referrer-policy']))) return 'a page whose URL may leak in a Referer';
  }
  if (reply.status < 400 || request.method === 'HEAD') return null;
  const text = reply.body.toString('utf8');
  if (/node_modules|\.ts:\d+|\bat [\w.<>]+ \(/.test(text)) return 'a stack trace in the body';
  const type = String(reply.headers['content-type'] ?? '');
  const path = pathOf(request);
  // CORS preflights at protocol paths are routes of their own, answered like the rest of the API.
  const protocol = routed && PROTOCOL.test(path) && request.method !== 'OPTIONS';
  if (/text\/html/.test(type)) {
    if (!/^<!doctype html>/i.test(text)) return 'an HTML error that is not a page';
    return PAGE.test(path) || (PAGE_FOR_BROWSERS.test(path) && /text\/html/.test(request.headers.accept ?? '')) ? null : 'a page where JSON was due';
  }
  // An unknown route under a page path may be refused for its body before the page 404 is reached.
  if (PAGE.test(path) && routed && ![400, 414, 431].includes(reply.status)) return `JSON (${reply.status}) where a page was due`;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    return `a ${reply.status} that is neither JSON nor a page: ${type}`;
  }
  const teable = typeof body.message === 'string' && body.status === reply.status && typeof body.code === 'string';
  const oauth = typeof body.error === 'string' || (reply.status === 401 && typeof body.error_description === 'string');
  // What Node or the router refuses before a route is chosen (headers over 16 KiB, not HTTP, a malformed
  // URL, an over-long path parameter) cannot know the dialect: it gets the Teable shape. So do unknown routes.
  const beforeRouting = teable && (reply.status === 431 || reply.status === 414 || /not valid HTTP|URL is malformed/.test(String(body.message)));
  if (protocol && !oauth && !beforeRouting) return 'no {error} on a protocol endpoint';
  if (routed && /^\/api\/oauth\/access_token\/?$/.test(path) && !(teable && oauth) && !beforeRouting) return 'not both dialects at the Teable token endpoint';
  if (!protocol && !teable) return 'not {message, status, code}';
  return null;
}

function describeRequest(request: RawRequest): string {
  const body = request.body ? ` body(${request.body.length}) ${JSON.stringify(request.body.subarray(0, 300).toString('latin1'))}` : '';
  return `${request.method} ${JSON.stringify(request.path.slice(0, 300))} ${JSON.stringify(request.headers).slice(0, 400)}${body}`;
}

forEachDatabase('fuzzing every route', (ctx) => {
  let routes: RouteEntry[];
  let vocabulary: Vocabulary;
  const stats = { requests: 0, refusedBatches: 0, refusedRequests: 0, byStatus: new Map<number, number>() };

  before(async () => {
    routes = listRoutes(ctx.server.app);
    const document = (await new Client(ctx.server.url).get('/api/docs/json')).body;
    vocabulary = { fixtures: await makeFuzzFixtures(ctx.server.url), fields: [...new Set([...documentedFields(document), ...KNOWN_FIELDS])], origin: new URL(ctx.server.url).origin };
  });
  after(() => closeRawConnections());

  it('answers every fuzzed request with a 4xx in the documented shape or a success, writes nothing when it refuses, and stays healthy', async (t) => {
    t.diagnostic(`seed ${SEED}, ${RUNS} batches of up to ${BATCH} requests over ${routes.length} routes (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} to repeat)`);
    let fixtures: FuzzFixtures = vocabulary.fixtures;
    const property = fc.asyncProperty(fc.array(fuzzRequest(routes, vocabulary), { minLength: 1, maxLength: BATCH }), async (batch) => {
      const before = await countRows(ctx.server.steep.db);
      const replies = await Promise.all(batch.map((request) => sendRaw(ctx.server.url, request).catch((error: Error) => error)));
      for (const [i, reply] of replies.entries()) {
        // Node answers a request it cannot parse (headers over 16 KiB) on the raw socket, without knowing it
        // was a HEAD, so the error body it sends trips the client's parser: an answer all the same.
        if (reply instanceof Error && batch[i].method === 'HEAD' && /Data after `Connection: close`/.test(reply.message)) continue;
        if (reply instanceof Error) throw new Error(`no answer (${reply.message}) to ${describeRequest(batch[i])}`);
        const routed = ctx.server.app.findRoute({ method: batch[i].method as 'GET', url: batch[i].path.split('?')[0] }) !== null;
        const problem = problemWith(batch[i], reply, routed);
        if (problem) throw new Error(`${problem}: ${reply.status} ${reply.body.toString('utf8').slice(0, 300)}\n  to ${describeRequest(batch[i])}`);
        stats.byStatus.set(reply.status, (stats.byStatus.get(reply.status) ?? 0) + 1);
      }
      stats.requests += batch.length;
      const statuses = replies.map((r) => (r instanceof Error ? 400 : r.status));
      if (statuses.every((s) => s >= 400)) {
        assert.deepEqual(await countRows(ctx.server.steep.db), before, `refused requests wrote rows: ${statuses.join(',')}\n  ${batch.map(describeRequest).join('\n  ')}`);
        stats.refusedBatches++;
        stats.refusedRequests += batch.length;
      } else if (batch.some((r, i) => statuses[i] < 400 && r.method !== 'GET' && r.method !== 'HEAD') && !(await fixtures.stillValid())) {
        // A fuzzed sign-out or delete ended the session or the PAT: fresh ones keep later requests reaching past authentication.
        fixtures = vocabulary.fixtures = await makeFuzzFixtures(ctx.server.url);
        Object.assign(vocabulary.fixtures, fixtures);
      }
      const health = await sendRaw(ctx.server.url, { method: 'GET', path: '/healthz', headers: {} });
      assert.equal(health.status, 200, '/healthz stays up');
    });
    // fc.check, not fc.assert: its report of every shrinking step can run to megabytes of request bytes.
    // The time limit bounds shrinking a failure (batches of large bodies shrink slowly); a run cut short without a failure says so.
    const result = await fc.check(property, { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 240_000 + RUNS * 500 });
    if (result.interrupted && !result.failed) t.diagnostic(`cut short after ${result.numRuns} batches by the time limit`);
    if (result.failed) {
      const cause = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
      assert.fail(`fuzzing failed (FUZZ_SEED=${result.seed} path ${result.counterexamplePath}, shrunk ${result.numShrinks} times): ${cause}`);
    }
    t.diagnostic(`${stats.requests} requests; ${stats.refusedRequests} refused in ${stats.refusedBatches} all-refused batches checked for writes; statuses ${[...stats.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), originalPrototype, 'no request polluted Object.prototype');
    assert.ok(stats.refusedBatches >= RUNS / 4, `enough all-refused batches to check for writes (${stats.refusedBatches})`);
    assert.ok([...stats.byStatus.keys()].some((s) => s < 300), 'some requests got through to a success, so the fuzzer reaches real handlers');
  });
}, { STEEP_DYNAMIC_REGISTRATION: 'open' });
