// Teable-dialect OAuth app management: /api/oauth/client...; owner-only, session or PAT.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { CLIENT_TYPES, appBodySchema } from '../schemas/apps.ts';
import * as apps from '../services/apps.ts';
import { actorOf, requireAuth } from './auth.ts';
import { errorResponses, errorShape, okMessage } from './responses.ts';

const secretShape = z.object({ id: z.string(), secret: z.string(), lastUsedTime: z.string().optional() });
const appShape = z.object({
  clientId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  homepage: z.string(),
  logo: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  redirectUris: z.array(z.string()),
  clientType: z.enum(CLIENT_TYPES),
  grantTypes: z.array(z.string()),
  secrets: z.array(secretShape).optional(),
});
const listShape = z.array(appShape.pick({ clientId: true, name: true, description: true, logo: true, homepage: true }));
const clientParams = z.object({ clientId: z.string().min(1).max(100) });
const secretParams = clientParams.extend({ secretId: z.string().min(1).max(100) });

export const oauthAppRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const body = appBodySchema(steep.config);
    const owner = { onRequest: requireAuth(steep, 'session', 'pat') };
    const tags = ['oauth'];
    const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

    app.post('/api/oauth/client', {
      ...owner,
      schema: { tags, security, description: 'Create a new OAuth application', body, response: { 201: appShape, ...errorResponses } },
    }, async (request, reply) => reply.code(201).send(await apps.createApp(steep, actorOf(request).user.id, request.body)));

    app.get('/api/oauth/client', {
      ...owner,
      schema: { tags, security, description: "The caller's OAuth applications, newest first", response: { 200: listShape, ...errorResponses } },
    }, async (request) =>
      (await steep.apps.listByOwner(actorOf(request).user.id)).map((row) => {
        const { clientId, name, description, logo, homepage } = apps.appView(steep, row);
        return { clientId, name, description, logo, homepage };
      }),
    );

    app.get('/api/oauth/client/:clientId', {
      ...owner,
      schema: { tags, security, description: 'One OAuth application, with its masked secrets', params: clientParams, response: { 200: appShape, ...errorResponses } },
    }, async (request) => apps.getApp(steep, actorOf(request).user.id, request.params.clientId));

    app.put('/api/oauth/client/:clientId', {
      ...owner,
      schema: { tags, security, description: 'Replace an OAuth application', params: clientParams, body, response: { 200: appShape, ...errorResponses } },
    }, async (request) => apps.replaceApp(steep, actorOf(request).user.id, request.params.clientId, request.body));

    app.delete('/api/oauth/client/:clientId', {
      ...owner,
      schema: { tags, security, description: 'Delete an OAuth application with its secrets, codes, consents and tokens', params: clientParams, response: { 200: okMessage, ...errorResponses } },
    }, async (request) => {
      await apps.deleteApp(steep, actorOf(request).user.id, request.params.clientId);
      return { message: 'The OAuth app was deleted.' };
    });

    app.post('/api/oauth/client/:clientId/secret', {
      ...owner,
      schema: {
        tags, security, description: 'Generate a client secret; the full secret is in this response only',
        params: clientParams,
        response: { 201: z.object({ id: z.string(), secret: z.string(), maskedSecret: z.string(), lastUsedTime: z.string().optional() }), ...errorResponses, 409: errorShape },
      },
    }, async (request, reply) => reply.code(201).send(await apps.generateSecret(steep, actorOf(request).user.id, request.params.clientId)));

    app.delete('/api/oauth/client/:clientId/secret/:secretId', {
      ...owner,
      schema: { tags, security, description: 'Delete a client secret; it stops authenticating at once', params: secretParams, response: { 200: okMessage, ...errorResponses } },
    }, async (request) => {
      await apps.deleteSecret(steep, actorOf(request).user.id, request.params.clientId, request.params.secretId);
      return { message: 'The client secret was deleted.' };
    });
  };
