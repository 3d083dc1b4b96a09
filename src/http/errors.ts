// The one error handler: maps typed errors, schema failures and Fastify's own errors to the Teable
// dialect ({message, status, code, details?}) or, for OAuthError, to {error, error_description}.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, OAuthError, RateLimited, type FieldProblem } from '../domain/errors.ts';
import { isDatabaseUnavailable } from '../store/db.ts';

const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'The request body is larger than 64 KiB.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'The request body must be sent as application/json.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'validation_failed', 'The Content-Length header does not match the body.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'validation_failed', 'The request body is not valid JSON.'],
  FST_ERR_BAD_URL: [400, 'validation_failed', 'The request URL is malformed.'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'validation_failed', 'The request is malformed.'],
};

const where = { body: 'body', querystring: 'query', params: 'path', headers: 'header' } as const;

function schemaProblems(error: FastifyError): FieldProblem[] {
  const context = where[(error.validationContext ?? 'body') as keyof typeof where] ?? 'body';
  return (error.validation ?? []).map((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    return { path: path || context, message: issue.message ?? 'is invalid' };
  });
}

export function sendAppError(reply: FastifyReply, status: number, code: string, message: string, details?: FieldProblem[]) {
  return reply.code(status).send(details ? { message, status, code, details } : { message, status, code });
}

/** Teable answers 401 for a bad client, code or refresh token. */
function teableStatus(error: OAuthError): number {
  return error.error === 'invalid_client' || error.error === 'invalid_grant' ? 401 : error.status;
}

/** RFC 6749 section 5.2's body; under /api/ (Teable dialect) with Teable's {message, status, code} as well. */
function sendOAuthError(request: FastifyRequest, reply: FastifyReply, error: OAuthError, status?: number, teableCode: string = error.error) {
  const teable = request.url.startsWith('/api/');
  const code = status ?? (teable ? teableStatus(error) : error.status);
  if (error.status === 401 && error.basicAuth) reply.header('www-authenticate', 'Basic realm="steep"');
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  const body = { error: error.error, error_description: error.description };
  return reply.code(code).send(teable ? { message: error.description, status: code, code: teableCode, ...body } : body);
}

/** Sets Retry-After when the error is a rate limit's refusal (the pages answer with it too). */
export function retryAfterFor(reply: FastifyReply, error: unknown): FastifyReply {
  return error instanceof RateLimited ? reply.header('retry-after', String(error.retryAfter)) : reply;
}

/** Any client-side failure as an AppError; null for our own faults (500). */
function asClientError(error: FastifyError): AppError | null {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error) || error.validation) {
    const details = schemaProblems(error);
    return new AppError(400, 'validation_failed', `${details[0].path}: ${details[0].message}.`, details);
  }
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return new AppError(...known);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError(error.statusCode, error.statusCode === 429 ? 'rate_limited' : 'validation_failed', error.message);
  }
  return null;
}

const INTERNAL = 'Something went wrong on our side; the request was not completed.';
const UNAVAILABLE = 'The database cannot answer right now; nothing was changed. Try again in a few seconds.';

/** Errors Fastify raises before routing (a malformed URL): answered in our shape, never Fastify's. */
export function sendFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const clientError = asClientError(error) ?? new AppError(400, 'validation_failed', 'The request is malformed.');
  return sendAppError(reply, clientError.status, clientError.code, clientError.message);
}

/** How pages answer: unknown paths that belong to them (null for the others), and an error a person should read. */
export interface PageErrors {
  notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply | null;
  error(reply: FastifyReply, status: number, message: string): FastifyReply;
}

/** Browsers name text/html in Accept; API clients send JSON, * / *, or nothing. */
const wantsHtml = (request: FastifyRequest) => /\btext\/html\b/i.test(request.headers.accept ?? '');

export function installErrorHandlers(app: FastifyInstance, pages: PageErrors): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof OAuthError) return sendOAuthError(request, reply, error);
    const clientError = asClientError(error);
    retryAfterFor(reply, clientError);
    if (clientError && request.routeOptions.config?.htmlErrors && wantsHtml(request)) return pages.error(reply, clientError.status, clientError.message);
    if (!clientError && isDatabaseUnavailable(error)) {
      // Retryable, not our bug: 503 with Retry-After (RFC 6749's temporarily_unavailable in the protocol dialect).
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', '5');
      if (request.routeOptions.config?.oauth) return sendOAuthError(request, reply, new OAuthError('temporarily_unavailable', UNAVAILABLE), 503);
      return sendAppError(reply, 503, 'unavailable', UNAVAILABLE);
    }
    if (!clientError) {
      request.log.error({ err: error }, 'unhandled error');
      if (request.routeOptions.config?.oauth) return sendOAuthError(request, reply, new OAuthError('server_error', INTERNAL));
      return sendAppError(reply, 500, 'internal', INTERNAL);
    }
    // Protocol endpoints answer every request problem in OAuth's shape: their clients parse {error}.
    if (request.routeOptions.config?.oauth) {
      // RFC 6749 registers no error code for "too many requests". The status is RFC 6585's 429 with
      // Retry-After, and the code temporarily_unavailable, the registered one (RFC 6749 section
      // 4.1.2.1) that tells a client to try again later rather than fix its request; the Teable
      // dialect keeps its own rate_limited code beside it.
      if (clientError instanceof RateLimited) return sendOAuthError(request, reply, new OAuthError('temporarily_unavailable', clientError.message), 429, clientError.code);
      return sendOAuthError(request, reply, new OAuthError('invalid_request', clientError.message), clientError.status);
    }
    if (clientError.status === 401) {
      // RFC 6750 section 3: say which scheme is expected, and that a presented token was no good.
      reply.header('www-authenticate', /^Bearer /i.test(request.headers.authorization ?? '') ? 'Bearer realm="steep", error="invalid_token"' : 'Bearer realm="steep"');
    }
    return sendAppError(reply, clientError.status, clientError.code, clientError.message, clientError.details);
  });

  app.setNotFoundHandler(
    (request, reply) => pages.notFound(request, reply) ?? sendAppError(reply, 404, 'not_found', `There is no route ${request.method} ${request.url.split('?')[0]}.`),
  );
}

const CLIENT_ERRORS: Record<string, [number, string, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'request_timeout', 'The request was not received completely within 30 seconds.'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'headers_too_large', 'The request headers are larger than 16 KiB.'],
};

/** Requests Node cannot even parse (oversized headers, timeouts, garbage): answered on the raw socket, in our shape. */
export function clientErrorHandler(error: Error & { code?: string }, socket: import('node:net').Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', 'validation_failed', 'The request is not valid HTTP.'];
  const body = JSON.stringify({ message, status, code });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
