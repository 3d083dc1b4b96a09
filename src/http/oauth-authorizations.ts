// A user's authorized apps (Teable dialect): the list, revoke-access (by the user) and revoke-token (by the app).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { forbidden } from '../domain/errors.ts';
import { listAuthorized, revokeAccess } from '../oauth/authorizations.ts';
import { actorOf, requireAuth } from './auth.ts';
import { errorResponses, okMessage } from './responses.ts';

const authorizedShape = z.object({
  clientId: z.string(),
  name: z.string(),
  homepage: z.string(),
  logo: z.string().optional(),
  description: z.string().optional(),
  scopes: z.array(z.string()),
  lastUsedTime: z.string().optional(),
  createdUser: z.object({ name: z.string(), email: z.string() }),
});
const clientParams = z.object({ clientId: z.string().min(1).max(100) });

export const oauthAuthorizationRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['oauth'];
    const user = { onRequest: requireAuth(steep, 'session', 'pat') };
    const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

    app.get('/api/oauth/client/authorized/list', {
      ...user,
      schema: { tags, security, description: 'The OAuth apps the caller has authorized', response: { 200: z.array(authorizedShape), ...errorResponses } },
    }, async (request) => listAuthorized(steep, actorOf(request).user.id));

    app.post('/api/oauth/client/:clientId/revoke-access', {
      ...user,
      schema: {
        tags, security, params: clientParams,
        description: "End the caller's own authorization of an app: consent forgotten, its tokens for the caller revoked",
        response: { 200: okMessage, ...errorResponses },
      },
    }, async (request) => {
      await revokeAccess(steep, actorOf(request).user.id, request.params.clientId);
      return { message: 'The app can no longer act on your behalf.' };
    });

    app.get('/api/oauth/client/:clientId/revoke-token', {
      onRequest: requireAuth(steep, 'oauth'),
      schema: {
        tags, security: [{ bearerAuth: [] }], params: clientParams,
        description: "The app disconnects itself from the token's user (OAuth access token of that same app)",
        response: { 200: okMessage, ...errorResponses },
      },
    }, async (request) => {
      const actor = actorOf(request);
      if (actor.kind !== 'oauth' || actor.clientId !== request.params.clientId) throw forbidden("An app may only revoke its own access: the token belongs to another app.");
      await revokeAccess(steep, actor.user.id, actor.clientId);
      return { message: 'The app was disconnected from the user.' };
    });
  };
