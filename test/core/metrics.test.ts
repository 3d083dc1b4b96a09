// Issue 11 item 7, the metrics: GET /metrics is Prometheus text; requests are counted per route
// pattern and status, tokens per grant, refresh reuse, rate-limit hits and database errors; loopback-only by default,
// token-protected when STEEP_METRICS_TOKEN is set, absent when STEEP_METRICS=off.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDatabase, startTestServer, type TestServer } from '../helpers/server.ts';
import { Client, newUser } from '../helpers/client.ts';
import { REDIRECT_URI, codeFor, newApp, tokenRequest, tokensFor } from '../helpers/oauth.ts';

// Values as Prometheus reads them (Go's ParseFloat: NaN and Inf in any case; prom-client writes "Nan" before the first lag sample).
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+-]+|nan|[+-]?inf)( -?\d+)?$/i;

/** Parses the text exposition format (0.0.4) strictly: every line a HELP, a TYPE or a sample of a declared family. */
function parsePrometheus(text: string): Map<string, number> {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        assert.match(meta[3], /^(counter|gauge|histogram|summary|untyped)$/, line);
        types.set(meta[2], meta[3]);
      }
      continue;
    }
    const sample = SAMPLE.exec(line);
    assert.ok(sample, `not a Prometheus line: ${line}`);
    const family = sample[1].replace(/_(bucket|sum|count|total|created)$/, '');
    assert.ok(types.has(sample[1]) || types.has(family), `sample of an undeclared metric: ${line}`);
    samples.set(sample[1] + (sample[2] ?? ''), Number(sample[3]));
  }
  return samples;
}

async function scrape(url: string, headers: Record<string, string> = {}) {
  const reply = await new Client(url).get('/metrics', { headers });
  assert.equal(reply.status, 200, reply.text);
  assert.match(reply.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
  return { text: reply.text, samples: parsePrometheus(reply.text) };
}

forEachDatabase('metrics', (ctx) => {
  const base = () => ctx.server.url;
  const value = async (series: string) => (await scrape(base())).samples.get(series) ?? 0;

  it('parses as Prometheus text, with process metrics and event-loop lag', async () => {
    const { samples } = await scrape(base());
    assert.ok(samples.has('nodejs_eventloop_lag_seconds'));
    assert.ok(samples.has('process_cpu_user_seconds_total'));
  });

  it('counts a request under its route pattern and status, never its raw path', async () => {
    const healthz = 'steep_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}';
    const before = await value(healthz);
    await new Client(base()).get('/healthz');
    await new Client(base()).get('/healthz');
    assert.equal(await value(healthz), before + 2);
    const user = await newUser(base(), 'metered');
    await user.client.get('/api/oauth/client/SECRETISHID123');
    await new Client(base()).get('/no/such/path/stp_tx_abc');
    const { text, samples } = await scrape(base());
    assert.equal(samples.get('steep_http_request_duration_seconds_count{method="GET",route="/api/oauth/client/:clientId",status="404"}'), 1);
    assert.ok((samples.get('steep_http_request_duration_seconds_count{method="GET",route="(unmatched)",status="404"}') ?? 0) >= 1);
    assert.ok((samples.get('steep_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/healthz",status="200"}') ?? 0) >= 2);
    assert.doesNotMatch(text, /SECRETISHID123|stp_tx_abc|no\/such/);
  });

  it('counts tokens issued per grant type and refresh reuse', async () => {
    const codeGrant = 'steep_tokens_issued_total{grant_type="authorization_code"}';
    const refreshGrant = 'steep_tokens_issued_total{grant_type="refresh_token"}';
    const [codes, refreshes, reuses] = [await value(codeGrant), await value(refreshGrant), await value('steep_refresh_reuse_detected_total')];
    const app = await newApp(base(), { scopes: ['record|read'] });
    const person = await newUser(base(), 'person');
    const tokens = await tokensFor(person.client, app);
    assert.equal(await value(codeGrant), codes + 1);
    assert.equal((await tokenRequest(base(), app, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).status, 200);
    assert.equal((await tokenRequest(base(), app, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).status, 400);
    assert.equal(await value(refreshGrant), refreshes + 1, 'the refused reuse issued nothing');
    assert.equal(await value('steep_refresh_reuse_detected_total'), reuses + 1);
    const replayed = await codeFor(person.client, app.clientId);
    await tokenRequest(base(), app, { grant_type: 'authorization_code', code: replayed, redirect_uri: REDIRECT_URI });
    assert.equal(await value(codeGrant), codes + 2);
  });

  it('counts rate-limit hits where a limit answers 429', async () => {
    const user = await newUser(base(), 'limited');
    const signin = () => new Client(base()).post('/api/auth/signin', { json: { email: user.email, password: 'wrong password' } });
    for (let i = 0; i < 10; i++) assert.equal((await signin()).status, 401);
    assert.equal((await signin()).status, 429);
    assert.equal(await value('steep_rate_limit_hits_total{limit="signInAccountIp"}'), 1);
  });

  it('refuses a caller that is not on loopback, and any request a proxy relayed', async () => {
    const relayed = await new Client(base()).get('/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    assert.equal(relayed.status, 403);
    assert.match(relayed.body.message, /loopback callers only/);
    assert.equal((await new Client(base()).get('/metrics', { headers: { forwarded: 'for=127.0.0.1' } })).status, 403);
  });
}, { STEEP_TRUST_PROXY: 'true' });

describe('metrics with STEEP_METRICS_TOKEN', () => {
  let server: TestServer;
  const token = 'metrics-token-0123456789';
  before(async () => (server = await startTestServer('sqlite', { STEEP_METRICS_TOKEN: token })));
  after(() => server.close());

  it('needs the Bearer token, from any address', async () => {
    assert.equal((await new Client(server.url).get('/metrics')).status, 403);
    assert.equal((await new Client(server.url).get('/metrics', { token: 'metrics-token-0123456788' })).status, 403);
    assert.equal((await new Client(server.url).get('/metrics', { token: token + 'x' })).status, 403);
    await scrape(server.url, { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.9' });
  });
});

describe('metrics with STEEP_METRICS=off', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer('sqlite', { STEEP_METRICS: 'off' })));
  after(() => server.close());

  it('/metrics does not exist', async () => {
    assert.equal((await new Client(server.url).get('/metrics')).status, 404);
  });
});

describe('metrics of database errors', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer('sqlite')));
  after(() => server.close());

  it('counts a request that failed on a database error', async () => {
    const user = await newUser(server.url, 'broken');
    // A table gone from under the server: the next PAT creation cannot write its audit row.
    await server.steep.db.schema.dropTable('audit_events').execute();
    const failed = await user.client.post('/api/access-token', { json: { name: 'x', scopes: ['record|read'], expiredTime: '2999-12-31' } });
    assert.equal(failed.status, 500);
    assert.equal(failed.body.code, 'internal');
    assert.equal((await scrape(server.url)).samples.get('steep_database_errors_total{kind="query"}'), 1);
  });
});
