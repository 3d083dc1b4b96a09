// The one error handler: maps typed errors, schema failures and Fastify's own errors to the Teable
// dialect ({message, status, code, details?}) or, for OAuthError, to {error, error_description}.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, OAuthError, type FieldProblem } from '../domain/errors.ts';

const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'The request body is larger than 64 KiB.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'The request body must be sent as application/json.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'validation_failed', 'The Content-Length header does not match the body.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'validation_failed', 'The request body is empty but its content type is application/json.'],
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
function sendOAuthError(request: FastifyRequest, reply: FastifyReply, error: OAuthError, status?: number) {
  const teable = request.url.startsWith('/api/');
  const code = status ?? (teable ? teableStatus(error) : error.status);
  if (error.status === 401 && error.basicAuth) reply.header('www-authenticate', 'Basic realm="steep"');
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  const body = { error: error.error, error_description: error.description };
  return reply.code(code).send(teable ? { message: error.description, status: code, code: error.error, ...body } : body);
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

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof OAuthError) return sendOAuthError(request, reply, error);
    const clientError = asClientError(error);
    if (!clientError) {
      request.log.error({ err: error }, 'unhandled error');
      return sendAppError(reply, 500, 'internal', 'Something went wrong on our side; the request was not completed.');
    }
    // Protocol endpoints answer every request problem in OAuth's shape: their clients parse {error}.
    if (request.routeOptions.config?.oauth) {
      return sendOAuthError(request, reply, new OAuthError('invalid_request', clientError.message), clientError.status);
    }
    return sendAppError(reply, clientError.status, clientError.code, clientError.message, clientError.details);
  });

  app.setNotFoundHandler((request, reply) =>
    sendAppError(reply, 404, 'not_found', `There is no route ${request.method} ${request.url.split('?')[0]}.`),
  );
}
