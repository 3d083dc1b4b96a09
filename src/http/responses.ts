// Response schemas shared by route groups, and the helpers that give each documented status its
// sentence. They document the API (see app.ts for why they do not validate what is sent); the tests
// validate real responses against them, so they say what is sent.
import { z } from 'zod';
import type { ErrorDialect } from './errors.ts';

const errorShape = z.object({
  message: z.string().describe('One human sentence'),
  status: z.number().int(),
  code: z.string().describe('validation_failed, unauthorized, forbidden, not_found, conflict, payload_too_large, unsupported_media_type, rate_limited, unavailable or internal'),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('One entry per invalid field (validation_failed)'),
}).meta({
  id: 'Error',
  description: "Teable's error body",
  examples: [{ message: 'redirectUris.0: must be an absolute URI.', status: 400, code: 'validation_failed', details: [{ path: 'redirectUris.0', message: 'must be an absolute URI' }] }],
});

const oauthErrorShape = z.object({
  error: z.string().describe('RFC 6749 section 5.2 code: invalid_request, invalid_client, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope, invalid_target, ...'),
  error_description: z.string(),
}).meta({
  id: 'OAuthError',
  description: 'An OAuth error (RFC 6749 section 5.2)',
  examples: [{ error: 'invalid_grant', error_description: 'The authorization code is unknown, expired or already used.' }],
});

const teableOAuthErrorShape = oauthErrorShape.extend({ message: z.string(), status: z.number().int(), code: z.string() }).meta({
  id: 'TeableOAuthError',
  description: "Teable's token endpoint error: the OAuth error and Teable's fields in one body",
});

export const okMessage = z.object({ message: z.string() }).meta({ id: 'Message', description: 'What was done, in one sentence' });

/** A 302 answer: no body, the next address in Location. */
export const redirect = (description: string) => z.null().describe(`302 to ${description}`);

/** `schema` as the answer of one status, with the sentence the document shows for it. */
export const described = <T extends z.ZodType>(schema: T, description: string): T => schema.meta({ description }) as T;

/** The body each error dialect sends (see DIALECTS in errors.ts). */
const ERROR_BODIES: Record<ErrorDialect, z.ZodType> = {
  teable: errorShape,
  browser: errorShape,
  oauth: oauthErrorShape,
  'teable-token': teableOAuthErrorShape,
};

const ERROR_SENTENCES: Record<number, string> = {
  400: 'The request is malformed or a value is invalid; the body names the field',
  401: 'No credential, or one that is unknown, expired or revoked',
  403: 'This kind of credential may not call this route',
  404: 'Nothing with this id exists for the caller',
  409: 'The request conflicts with what exists',
  413: 'The body is larger than 64 KiB',
  415: 'The body is neither JSON nor, where taken, a form',
  429: 'Too many attempts; Retry-After says when to try again',
};

/**
 * The error statuses a route answers, each with its dialect's body and a sentence (a generic one by
 * status unless the route gives its own), plus `default`: a database outage (503, Retry-After) or a
 * fault on Steep's side (500), in the same body.
 */
export function errorResponses<S extends Record<number, string | true>>(dialect: ErrorDialect, statuses: S): Record<keyof S | 'default', z.ZodType> {
  const body = ERROR_BODIES[dialect];
  const answers = {} as Record<keyof S | 'default', z.ZodType>;
  for (const [status, sentence] of Object.entries(statuses)) answers[status as keyof S] = described(body, sentence === true ? ERROR_SENTENCES[Number(status)] : sentence);
  answers.default = described(body, 'The database cannot answer (503, with Retry-After), or Steep failed (500)');
  return answers;
}
