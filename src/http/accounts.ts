// Accounts: sign-up, sign-in, sign-out and "who am I".
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { signUp, startSession } from '../services/accounts.ts';
import type { User } from '../store/users.ts';
import { SESSION_COOKIE, actorOf, requireAuth } from './auth.ts';
import { errorResponses, errorShape, okMessage } from './responses.ts';

const email = z.email({ error: 'must be a valid email address' }).max(254);
const password = z.string().min(8).max(128);
/** The sign-up body; the sign-up page validates with it too. */
export const signupBody = z.object({ email, password, name: z.string().trim().max(100).optional() });
const userShape = z.object({ id: z.string(), name: z.string(), email: z.string().optional(), avatar: z.string().optional() });

const userView = (user: User, withEmail = true) => ({
  id: user.id,
  name: user.name,
  ...(withEmail && { email: user.email }),
  ...(user.avatar !== null && { avatar: user.avatar }),
});

export function setSessionCookie(steep: Steep, reply: FastifyReply, sessionId: string): void {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: steep.config.secureCookies,
    maxAge: steep.config.ttl.session,
  });
}

export const accountRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['auth'];

    app.post('/api/auth/signup', {
      schema: {
        tags, description: 'Create an account and start a session',
        body: signupBody,
        response: { 201: userShape, 400: errorShape, 409: errorShape },
      },
    }, async (request, reply) => {
      const user = await signUp(steep, request.body, request.ip);
      setSessionCookie(steep, reply, await startSession(steep, user.id));
      return reply.code(201).send(userView(user));
    });

    app.post('/api/auth/signin', {
      schema: {
        tags, description: 'Sign in with email and password and start a session',
        body: z.object({ email: z.string().max(254), password: z.string().max(1024) }),
        response: { 200: userShape, 400: errorShape, 401: errorShape, 429: errorShape },
      },
    }, async (request, reply) => {
      const user = await steep.signIn.check(request.body.email, request.body.password, request.ip);
      setSessionCookie(steep, reply, await startSession(steep, user.id));
      return userView(user);
    });

    app.post('/api/auth/signout', {
      onRequest: requireAuth(steep, 'session'),
      schema: { tags, description: 'End the session', response: { 200: okMessage, ...errorResponses } },
    }, async (request, reply) => {
      const actor = actorOf(request);
      if (actor.kind === 'session') await steep.users.deleteSession(actor.sessionHash);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { message: 'Signed out.' };
    });

    app.get('/api/auth/user/me', {
      onRequest: requireAuth(steep, 'session', 'pat'),
      schema: { tags, description: 'The signed-in user', response: { 200: userShape, ...errorResponses } },
    }, async (request) => userView(actorOf(request).user));

    app.get('/api/auth/user', {
      onRequest: requireAuth(steep, 'session', 'pat', 'oauth'),
      schema: {
        tags, description: 'The user behind any credential; with an OAuth token, email only under user|email_read',
        security: [{ bearerAuth: [] }, { cookieAuth: [] }],
        response: { 200: userShape, ...errorResponses },
      },
    }, async (request) => {
      const actor = actorOf(request);
      return userView(actor.user, actor.kind !== 'oauth' || actor.scopes.includes('user|email_read'));
    });
  };
