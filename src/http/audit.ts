// GET /api/audit: the caller's own activity, from the audit log. Session or PAT.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { activityOf } from '../events/audit-log.ts';
import { actorOf, requireAuth } from './auth.ts';
import { activityQuery } from '../schemas/audit.ts';
import { described, errorResponses } from './responses.ts';

const eventShape = z.object({
  id: z.string(),
  type: z.string(),
  time: z.string(),
  actor: z.string().optional(),
  userId: z.string().optional(),
  clientId: z.string().optional(),
  ip: z.string().optional(),
  userAgent: z.string().optional(),
  details: z.record(z.string(), z.unknown()),
}).meta({ id: 'AuditEvent', description: 'One security event; never a secret' });
const eventPage = z.object({ events: z.array(eventShape), nextCursor: z.string().optional() }).meta({ id: 'AuditEventPage', description: 'A page of events, newest first' });

export const auditRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/audit', {
      onRequest: requireAuth(steep, 'session', 'pat'),
      schema: {
        tags: ['audit'], security: [{ bearerAuth: [] }, { cookieAuth: [] }], summary: 'Your security activity',
        description:
          "The caller's security events, newest first: those they did, those about them, and those about their apps " +
          "(another person's id, address and browser are left out). Pass `nextCursor` back as `cursor` for older ones.",
        querystring: activityQuery,
        response: { 200: described(eventPage, 'The events, and a cursor when there are older ones'), ...errorResponses('teable', { 400: true, 401: true, 403: 'An OAuth access token' }) },
      },
    }, async (request) => activityOf(steep.audit, actorOf(request).user.id, request.query));
  };
