// Baseline: a bare Fastify 5 route doing the bearer check's JSON work, with a response schema (compiled
// serializer), no logger, no plugins. Run as its own process.
import Fastify from 'fastify';
import { bearerToken, fixtureUsers, userView } from './fixture.ts';

const users = fixtureUsers();
const app = Fastify({ logger: false });

const userShape = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' }, avatar: { type: 'string' } },
  required: ['id', 'name'],
} as const;
const errorShape = { type: 'object', properties: { message: { type: 'string' } } } as const;

app.get('/api/auth/user', { schema: { response: { 200: userShape, 401: errorShape } } }, async (request, reply) => {
  const token = bearerToken(request.headers.authorization);
  const user = token === undefined ? undefined : users.get(token);
  if (!user) return reply.code(401).send({ message: 'The Bearer token is missing, unknown, expired or revoked.' });
  return userView(user);
});
app.get('/healthz', async () => ({ status: 'ok' }));

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
