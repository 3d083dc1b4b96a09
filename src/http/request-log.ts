// One log line per request, when it completes: route, status, time, and who called (ids only, never a
// credential). Static assets log at debug, so a page view is one info line, not one per file it loads.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { claimedClientId } from '../oauth/client-auth.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A static file (stylesheet, script, icon): its requests log at debug. */
    asset?: boolean;
  }
}

/**
 * The caller's ids: user for a session, PAT or OAuth token; client for an OAuth token, and for the
 * protocol endpoints the client id the request names (Basic header or body), right secret or not.
 */
function caller(request: FastifyRequest): Record<string, string> {
  const { actor } = request;
  if (!actor) {
    const clientId = request.routeOptions.config?.forms ? claimedClientId(request.headers.authorization, request.body) : undefined;
    return clientId ? { clientId } : {};
  }
  if (actor.kind === 'app') return { auth: actor.kind, clientId: actor.clientId };
  if (actor.kind === 'oauth') return { auth: actor.kind, userId: actor.user.id, clientId: actor.clientId };
  return { auth: actor.kind, userId: actor.user.id };
}

export class RequestLog extends LogController {
  // The completed line carries the request too; this one only helps to find a request that never ends.
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { req: request, res: reply, responseTime: reply.elapsedTime, ...caller(request) };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else if (request.routeOptions.config?.asset) reply.log.debug(line, 'request completed');
    else reply.log.info(line, 'request completed');
  }
}
