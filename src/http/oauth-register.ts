// Dynamic client registration endpoints: POST /oauth/register (RFC 7591) and, with the registration
// access token, GET/PUT/DELETE /oauth/register/{client_id} (RFC 7592). Off unless the operator opens them.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { AttemptLimiter } from '../domain/rate-limit.ts';
import { RegistrationError, deleteRegistration, readRegistration, register, registeredApp, updateRegistration } from '../oauth/registration.ts';
import { actorFromBearer } from '../services/credentials.ts';
import { bearerToken } from './auth.ts';
import { NO_STORE, oauthErrorShape } from './oauth-token.ts';

const clientInformation = z.object({ client_id: z.string(), registration_access_token: z.string().optional(), registration_client_uri: z.string() }).catchall(z.unknown());
const params = z.object({ clientId: z.string().min(1).max(100) });
const INVALID_TOKEN = 'Bearer realm="steep", error="invalid_token"';

/** Registrations one address may make per hour: enough for any real client, too few to fill the database. */
const REGISTRATIONS_PER_HOUR = 20;

export const oauthRegisterRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    if (steep.config.dynamicRegistration === 'off') return; // unknown routes are 404, as API.md says for "off"
    const tags = ['oauth-standard'];
    const perIp = new AttemptLimiter(steep.clock, REGISTRATIONS_PER_HOUR, 3600_000);
    const errors = { 400: oauthErrorShape, 401: oauthErrorShape, 429: oauthErrorShape };

    const refuse = (reply: FastifyReply, status: number, error: string, description: string) =>
      reply.code(status).headers(NO_STORE).send({ error, error_description: description });

    /** Runs `work`, answering RFC 7591 metadata errors as 400 with their own codes. */
    async function answer(reply: FastifyReply, status: number, work: () => Promise<unknown>) {
      try {
        return reply.code(status).headers(NO_STORE).send(await work());
      } catch (error) {
        if (error instanceof RegistrationError) return refuse(reply, 400, error.error, error.message);
        throw error;
      }
    }

    // Browser-based agents (an MCP inspector, say) register too; no cookie is involved, so any origin may.
    app.post('/oauth/register', {
      config: { oauth: true, cors: 'any' },
      schema: {
        tags, security: steep.config.dynamicRegistration === 'token' ? [{ bearerAuth: [] }] : [{}],
        description: 'Register a client (RFC 7591): redirect_uris, client_name, token_endpoint_auth_method, grant_types, response_types, scope, client_uri, logo_uri',
        response: { 201: clientInformation, ...errors },
      },
    }, async (request, reply) => {
      if (steep.config.dynamicRegistration === 'token') {
        // The initial access token (RFC 7591 section 3) is a personal access token.
        const token = bearerToken(request);
        const actor = token ? await actorFromBearer(steep, token) : null;
        if (actor?.kind !== 'pat') return reply.code(401).header('www-authenticate', INVALID_TOKEN).send({ error: 'invalid_token', error_description: 'Registration needs a personal access token as the initial access token.' });
      }
      const wait = perIp.take(request.ip);
      if (wait > 0) {
        steep.metrics.rateLimited('registration');
        return refuse(reply.header('retry-after', String(wait)), 429, 'invalid_request', `Too many registrations from this address; try again in ${wait} seconds.`);
      }
      return answer(reply, 201, () => register(steep, request.body ?? {}));
    });

    /** RFC 7592 section 3: the registration access token; a wrong one and an unknown client look the same. */
    const registration = async (request: FastifyRequest, reply: FastifyReply) => {
      const found = await registeredApp(steep, (request.params as z.infer<typeof params>).clientId, bearerToken(request));
      if (!found) reply.code(401).header('www-authenticate', INVALID_TOKEN).send({ error: 'invalid_token', error_description: 'The registration access token is wrong, or no such registration exists.' });
      return found;
    };
    const management = { config: { oauth: true }, schema: { tags, security: [{ bearerAuth: [] }], params } };

    app.get('/oauth/register/:clientId', { ...management, schema: { ...management.schema, description: 'Read a registration (RFC 7592)', response: { 200: clientInformation, ...errors } } },
      async (request, reply) => {
        const found = await registration(request, reply);
        return found ? reply.headers(NO_STORE).send(await readRegistration(steep, found)) : reply;
      });

    app.put('/oauth/register/:clientId', { ...management, schema: { ...management.schema, description: 'Replace a registration (RFC 7592)', response: { 200: clientInformation, ...errors } } },
      async (request, reply) => {
        const found = await registration(request, reply);
        return found ? answer(reply, 200, () => updateRegistration(steep, found, request.body ?? {})) : reply;
      });

    app.delete('/oauth/register/:clientId', { ...management, schema: { ...management.schema, description: 'Delete a registration and everything it was granted (RFC 7592)', response: { 204: z.null(), ...errors } } },
      async (request, reply) => {
        const found = await registration(request, reply);
        if (!found) return reply;
        await deleteRegistration(steep, found);
        return reply.code(204).send(null);
      });
  };
