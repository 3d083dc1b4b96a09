// Personal access tokens, Teable's shapes: /api/access-token. Session only.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { ValidationError } from '../domain/errors.ts';
import { createPersonalToken, deletePersonalToken, personalTokenView, refreshPersonalToken, updatePersonalToken } from '../services/personal-tokens.ts';
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

/** The create body; the tokens page validates with it too. */
export function personalTokenBodySchema(steep: Steep) {
  const scopeNames = steep.config.scopes.map((s) => s.name) as [string, ...string[]];
  return z.object({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(1000).optional(),
    scopes: z.array(z.enum(scopeNames)).min(1).max(scopeNames.length * 4),
    expiredTime: z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'must be a date such as 2030-01-31, or an ISO 8601 date-time' }),
  });
}

/** Epoch ms of `expiredTime`; a date without a time means "through that day" (Teable's date picker sends a day). */
export function expiryTime(steep: Steep, expiredTime: string): number {
  const expiresAt = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(expiredTime) ? `${expiredTime}T23:59:59.999Z` : expiredTime);
  if (expiresAt <= steep.clock.now()) throw new ValidationError([{ path: 'expiredTime', message: 'must be in the future' }]);
  return expiresAt;
}

export const personalTokenRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const session = { onRequest: requireAuth(steep, 'session') };
    const tags = ['access-token'];

    app.post('/api/access-token', {
      ...session,
      schema: {
        tags, description: 'Create a personal access token; `token` is in this response only',
        body: personalTokenBodySchema(steep),
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
        body: personalTokenBodySchema(steep).omit({ expiredTime: true }),
        response: { 200: tokenShape.pick({ id: true, name: true, description: true, scopes: true }), ...errorResponses },
      },
    }, async (request) => updatePersonalToken(steep, actorOf(request).user.id, request.params.id, request.body));

    app.post('/api/access-token/:id/refresh', {
      ...session,
      schema: {
        tags, description: 'Replace the secret of a personal access token, with a new expiry; the new `token` is in this response only',
        params,
        body: personalTokenBodySchema(steep).pick({ expiredTime: true }),
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
