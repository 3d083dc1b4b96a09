// Builds the Fastify app of the API: parsers, schemas, security headers, error handling, and every API
// route group. The pages sit above it (src/site.ts adds them); `pages` is how they answer errors.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { isReachable } from '../store/db.ts';
import { AppError } from '../domain/errors.ts';
import './zod-messages.ts';
import { type PageErrors, clientErrorHandler, installErrorHandlers, sendFrameworkError } from './errors.ts';
import { checkRequestBounds } from './request-bounds.ts';
import { registerOpenApi } from './openapi.ts';
import { described } from './responses.ts';
import { accountRoutes } from './accounts.ts';
import { personalTokenRoutes } from './personal-tokens.ts';
import { oauthAppRoutes } from './oauth-apps.ts';
import { oauthAuthorizeRoutes } from './oauth-authorize.ts';
import { oauthTokenRoutes } from './oauth-token.ts';
import { oauthStandardRoutes } from './oauth-standard.ts';
import { openidRoutes } from './openid.ts';
import { oauthRegisterRoutes } from './oauth-register.ts';
import { oauthDeviceRoutes } from './oauth-device.ts';
import { oauthAuthorizationRoutes } from './oauth-authorizations.ts';
import { auditRoutes } from './audit.ts';
import { installMetrics } from './metrics.ts';
import { staticRoutes } from './static.ts';
import { contentSecurityPolicy } from './csp.ts';
import { installCors } from './cors.ts';
import { RequestLog } from './request-log.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route also takes application/x-www-form-urlencoded bodies (browser forms, the token endpoint). */
    forms?: boolean;
  }
}

const health = z.object({ status: z.literal('ok') }).meta({ id: 'Health', description: 'A health probe\'s answer' });
const unready = z.object({ status: z.literal('unavailable'), message: z.string() }).meta({ id: 'Unready', description: 'The database cannot be reached' });

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;
const DEFAULT_POLICY = contentSecurityPolicy();

/** `logger`: the process's JSON logger (src/logger.ts); without one, nothing is logged (tests). */
export async function buildApp(steep: Steep, options: { logger?: FastifyBaseLogger; pages: PageErrors }): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: 64 * 1024,
    trustProxy: steep.config.trustProxy,
    // A client that never finishes its request must not hold a connection forever (Fastify's default is no limit).
    requestTimeout: 30_000,
    // Malformed URLs and the like get our error shape too.
    frameworkErrors: sendFrameworkError,
    clientErrorHandler,
    loggerInstance: options.logger,
    logController: new RequestLog(),
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // Response schemas document the API; validating every response against them would only cost time.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  installErrorHandlers(app, options.pages);

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  app.removeContentTypeParser('text/plain');
  // Some clients send "Content-Type: application/json" on a POST without a body: read that as an empty
  // object, so body-less routes work and the others name the missing fields.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    body === '' ? done(null, {}) : parseJson(request, body as string, done),
  );
  app.addHook('preValidation', checkRequestBounds);
  // Security events emitted while handling a request carry its address and browser (see src/events/),
  // without every service passing them along. Entered just before the handler: body parsing runs in the
  // socket's async context, not the hook's. On Node 20 the AsyncLocalStorage costs about 5 µs of CPU a request.
  app.addHook('preHandler', (request, _reply, done) =>
    steep.events.within({ ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 256) ?? null }, done),
  );
  installMetrics(app, steep);

  // Bodies are JSON, except on routes that say they take forms too: anything else is 415, before parsing.
  // A request with no body is never refused for its Content-Type (Teable's own e2e sends a form type on a GET).
  app.addHook('onRequest', (request, _reply, done) => {
    const type = request.headers['content-type'];
    const length = request.headers['content-length'];
    const hasBody = request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    // No such route: the answer is its 404 (a page under the page paths), whatever the body's type.
    if (type === undefined || !hasBody || request.is404 || JSON_TYPE.test(type) || (request.routeOptions.config.forms && FORM_TYPE.test(type))) return done();
    done(new AppError(415, 'unsupported_media_type', request.routeOptions.config.forms
      ? 'The request body must be application/json or application/x-www-form-urlencoded.'
      : 'The request body must be sent as application/json.'));
  });

  const hsts = `max-age=${steep.config.hstsMaxAge}`;
  // Hooks on every request are callback-style: an async hook costs a promise and a microtask turn each.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    // API and protocol answers carry credentials (tokens, secrets, codes in a Location) or per-person
    // data: no cache may keep them (RFC 6749 section 5.1, RFC 6750 section 5.3). Routes that may be
    // cached (the JWK Set) say so themselves.
    if (!reply.hasHeader('cache-control') && /^\/(api|oauth)\//.test(request.url)) reply.header('cache-control', 'no-store');
    if (steep.config.secureCookies) reply.header('strict-transport-security', hsts);
    // same-origin: URLs (transaction ids) never leak to other sites, and same-origin posts keep a real Origin header.
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', DEFAULT_POLICY);
    done(null, payload);
  });

  await registerOpenApi(app, steep);

  const tags = ['health'];
  app.get('/healthz', {
    schema: { tags, security: [], summary: 'Liveness', description: 'The process is up (the database is not asked)', response: { 200: described(health, 'Up') } },
  }, async () => ({ status: 'ok' as const }));
  app.get('/readyz', {
    schema: {
      tags, security: [], summary: 'Readiness', description: 'The database is reachable',
      response: {
        200: described(health, 'Ready to serve'),
        503: described(unready, 'The database is not reachable; Retry-After says when to ask again'),
      },
    },
  }, async (_request, reply) =>
    (await isReachable(steep.db, Math.min(steep.config.databaseWaitMs, 2000)))
      ? { status: 'ok' as const }
      : reply.code(503).header('retry-after', '5').send({ status: 'unavailable', message: 'The database is not reachable.' }),
  );

  installCors(app, steep);
  await app.register(accountRoutes(steep));
  await app.register(personalTokenRoutes(steep));
  await app.register(oauthAppRoutes(steep));
  await app.register(oauthAuthorizationRoutes(steep));
  await app.register(oauthAuthorizeRoutes(steep));
  await app.register(oauthTokenRoutes(steep));
  await app.register(oauthStandardRoutes(steep));
  await app.register(openidRoutes(steep));
  await app.register(oauthRegisterRoutes(steep));
  await app.register(oauthDeviceRoutes(steep));
  await app.register(auditRoutes(steep));
  staticRoutes(app);
  return app;
}
