// The browser side of the code flow: /api/oauth/authorize and the consent decision API (Teable dialect).
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { forbidden } from '../domain/errors.ts';
import { type Signer, authorize } from '../oauth/authorize.ts';
import { signerOf } from '../services/credentials.ts';
import { decide, loadTransaction } from '../oauth/decision.ts';
import { authorizeQuery } from '../schemas/authorize.ts';
import { actorOf, identify, loginUrl, requireAuth } from './auth.ts';
import { described, errorResponses, redirect } from './responses.ts';

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
  scopes: z.array(z.string()).describe('The scopes this request asks for'),
}).meta({ id: 'PendingAuthorization', description: 'What a pending authorization asks for, as the consent page shows it' });

/** The authorize URL to come back to after a forced sign-in: without prompt=login, or it would ask forever. */
function withoutPromptLogin(url: string): string {
  const [path, query = ''] = url.split('?');
  const params = new URLSearchParams(query);
  const prompt = (params.get('prompt') ?? '').split(' ').filter((value) => value && value !== 'login');
  if (prompt.length) params.set('prompt', prompt.join(' '));
  else params.delete('prompt');
  return `${path}?${params}`;
}

const isCancel = (cancel: string | boolean | undefined) => cancel !== undefined && cancel !== false && cancel !== '' && cancel !== 'false';

export const oauthAuthorizeRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['oauth-server'];
    const security = [{ cookieAuth: [] }];

    /** The signed-in person, or null (sign-in comes after the request is checked). Bearer tokens may not authorize. */
    async function browserSigner(request: FastifyRequest): Promise<Signer | null> {
      const actor = await identify(steep, request);
      if (!actor) return null;
      if (actor.kind !== 'session') throw forbidden('Only a signed-in browser can authorize an app; Bearer tokens cannot.');
      return signerOf(actor);
    }

    const dialects = [
      { path: '/api/oauth/authorize', dialect: 'teable', tags, summary: 'Authorize (Teable dialect)',
        description: 'Start the authorization code flow (PKCE S256), Teable dialect: scopes beyond the app\'s are a 400. Redirects to sign-in, the consent page, or back to the app' },
      { path: '/oauth/authorize', dialect: 'standard', tags: ['oauth-standard'], summary: 'Authorize (RFC 6749)',
        description: 'Start the authorization code flow (PKCE S256), RFC 6749 dialect: every error after the client and redirect URI are known goes back to the redirect URI' },
    ] as const;
    for (const { path, dialect, tags, summary, description } of dialects) {
      app.get(path, {
        config: { dialect: 'browser' },
        schema: {
          tags, security: [{ cookieAuth: [] }, {}], querystring: authorizeQuery, summary, description,
          response: {
            302: redirect('the sign-in page, the consent page, or the redirect URI with a code or an error'),
            ...errorResponses('browser', {
              400: dialect === 'teable'
                ? 'Unknown client, unregistered redirect URI, or scopes beyond the app\'s (an HTML page when Accept names text/html)'
                : 'Unknown client or unregistered redirect URI (an HTML page when Accept names text/html)',
              403: 'A Bearer token: only a signed-in browser can authorize',
            }),
          },
        },
      }, async (request, reply) => {
        const outcome = await authorize(steep, dialect, await browserSigner(request), request.query);
        if (!('login' in outcome)) return reply.redirect(outcome.redirect, 302);
        return reply.redirect(outcome.login === 'fresh' ? loginUrl(withoutPromptLogin(request.url), { fresh: true }) : loginUrl(request.url), 302);
      });
    }

    app.get('/api/oauth/decision/:transactionId', {
      onRequest: requireAuth(steep, 'session'),
      config: { dialect: 'browser' },
      schema: {
        tags, security, params: z.object({ transactionId }), summary: 'Read a pending authorization',
        description: 'What a pending authorization asks for, for the consent page',
        response: {
          200: described(decisionInfo, 'The app and the scopes it asks for'),
          ...errorResponses('browser', { 400: 'Unknown, expired or used, or another user\'s ("Invalid user")', 401: true, 403: 'A Bearer token' }),
        },
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
      config: { forms: true, dialect: 'browser' },
      schema: {
        tags, security, body: decisionBody, summary: 'Allow or deny a pending authorization',
        description: 'Allow (or, with cancel, deny) a pending authorization; redirects back to the app. Same-site only',
        response: {
          302: redirect('the redirect URI with a code, or with error=access_denied'),
          ...errorResponses('browser', { 400: 'Unknown, expired or used', 401: true, 403: 'A Bearer token, or a cross-site post', 413: true, 415: true }),
        },
      },
    }, async (request, reply) => {
      const { transaction_id, cancel } = request.body;
      const actor = actorOf(request);
      if (actor.kind !== 'session') throw forbidden('Only a signed-in browser can decide.');
      return reply.redirect(await decide(steep, signerOf(actor), transaction_id, !isCancel(cancel)), 302);
    });
  };
