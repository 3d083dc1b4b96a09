// The Fastify plugin: serves the RFC 9728 document and guards every route whose `config.scopes` is
// set. Not encapsulated (as fastify-plugin would make it, without depending on fastify-plugin), so
// its hooks reach the routes of the whole application, not only those of its own context.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { checkScopes } from './challenge.ts';
import { AuthorizationServerUnavailable, type Claims, type VerifierOptions } from './types.ts';
import { METADATA_PATH, createVerifier } from './verifier.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scopes a route needs: every one of them. `[]` admits any valid token; unset leaves the route open. */
    scopes?: string[];
  }
  interface FastifyRequest {
    /** The verified token of a guarded route. */
    token?: Claims;
  }
}

const plugin: FastifyPluginAsync<VerifierOptions> = async (app, options) => {
  const verifier = createVerifier(options);
  app.decorateRequest('token', undefined);
  app.get(METADATA_PATH, async () => verifier.metadata());
  // RFC 9728 section 3.1 also places it after the resource's own path (…/oauth-protected-resource/mcp);
  // clients that build the URL themselves look there.
  const path = new URL(options.resource).pathname.replace(/\/$/, '');
  if (path) app.get(`${METADATA_PATH}${path}`, async () => verifier.metadata());

  // A scope list that is not one is the API's own mistake: it stops the API at startup, not at the first request.
  app.addHook('onRoute', (route) => {
    if (route.config?.scopes !== undefined) checkScopes(route.config.scopes);
  });

  // An application-wide hook rather than one added to each route: it also guards a route registered
  // before the plugin had loaded, which would otherwise be served silently unguarded. onRequest, before
  // the body is read, so a caller without a token costs no parsing.
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const scopes = request.routeOptions.config.scopes;
    if (scopes === undefined) return;
    let verdict;
    try {
      verdict = await verifier.verify(request.headers.authorization, scopes);
    } catch (error) {
      if (!(error instanceof AuthorizationServerUnavailable)) throw error;
      // Neither "allowed" nor "refused" would be true: a retryable answer, as the caller's token may be fine.
      request.log.warn({ err: error }, 'the authorization server cannot be asked about a token');
      return reply.code(503).header('retry-after', String(error.retryAfter))
        .send({ error: 'temporarily_unavailable', error_description: 'The authorization server cannot be reached; try again shortly.' });
    }
    if (!verdict.ok) {
      return reply.code(verdict.status).header('www-authenticate', verdict.wwwAuthenticate)
        .send({ ...(verdict.error && { error: verdict.error }), error_description: verdict.description });
    }
    request.token = verdict.claims;
  });
};

/** Marks the plugin as not encapsulated, as fastify-plugin does: its hook and decorator reach the whole app. */
export const fastifyResourceServer = Object.assign(plugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'steep-resource-server',
});
