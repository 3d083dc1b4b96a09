// Baseline: node:http alone doing the bearer check's JSON work (GET /api/auth/user). Run as its own process.
import { createServer } from 'node:http';
import { bearerToken, fixtureUsers, userView } from './fixture.ts';

const users = fixtureUsers();

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/api/auth/user') {
    const token = bearerToken(request.headers.authorization);
    const user = token === undefined ? undefined : users.get(token);
    const body = user ? JSON.stringify(userView(user)) : '{"message":"The Bearer token is missing, unknown, expired or revoked."}';
    response.writeHead(user ? 200 : 401, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    response.end(body);
    return;
  }
  if (request.url === '/healthz') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"status":"ok"}');
    return;
  }
  response.writeHead(404).end();
});

server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
