// The authorize request's query, shared by both authorize endpoints and oauth/authorize.ts.
import { z } from 'zod';

// A repeated parameter arrives as an array; oauth/authorize.ts answers it as RFC 6749 section 3.1 says.
// Only client_id and redirect_uri are bounded here (their errors stay on this page); the others are
// bounded in oauth/authorize.ts, whose errors go back to the app once it is known.
const oneOrMore = (max: number) => z.union([z.string().max(max), z.array(z.string().max(max)).max(10)]).optional();
const anyParam = oneOrMore(16_384);

export const authorizeQuery = z.object({
  response_type: anyParam,
  client_id: oneOrMore(100),
  redirect_uri: oneOrMore(2048),
  scope: anyParam,
  state: anyParam,
  code_challenge: anyParam,
  code_challenge_method: anyParam,
  nonce: anyParam,
  resource: anyParam,
  prompt: anyParam,
  max_age: anyParam,
});

/** The query as parsed: a repeated parameter arrives as an array. */
export type AuthorizeQuery = z.infer<typeof authorizeQuery>;

export const AUTHORIZE_PARAMS = authorizeQuery.keyof().options;
