// The headline of API.md Part 2's "Dynamic client registration and MCP": the official MCP SDK's own
// client, unmodified, goes from the first 401 of examples/mcp-server to a tool call with nothing
// configured by hand — protected-resource metadata, authorization-server metadata, registration,
// authorize with PKCE and resource, token, call — then refreshes, and is cut off once the person
// revokes the app under "Authorized apps".
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { buildMcpServer } from '../../examples/mcp-server/server.ts';
import { forEachDatabase } from '../helpers/server.ts';
import { Client, newUser } from '../helpers/client.ts';
import { locationOf, newApp } from '../helpers/oauth.ts';

/** A free loopback port: the MCP server's resource URI names it before the server listens. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * The agent's side: an in-memory OAuthClientProvider. redirectToAuthorization plays the person's
 * browser — a signed-in session that opens the authorization URL and presses Allow on the consent page.
 */
class AgentProvider implements OAuthClientProvider {
  readonly redirectUrl = 'http://127.0.0.1:33418/callback';
  readonly clientMetadata = {
    client_name: 'Test agent',
    redirect_uris: [this.redirectUrl],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
  #client?: OAuthClientInformationMixed;
  #tokens?: OAuthTokens;
  #verifier = '';
  /** The code the last consent produced; null when the browser was not allowed to consent. */
  code: string | null = null;
  consentPage = '';
  browserConsents = true;
  authorizations = 0;

  constructor(private readonly browser: Client) {}

  clientInformation() { return this.#client; }
  saveClientInformation(info: OAuthClientInformationMixed) { this.#client = info; }
  tokens() { return this.#tokens; }
  saveTokens(tokens: OAuthTokens) { this.#tokens = tokens; }
  saveCodeVerifier(verifier: string) { this.#verifier = verifier; }
  codeVerifier() { return this.#verifier; }
  /** Called by the SDK when Steep refuses what it holds (a revoked grant: invalid_grant). */
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
    if (scope === 'all' || scope === 'client') this.#client = undefined;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    this.authorizations++;
    this.code = null;
    if (!this.browserConsents) return;
    const first = await this.browser.get(url.pathname + url.search);
    let back = locationOf(first, this.browser.baseUrl);
    if (back.pathname === '/oauth/decision') {
      this.consentPage = (await this.browser.get(back.pathname + back.search)).text;
      const decided = await this.browser.post('/api/oauth/decision', { form: { transaction_id: back.searchParams.get('transaction_id')! } });
      back = locationOf(decided, this.browser.baseUrl);
    }
    assert.equal(`${back.origin}${back.pathname}`, this.redirectUrl, `the browser lands on the agent's callback, not ${back}`);
    this.code = back.searchParams.get('code');
  }
}

forEachDatabase('MCP: the SDK client reaches a Steep-guarded MCP server', (ctx) => {
  let mcp: FastifyInstance;
  let resource: string;
  let person: Awaited<ReturnType<typeof newUser>>;
  let provider: AgentProvider;
  let agent: McpClient;
  const connect = () => agent.connect(new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider }));

  before(async () => {
    const port = await freePort();
    resource = `http://127.0.0.1:${port}/mcp`;
    // The operator's part: the MCP server is an app of its own at Steep, declared as a resource server.
    const own = await newApp(ctx.server.url, { name: 'Notes MCP server', scopes: [] });
    ctx.server.config.resources.push({ resource, name: 'Notes MCP', scopes: null, clientId: own.clientId });
    mcp = buildMcpServer({
      issuer: ctx.server.config.issuer, resource, now: () => ctx.server.clock.now(),
      introspection: { clientId: own.clientId, clientSecret: own.secret, cacheSeconds: 0, checkJwtRevocation: true },
    });
    await mcp.listen({ port, host: '127.0.0.1' });
    person = await newUser(ctx.server.url, 'Grace');
    provider = new AgentProvider(person.client);
    agent = new McpClient({ name: 'test-agent', version: '1.0.0' });
  });
  after(async () => {
    await agent?.close();
    await mcp?.close();
  });

  it('the first 401 names the protected-resource metadata, which names Steep', async () => {
    const bare = await fetch(resource, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(bare.status, 401);
    assert.match(bare.headers.get('www-authenticate')!, new RegExp(`resource_metadata="http://127.0.0.1:\\d+/.well-known/oauth-protected-resource"`));
    const metadata = await (await fetch(new URL('/.well-known/oauth-protected-resource', resource))).json();
    assert.deepEqual(metadata.authorization_servers, [ctx.server.config.issuer]);
    assert.equal(metadata.resource, resource);
    // RFC 9728 section 3.1's path-inserted location serves the same document.
    assert.deepEqual(await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', resource))).json(), metadata);
  });

  it('from that 401 to a tool call: metadata, registration, authorize with PKCE and resource, consent, token, call', async () => {
    await assert.rejects(connect(), UnauthorizedError, 'the SDK stops to send the person to Steep');
    assert.equal(provider.authorizations, 1);
    const client = provider.clientInformation()!;
    assert.ok(client.client_id, 'the SDK registered itself at /oauth/register');
    assert.match(provider.consentPage, /registered itself/);
    assert.match(provider.consentPage, /Notes MCP on your behalf/);
    assert.ok(provider.code);

    const transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
    await transport.finishAuth(provider.code!);
    const token = provider.tokens()!;
    const claims = JSON.parse(Buffer.from(token.access_token.split('.')[1], 'base64url').toString());
    assert.equal(claims.aud, resource, 'an RFC 9068 JWT for this MCP server');
    assert.equal(claims.sub, person.id);

    await agent.connect(transport);
    const whoami = await agent.callTool({ name: 'whoami' });
    const answer = JSON.parse((whoami.content as { text: string }[])[0].text);
    assert.equal(answer.sub, person.id);
    assert.equal(answer.client_id, client.client_id);
    assert.equal(answer.scope, 'record|read', "the scope the server's 401 challenge asked for (the SDK takes it first)");
    // A tool that needs more than the token holds says so, as a tool error rather than a failed call.
    const added = await agent.callTool({ name: 'add_note', arguments: { text: 'hello from an agent' } });
    assert.equal(added.isError, true);
    assert.match((added.content as { text: string }[])[0].text, /lacks record\|create/);
  });

  it('an expired access token is refreshed by the SDK on its own, and the call goes through', async () => {
    const before = provider.tokens()!;
    ctx.server.clock.advance(ctx.server.config.ttl.accessToken + 120);
    const notes = await agent.callTool({ name: 'list_notes' });
    assert.deepEqual(JSON.parse((notes.content as { text: string }[])[0].text), []);
    const after = provider.tokens()!;
    assert.notEqual(after.access_token, before.access_token);
    assert.notEqual(after.refresh_token, before.refresh_token, 'the refresh token rotated');
    assert.equal(provider.authorizations, 1, 'no second consent');
  });

  it('revoking the app in "Authorized apps" makes the next call 401', async () => {
    const clientId = provider.clientInformation()!.client_id;
    const listed = await person.client.get('/api/oauth/client/authorized/list');
    assert.ok(listed.body.some((app: { clientId: string }) => app.clientId === clientId), 'the agent is listed like any app');
    const token = provider.tokens()!.access_token;
    assert.equal((await person.client.post(`/api/oauth/client/${clientId}/revoke-access`)).status, 200);

    const raw = await fetch(resource, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    assert.equal(raw.status, 401);
    assert.match(raw.headers.get('www-authenticate')!, /error="invalid_token"/);
    provider.browserConsents = false;
    await assert.rejects(agent.callTool({ name: 'whoami' }), 'the SDK cannot refresh a revoked grant and must ask the person again');
    assert.equal(provider.authorizations, 2);
  });
}, { STEEP_DYNAMIC_REGISTRATION: 'open' });
