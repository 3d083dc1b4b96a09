// PKCE (RFC 7636), S256 only: `plain` would put the verifier itself in the browser's address bar.
import { createHash } from 'node:crypto';
import { safeEqual } from '../domain/secrets.ts';

/** BASE64URL(SHA-256(verifier)) is always 43 characters. */
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export const isValidChallenge = (challenge: string): boolean => CHALLENGE.test(challenge);

export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

/** Why the verifier does not prove possession of the challenge, or null when it does. */
export function verifierProblem(verifier: string | undefined, challenge: string | null): string | null {
  if (challenge === null) return verifier === undefined ? null : 'code_verifier was sent, but the authorization request had no code_challenge.';
  if (verifier === undefined) return 'code_verifier is required: the authorization request sent a code_challenge.';
  if (!VERIFIER.test(verifier)) return 'code_verifier must be 43 to 128 characters of A-Z, a-z, 0-9, "-", ".", "_" or "~".';
  return safeEqual(s256(verifier), challenge) ? null : 'code_verifier does not match the code_challenge.';
}
