// Typed errors thrown by every layer; one HTTP error handler maps them to the two dialects.

export interface FieldProblem {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: FieldProblem[],
  ) {
    super(message);
  }
}

export class ValidationError extends AppError {
  constructor(details: FieldProblem[], message = details.length ? `${details[0].path || 'body'}: ${details[0].message}.` : 'The request is invalid.') {
    super(400, 'validation_failed', message, details);
  }
}

export const badRequest = (message: string) => new AppError(400, 'validation_failed', message);
export const unauthorized = (message = 'Authentication is required: send a valid session cookie or Bearer token.') =>
  new AppError(401, 'unauthorized', message);
export const forbidden = (message: string) => new AppError(403, 'forbidden', message);
export const notFound = (message: string) => new AppError(404, 'not_found', message);
export const conflict = (message: string) => new AppError(409, 'conflict', message);

/** A rate limit was reached: 429, with the seconds to wait for Retry-After (RFC 6585 section 4, RFC 9110 section 10.2.3). */
export class RateLimited extends AppError {
  constructor(message: string, readonly retryAfter: number) {
    super(429, 'rate_limited', message);
  }
}

/** RFC 6749 section 5.2 error codes, plus the ones RFC 7009, RFC 8628 (device polling) and authorization responses add. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  | 'unsupported_response_type'
  | 'unsupported_token_type'
  | 'invalid_target'
  | 'login_required'
  | 'consent_required'
  | 'temporarily_unavailable'
  | 'server_error';

/** A protocol error: rendered as {error, error_description} (standard) or {message, error, ...} (Teable). */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    /** Set when the client authenticated with HTTP Basic, so 401 answers carry WWW-Authenticate: Basic. */
    readonly basicAuth = false,
  ) {
    super(description);
  }

  get status(): number {
    return this.error === 'invalid_client' ? 401 : this.error === 'server_error' ? 500 : 400;
  }
}

/**
 * invalid_grant for a code, refresh token or device code never issued to this client: a guess, which
 * the token endpoint counts (grantIp). A spent, expired or mismatched one is plain invalid_grant: a
 * client's retry or race, not a guess, and no reason to block its server's address.
 */
export class UnknownGrant extends OAuthError {
  constructor(description: string) {
    super('invalid_grant', description);
  }
}
