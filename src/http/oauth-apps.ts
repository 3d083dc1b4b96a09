// Teable-dialect OAuth app management: /api/oauth/client...; owner-only, session or PAT.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { CLIENT_TYPES, appBodySchema } from '../schemas/apps.ts';
import * as apps from '../services/apps.ts';
import { actorOf, requireAuth } from './auth.ts';
import { described, errorResponses, okMessage } from './responses.ts';

const secretShape = z.object({
  id: z.string(),
  secret: z.string().describe('Masked: the full secret is shown only when it is generated'),
  lastUsedTime: z.string().optional(),
}).meta({ id: 'Secret', description: 'A client secret, masked' });
const newSecretShape = z.object({
  id: z.string(),
  secret: z.string().describe('The full secret (stp_cs_…): shown in this response only'),
  maskedSecret: z.string(),
  lastUsedTime: z.string().optional(),
}).meta({ id: 'NewSecret', description: 'A client secret just generated', examples: [{ id: 'sec_6f1c0b8e2a', secret: 'stp_cs_…', maskedSecret: 'stp_cs_Ab3d…x9Q2' }] });
const appShape = z.object({
  clientId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  homepage: z.string(),
  logo: z.string().optional(),
  scopes: z.array(z.string()).optional().describe('Absent when the app has none'),
  redirectUris: z.array(z.string()),
  clientType: z.enum(CLIENT_TYPES),
  grantTypes: z.array(z.string()),
  secrets: z.array(secretShape).optional().describe('Newest first; absent when there are none (and on a new app)'),
}).meta({
  id: 'OAuthApp',
  description: "An OAuth app as Teable answers it (the seed's response schema), plus clientType and grantTypes",
  examples: [{ clientId: 'c2VlZF9leGFtcGxlXzE', name: 'string', description: 'string', homepage: 'http://example.com', logo: 'string', scopes: ['table|create'], redirectUris: ['http://example.com'], clientType: 'confidential', grantTypes: ['authorization_code', 'refresh_token'] }],
});
const listShape = z.array(appShape.pick({ clientId: true, name: true, description: true, logo: true, homepage: true }).meta({ id: 'OAuthAppSummary', description: 'An OAuth app in the list' }));
const clientParams = z.object({ clientId: z.string().min(1).max(100) });
const secretParams = clientParams.extend({ secretId: z.string().min(1).max(100) });

export const oauthAppRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const body = appBodySchema(steep.config);
    const owner = { onRequest: requireAuth(steep, 'session', 'pat') };
    const tags = ['oauth'];
    const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];
    const refusals = { 401: true, 403: 'An OAuth access token, or a cross-site request with the session cookie' } as const;
    const missing = { 404: 'No OAuth app with this client id exists for the caller (another user\'s app is 404 too)' };
    const withBody = { 400: 'A field is invalid; details names each one', 413: true, 415: true } as const;

    app.post('/api/oauth/client', {
      ...owner,
      schema: {
        tags, security, summary: 'Create an OAuth app', description: 'Create a new OAuth application (Teable: POST /oauth/client). It has no secret yet: generate one with POST …/secret.',
        body, response: { 201: described(appShape, 'The created OAuth app'), ...errorResponses('teable', { ...withBody, ...refusals }) },
      },
    }, async (request, reply) => reply.code(201).send(await apps.createApp(steep, actorOf(request).user.id, request.body)));

    app.get('/api/oauth/client', {
      ...owner,
      schema: { tags, security, summary: 'List your OAuth apps', description: "The caller's OAuth applications, newest first", response: { 200: described(listShape, "The caller's apps, newest first"), ...errorResponses('teable', refusals) } },
    }, async (request) =>
      (await steep.apps.listByOwner(actorOf(request).user.id)).map((row) => {
        const { clientId, name, description, logo, homepage } = apps.appView(steep, row);
        return { clientId, name, description, logo, homepage };
      }),
    );

    app.get('/api/oauth/client/:clientId', {
      ...owner,
      schema: { tags, security, summary: 'Get an OAuth app', description: 'One OAuth application, with its masked secrets', params: clientParams, response: { 200: described(appShape, 'The app, with its masked secrets'), ...errorResponses('teable', { 400: true, ...refusals, ...missing }) } },
    }, async (request) => apps.getApp(steep, actorOf(request).user.id, request.params.clientId));

    app.put('/api/oauth/client/:clientId', {
      ...owner,
      schema: { tags, security, summary: 'Replace an OAuth app', description: 'Replace an OAuth application (same body as create). A Teable client that omits clientType and grantTypes keeps what the app had.', params: clientParams, body, response: { 200: described(appShape, 'The app as it now is'), ...errorResponses('teable', { ...withBody, ...refusals, ...missing }) } },
    }, async (request) => apps.replaceApp(steep, actorOf(request).user.id, request.params.clientId, request.body));

    app.delete('/api/oauth/client/:clientId', {
      ...owner,
      schema: { tags, security, summary: 'Delete an OAuth app', description: 'Delete an OAuth application with its secrets, codes, consents and tokens', params: clientParams, response: { 200: described(okMessage, 'The app and everything it was granted are gone'), ...errorResponses('teable', { 400: true, ...refusals, ...missing }) } },
    }, async (request) => {
      await apps.deleteApp(steep, actorOf(request).user.id, request.params.clientId);
      return { message: 'The OAuth app was deleted.' };
    });

    app.post('/api/oauth/client/:clientId/secret', {
      ...owner,
      schema: {
        tags, security, summary: 'Generate a client secret', description: 'Generate a client secret; the full secret is in this response only',
        params: clientParams,
        response: {
          201: described(newSecretShape, 'The new secret, in full this once'),
          ...errorResponses('teable', { 400: 'The app is public: public clients have no secret', ...refusals, ...missing, 409: 'The app already has 25 secrets' }),
        },
      },
    }, async (request, reply) => reply.code(201).send(await apps.generateSecret(steep, actorOf(request).user.id, request.params.clientId)));

    app.delete('/api/oauth/client/:clientId/secret/:secretId', {
      ...owner,
      schema: { tags, security, summary: 'Delete a client secret', description: 'Delete a client secret; it stops authenticating at once', params: secretParams, response: { 200: described(okMessage, 'The secret no longer authenticates'), ...errorResponses('teable', { 400: true, ...refusals, 404: 'No such app, or no such secret on it' }) } },
    }, async (request) => {
      await apps.deleteSecret(steep, actorOf(request).user.id, request.params.clientId, request.params.secretId);
      return { message: 'The client secret was deleted.' };
    });
  };
