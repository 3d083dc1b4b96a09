// GET /api/audit: the caller's own activity, from the audit log. Session or PAT.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { activityOf } from '../events/audit-log.ts';
import { actorOf, requireAuth } from './auth.ts';
import { errorResponses } from './responses.ts';

/** The paging parameters; the Activity page reads them too. */
export const activityQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().regex(/^[1-9]\d{0,15}$/, { error: 'must be the nextCursor of a previous page' }).transform(Number).optional(),
});

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
});

export const auditRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/audit', {
      onRequest: requireAuth(steep, 'session', 'pat'),
      schema: {
        tags: ['audit'],
        description:
          "The caller's security events, newest first: those they did, those about them, and those about their apps " +
          "(another person's id, address and browser are left out). Pass `nextCursor` back as `cursor` for older ones.",
        querystring: activityQuery,
        response: { 200: z.object({ events: z.array(eventShape), nextCursor: z.string().optional() }), ...errorResponses },
      },
    }, async (request) => activityOf(steep.audit, actorOf(request).user.id, request.query));
  };
