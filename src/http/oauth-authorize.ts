// The browser side of the code flow: /api/oauth/authorize and the consent decision API (Teable dialect).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { forbidden } from '../domain/errors.ts';
import { authorize } from '../oauth/authorize.ts';
import { decide, loadTransaction } from '../oauth/decision.ts';
import { actorOf, identify, loginUrl, requireAuth } from './auth.ts';
import { errorResponses } from './responses.ts';

const text = (max: number) => z.string().max(max).optional();
const authorizeQuery = z.object({
  response_type: text(50),
  client_id: z.string().min(1).max(100),
  redirect_uri: text(2048),
  scope: text(4096),
  state: text(2048),
  code_challenge: text(128),
  code_challenge_method: text(20),
});
const transactionId = z.string().min(1).max(200);
const decisionBody = z.object({
  transaction_id: transactionId,
  // Teable's consent form posts cancel=<button label> to deny; JSON callers may send true.
  cancel: z.union([z.string().max(100), z.boolean()]).optional(),
});
const decisionInfo = z.object({
  name: z.string(),
  description: z.string().optional(),
  homepage: z.string(),
  logo: z.string().optional(),
  scopes: z.array(z.string()),
});
const redirect = z.null().describe('302 with a Location header');

const isCancel = (cancel: string | boolean | undefined) => cancel !== undefined && cancel !== false && cancel !== '' && cancel !== 'false';

export const oauthAuthorizeRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['oauth-server'];
    const security = [{ cookieAuth: [] }];

    /** Signed out: off to the sign-in page, which comes back here. Bearer tokens may not authorize. */
    async function browserSession(request: FastifyRequest, reply: FastifyReply) {
      const actor = await identify(steep, request);
      if (!actor) return reply.redirect(loginUrl(request.url), 302);
      if (actor.kind !== 'session') throw forbidden('Only a signed-in browser can authorize an app; Bearer tokens cannot.');
    }

    app.get('/api/oauth/authorize', {
      onRequest: browserSession,
      schema: {
        tags, security, querystring: authorizeQuery,
        description: 'Start the authorization code flow (PKCE S256). Redirects to the consent page, or straight back to the app when consent is remembered',
        response: { 302: redirect, ...errorResponses },
      },
    }, async (request, reply) => reply.redirect(await authorize(steep, actorOf(request).user.id, request.query), 302));

    app.get('/api/oauth/decision/:transactionId', {
      onRequest: requireAuth(steep, 'session'),
      schema: {
        tags, security, params: z.object({ transactionId }),
        description: 'What a pending authorization asks for, for the consent page',
        response: { 200: decisionInfo, ...errorResponses },
      },
    }, async (request) => {
      const { app: client, scopes } = await loadTransaction(steep, actorOf(request).user.id, request.params.transactionId);
      return {
        name: client.name,
        ...(client.description !== null && { description: client.description }),
        homepage: client.homepage,
        ...(client.logo !== null && { logo: client.logo }),
        scopes,
      };
    });

    app.post('/api/oauth/decision', {
      onRequest: requireAuth(steep, 'session'),
      config: { forms: true },
      schema: {
        tags, security, body: decisionBody,
        description: 'Allow (or, with cancel, deny) a pending authorization; redirects back to the app. Same-site only',
        response: { 302: redirect, ...errorResponses },
      },
    }, async (request, reply) => {
      const { transaction_id, cancel } = request.body;
      return reply.redirect(await decide(steep, actorOf(request).user.id, transaction_id, !isCancel(cancel)), 302);
    });
  };
