// RFC 9068 JWT access tokens, verified locally against Steep's published keys: no call to Steep per
// request. The price: a JWT revoked at Steep stays usable here until it expires (Steep's access token
// lifetime, 10 minutes by default).
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AuthorizationServerUnavailable, type Claims } from './types.ts';

/** The most clock difference between Steep and this API that is forgiven (API.md Part 2). */
const CLOCK_TOLERANCE_SECONDS = 60;
/** What Steep signs with (OpenID Connect Core section 15.1); a token naming any other alg is not Steep's. */
const ALGORITHMS = ['RS256'];

/** A compact JWS is three base64url parts; Steep's opaque tokens never contain a dot. */
export const looksLikeJwt = (token: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/** Why jose refused, in a sentence for error_description (its own messages contain quotes, which RFC 6750 forbids there). */
function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The access token has expired.';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The access token signature does not verify.';
  if (error instanceof errors.JWKSNoMatchingKey) return 'The access token is signed with a key the issuer does not publish.';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'The access token is for another resource.';
    if (error.claim === 'typ') return 'This is not an access token (typ at+jwt).';
    return `The access token has no acceptable ${error.claim} claim.`;
  }
  return 'The access token is not a JWT the issuer signed.';
}

export function jwtVerifier(keys: JWTVerifyGetKey, context: { issuer: string; resource: string; now: () => number }) {
  /** The token's claims, or why it is refused. */
  return async (token: string): Promise<Claims | string> => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: context.issuer,
        audience: context.resource,
        typ: 'at+jwt',
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(context.now()),
        // RFC 9068 section 2.2 (scope is optional there: absent means none).
        requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'],
      }));
    } catch (error) {
      if (error instanceof AuthorizationServerUnavailable) throw error;
      return reason(error);
    }
    const { sub, client_id, scope = '', aud, exp, iat, jti } = payload;
    if (typeof sub !== 'string' || typeof client_id !== 'string' || typeof scope !== 'string' || typeof jti !== 'string') {
      return 'The access token claims sub, client_id, scope and jti must be strings.';
    }
    return { iss: context.issuer, sub, client_id, scope, aud: aud!, exp: exp!, iat, jti };
  };
}
