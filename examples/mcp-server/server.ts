// An MCP server guarded by Steep: the MCP SDK's McpServer over Streamable HTTP, behind
// steep/resource-server. An MCP client that meets its 401 finds everything else by itself: this
// server's RFC 9728 metadata names Steep, Steep's metadata names its registration endpoint, and the
// person consents once. Run (see README.md):
//   STEEP_URL=http://127.0.0.1:3000 node --import tsx --conditions=development examples/mcp-server/server.ts
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { fastifyResourceServer, type Claims, type VerifierOptions } from 'steep/resource-server';

/** What every call needs; adding a note needs more (checked per tool, as a tool cannot have its own route). */
const READ = 'record|read';
const WRITE = 'record|create';

/** One MCP server per request: stateless Streamable HTTP, so any process behind a balancer can answer. */
function mcpFor(token: Claims, notes: Map<string, string[]>): McpServer {
  const server = new McpServer({ name: 'steep-notes', version: '1.0.0' });
  const mine = () => notes.get(token.sub) ?? [];
  const text = (value: unknown) => ({ content: [{ type: 'text' as const, text: typeof value === 'string' ? value : JSON.stringify(value) }] });

  server.registerTool('whoami', { description: 'Who the access token speaks for, which app holds it, and what it may do.' }, async () =>
    text({ sub: token.sub, client_id: token.client_id, scope: token.scope }),
  );
  server.registerTool('list_notes', { description: 'Your notes.' }, async () => text(mine()));
  server.registerTool('add_note', { description: 'Adds a note (needs record|create).', inputSchema: { text: z.string().min(1).max(500) } }, async ({ text: note }) => {
    if (!token.scope.split(' ').includes(WRITE)) return { ...text(`This token lacks ${WRITE}; ask for it to add notes.`), isError: true };
    notes.set(token.sub, [...mine(), note]);
    return text(mine());
  });
  return server;
}

export function buildMcpServer(options: VerifierOptions): FastifyInstance {
  const notes = new Map<string, string[]>();
  const app = Fastify();
  app.register(fastifyResourceServer, { scopes: [READ, WRITE], ...options });

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const server = mcpFor(request.token!, notes);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    // The transport writes the response itself (JSON or an event stream).
    reply.hijack();
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request.raw, reply.raw, request.body);
  };
  app.post('/mcp', { config: { scopes: [READ] } }, handle);
  // Stateless: no server-initiated stream to open and no session to end (MCP Streamable HTTP transport).
  const notAllowed = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.code(405).header('allow', 'POST').send({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this server is stateless; POST to /mcp.' }, id: null });
  app.get('/mcp', { config: { scopes: [READ] } }, notAllowed);
  app.delete('/mcp', { config: { scopes: [READ] } }, notAllowed);
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { STEEP_URL, PORT = '4100', RESOURCE = `http://127.0.0.1:${PORT}/mcp`, CLIENT_ID, CLIENT_SECRET } = process.env;
  if (!STEEP_URL) {
    console.error("Set STEEP_URL (Steep's issuer). RESOURCE defaults to this server's /mcp; CLIENT_ID and CLIENT_SECRET (its own app at Steep) make revocations take effect at once.");
    process.exit(1);
  }
  const introspection = CLIENT_ID && CLIENT_SECRET ? { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, checkJwtRevocation: true } : undefined;
  const app = buildMcpServer({ issuer: STEEP_URL, resource: RESOURCE, introspection });
  console.log(`MCP server for ${RESOURCE} on ${await app.listen({ port: Number(PORT), host: '127.0.0.1' })}`);
}
