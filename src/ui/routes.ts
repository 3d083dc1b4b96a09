// Every page route, in one encapsulated plugin: its POST routes take browser forms, and its errors
// render as a page with one clear sentence (the API keeps its JSON errors).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Steep } from '../context.ts';
import { AppError } from '../domain/errors.ts';
import { isDatabaseUnavailable } from '../store/db.ts';
import { contentSecurityPolicy } from '../http/csp.ts';
import { retryAfterFor } from '../http/errors.ts';
import { authPages } from './auth-pages.ts';
import { appPages } from './app-pages.ts';
import { appSecretPages } from './app-secret-pages.ts';
import { consentPages } from './consent-pages.ts';
import { devicePages } from './device-pages.ts';
import { authorizedPages } from './authorized-pages.ts';
import { tokenPages } from './token-pages.ts';
import { faviconRoute } from './favicon.ts';
import { sessionOf } from './guard.ts';
import { activityPages } from './activity-pages.ts';
import { html } from './html.ts';
import { page, sendPage, signedInAs } from './layout.ts';

const TITLES: Record<number, string> = {
  400: 'This request cannot be completed',
  403: 'Not allowed',
  404: 'Not found',
  413: 'Too much data',
  415: 'Unsupported form',
  429: 'Too many attempts',
};

/** Paths people type or bookmark get a page for "not found", not the API's JSON. */
const PAGE_PATH = /^\/(settings|auth|device)(\/|$)|^\/oauth\/decision(\/|$)/;

/**
 * Error and not-found pages. A signed-in person keeps the navigation on them; when the database is
 * what failed, nobody is looked up (that would fail too) and the page has no account header.
 */
export function pageErrors(steep: Steep) {
  async function error(reply: FastifyReply, status: number, message: string, title = TITLES[status] ?? 'Something went wrong') {
    const actor = status === 503 ? null : await sessionOf(steep, reply.request).catch(() => null);
    const frame = actor ? signedInAs(steep, actor) : {};
    return sendPage(reply, page({ title, ...frame }, html`<h1>${title}</h1><p class="alert" role="alert">${message}</p><p><a href="/">Back to Steep</a></p>`), status);
  }
  async function notFound(request: FastifyRequest, reply: FastifyReply) {
    return PAGE_PATH.test(request.url.split('?')[0]) ? error(reply, 404, 'There is no page at this address.') : null;
  }
  return { error, notFound };
}

function pageErrorHandler(steep: Steep) {
  const { error: errorPage } = pageErrors(steep);
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) return errorPage(retryAfterFor(reply, error), error.status, error.message);
    if (error.statusCode === 413) return errorPage(reply, 413, 'The form sent more than 64 KiB; shorten it and try again.');
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return errorPage(reply, 400, 'The form could not be read; reload the page and try again.');
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return errorPage(reply.header('retry-after', '5'), 503, 'Steep cannot reach its database right now; nothing was changed. Try again in a few seconds.', 'Temporarily unavailable');
    }
    request.log.error({ err: error }, 'unhandled page error');
    return errorPage(reply, 500, 'Something went wrong on our side; nothing was changed. Try again in a moment.');
  };
}

export const pageRoutes = (steep: Steep) => async (app: FastifyInstance) => {
  // Every page POST is a browser form; pages stay out of the API document.
  app.addHook('onRoute', (route) => {
    if (route.method === 'POST') route.config = { ...route.config, forms: true };
    route.schema = { ...route.schema, hide: true };
  });
  app.setErrorHandler(pageErrorHandler(steep));
  // A sign-in may resume an authorization whose end is an app's callback: let those forms leave the site.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/auth/')) reply.header('content-security-policy', contentSecurityPolicy({ formsMayLeave: true }));
  });

  app.get('/', async (_request, reply) => reply.redirect('/settings/apps', 303));
  faviconRoute(app);
  authPages(app, steep);
  consentPages(app, steep);
  devicePages(app, steep);
  appPages(app, steep);
  appSecretPages(app, steep);
  authorizedPages(app, steep);
  tokenPages(app, steep);
  activityPages(app, steep);
};
