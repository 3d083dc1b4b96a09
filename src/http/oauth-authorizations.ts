// A user's authorized apps (Teable dialect): the list, revoke-access (by the user) and revoke-token (by the app).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { forbidden } from '../domain/errors.ts';
import { listAuthorized, revokeAccess } from '../oauth/authorizations.ts';
import { actorOf, requireAuth } from './auth.ts';
import { described, errorResponses, okMessage } from './responses.ts';

const authorizedShape = z.object({
  clientId: z.string(),
  name: z.string(),
  homepage: z.string(),
  logo: z.string().optional(),
  description: z.string().optional(),
  scopes: z.array(z.string()),
  lastUsedTime: z.string().optional(),
  createdUser: z.object({ name: z.string(), email: z.string() }).describe("The app's owner"),
}).meta({ id: 'AuthorizedApp', description: 'An app the caller has authorized, with the scopes it holds' });
const clientParams = z.object({ clientId: z.string().min(1).max(100) });

export const oauthAuthorizationRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['oauth'];
    const user = { onRequest: requireAuth(steep, 'session', 'pat') };
    const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];
    const refusals = { 401: true, 403: 'An OAuth access token, or a cross-site request with the session cookie' } as const;

    app.get('/api/oauth/client/authorized/list', {
      ...user,
      schema: { tags, security, summary: 'List the apps you authorized', description: 'The OAuth apps the caller has authorized', response: { 200: described(z.array(authorizedShape), 'The apps, with what each may do'), ...errorResponses('teable', refusals) } },
    }, async (request) => listAuthorized(steep, actorOf(request).user.id));

    app.post('/api/oauth/client/:clientId/revoke-access', {
      ...user,
      schema: {
        tags, security, params: clientParams, summary: 'Revoke an app\'s access',
        description: "End the caller's own authorization of an app: consent forgotten, its tokens for the caller revoked",
        response: { 200: described(okMessage, 'The app can no longer act for the caller'), ...errorResponses('teable', { 400: true, ...refusals, 404: 'The caller has not authorized an app with this client id' }) },
      },
    }, async (request) => {
      await revokeAccess(steep, actorOf(request).user.id, request.params.clientId);
      return { message: 'The app can no longer act on your behalf.' };
    });

    app.get('/api/oauth/client/:clientId/revoke-token', {
      onRequest: requireAuth(steep, 'oauth'),
      schema: {
        tags, security: [{ bearerAuth: [] }], params: clientParams, summary: 'An app disconnects itself',
        description: "The app disconnects itself from the token's user (an OAuth access token of that same app)",
        response: { 200: described(okMessage, 'The app was disconnected from the user'), ...errorResponses('teable', { 400: true, 401: true, 403: 'Not an OAuth access token, or one of another app' }) },
      },
    }, async (request) => {
      const actor = actorOf(request);
      if (actor.kind !== 'oauth' || actor.clientId !== request.params.clientId) throw forbidden("An app may only revoke its own access: the token belongs to another app.");
      await revokeAccess(steep, actor.user.id, actor.clientId);
      return { message: 'The app was disconnected from the user.' };
    });
  };
