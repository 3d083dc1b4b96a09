// Personal access tokens, Teable's shapes: /api/access-token. Session only.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { personalTokenBodySchema } from '../schemas/personal-tokens.ts';
import { createPersonalToken, deletePersonalToken, expiryTime, personalTokenView, refreshPersonalToken, updatePersonalToken } from '../services/personal-tokens.ts';
import { actorOf, requireAuth } from './auth.ts';
import { errorResponses, okMessage } from './responses.ts';

const tokenShape = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  scopes: z.array(z.string()),
  expiredTime: z.string(),
  createdTime: z.string(),
  lastUsedTime: z.string().optional(),
});

export const personalTokenRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const session = { onRequest: requireAuth(steep, 'session') };
    const tags = ['access-token'];

    app.post('/api/access-token', {
      ...session,
      schema: {
        tags, description: 'Create a personal access token; `token` is in this response only',
        body: personalTokenBodySchema(steep.config),
        response: { 201: tokenShape.extend({ token: z.string() }), ...errorResponses },
      },
    }, async (request, reply) => {
      const expiresAt = expiryTime(steep, request.body.expiredTime);
      const { name, description, scopes } = request.body;
      return reply.code(201).send(await createPersonalToken(steep, actorOf(request).user.id, { name, description, scopes, expiresAt }));
    });

    app.get('/api/access-token', {
      ...session,
      schema: { tags, description: "The caller's personal access tokens, without the tokens themselves", response: { 200: z.array(tokenShape), ...errorResponses } },
    }, async (request) => (await steep.personalTokens.listByUser(actorOf(request).user.id)).map((row) => personalTokenView(steep, row)));

    const params = z.object({ id: z.string().min(1).max(100) });

    app.put('/api/access-token/:id', {
      ...session,
      schema: {
        tags, description: 'Rename a personal access token or change its scopes; the token itself stays the same',
        params,
        body: personalTokenBodySchema(steep.config).omit({ expiredTime: true }),
        response: { 200: tokenShape.pick({ id: true, name: true, description: true, scopes: true }), ...errorResponses },
      },
    }, async (request) => updatePersonalToken(steep, actorOf(request).user.id, request.params.id, request.body));

    app.post('/api/access-token/:id/refresh', {
      ...session,
      schema: {
        tags, description: 'Replace the secret of a personal access token, with a new expiry; the new `token` is in this response only',
        params,
        body: personalTokenBodySchema(steep.config).pick({ expiredTime: true }),
        response: { 200: z.object({ id: z.string(), expiredTime: z.string(), token: z.string() }), ...errorResponses },
      },
    }, async (request) => refreshPersonalToken(steep, actorOf(request).user.id, request.params.id, expiryTime(steep, request.body.expiredTime)));

    app.delete('/api/access-token/:id', {
      ...session,
      schema: { tags, description: 'Delete a personal access token; it stops working at once', params, response: { 200: okMessage, ...errorResponses } },
    }, async (request) => {
      await deletePersonalToken(steep, actorOf(request).user.id, request.params.id);
      return { message: 'The personal access token was deleted.' };
    });
  };
