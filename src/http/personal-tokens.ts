// Personal access tokens, Teable's shapes: /api/access-token. Session only.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { personalTokenBodySchema } from '../schemas/personal-tokens.ts';
import { createPersonalToken, deletePersonalToken, expiryTime, personalTokenView, refreshPersonalToken, updatePersonalToken } from '../services/personal-tokens.ts';
import { actorOf, requireAuth } from './auth.ts';
import { described, errorResponses, okMessage } from './responses.ts';

const tokenShape = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  scopes: z.array(z.string()),
  expiredTime: z.string(),
  createdTime: z.string(),
  lastUsedTime: z.string().optional(),
}).meta({ id: 'PersonalToken', description: 'A personal access token, without the token itself' });
const newTokenShape = tokenShape.extend({ token: z.string().describe('The token (stp_pat_…): shown in this response only') })
  .meta({ id: 'NewPersonalToken', description: 'A personal access token just created' });

export const personalTokenRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const session = { onRequest: requireAuth(steep, 'session') };
    const tags = ['access-token'];
    const security = [{ cookieAuth: [] }];
    const refusals = { 401: true, 403: 'A Bearer token (this route takes the browser session only), or a cross-site request' } as const;
    const withBody = { 400: 'A field is invalid, or expiredTime is not in the future', 413: true, 415: true } as const;
    const missing = { 404: 'No personal access token with this id exists for the caller' };

    app.post('/api/access-token', {
      ...session,
      schema: {
        tags, security, summary: 'Create a personal access token', description: 'Create a personal access token; `token` is in this response only',
        body: personalTokenBodySchema(steep.config),
        response: { 201: described(newTokenShape, 'The new token, in full this once'), ...errorResponses('teable', { ...withBody, ...refusals }) },
      },
    }, async (request, reply) => {
      const expiresAt = expiryTime(steep, request.body.expiredTime);
      const { name, description, scopes } = request.body;
      return reply.code(201).send(await createPersonalToken(steep, actorOf(request).user.id, { name, description, scopes, expiresAt }));
    });

    app.get('/api/access-token', {
      ...session,
      schema: { tags, security, summary: 'List your personal access tokens', description: "The caller's personal access tokens, without the tokens themselves", response: { 200: described(z.array(tokenShape), "The caller's tokens"), ...errorResponses('teable', refusals) } },
    }, async (request) => (await steep.personalTokens.listByUser(actorOf(request).user.id)).map((row) => personalTokenView(steep, row)));

    const params = z.object({ id: z.string().min(1).max(100) });

    app.put('/api/access-token/:id', {
      ...session,
      schema: {
        tags, security, summary: 'Update a personal access token', description: 'Rename a personal access token or change its scopes; the token itself stays the same',
        params,
        body: personalTokenBodySchema(steep.config).omit({ expiredTime: true }),
        response: { 200: described(tokenShape.pick({ id: true, name: true, description: true, scopes: true }), 'The token as it now is'), ...errorResponses('teable', { ...withBody, ...refusals, ...missing }) },
      },
    }, async (request) => updatePersonalToken(steep, actorOf(request).user.id, request.params.id, request.body));

    app.post('/api/access-token/:id/refresh', {
      ...session,
      schema: {
        tags, security, summary: 'Refresh a personal access token', description: 'Replace the secret of a personal access token, with a new expiry; the new `token` is in this response only',
        params,
        body: personalTokenBodySchema(steep.config).pick({ expiredTime: true }),
        response: { 200: described(z.object({ id: z.string(), expiredTime: z.string(), token: z.string() }), 'The new token, in full this once; the old one no longer works'), ...errorResponses('teable', { ...withBody, ...refusals, ...missing }) },
      },
    }, async (request) => refreshPersonalToken(steep, actorOf(request).user.id, request.params.id, expiryTime(steep, request.body.expiredTime)));

    app.delete('/api/access-token/:id', {
      ...session,
      schema: { tags, security, summary: 'Delete a personal access token', description: 'Delete a personal access token; it stops working at once', params, response: { 200: described(okMessage, 'The token no longer works'), ...errorResponses('teable', { 400: true, ...refusals, ...missing }) } },
    }, async (request) => {
      await deletePersonalToken(steep, actorOf(request).user.id, request.params.id);
      return { message: 'The personal access token was deleted.' };
    });
  };
