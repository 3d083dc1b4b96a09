// Steep's own JWTs — id_tokens (OpenID Connect Core) and access tokens for declared resource servers
// (RFC 9068) — signed with the current key of the shared key ring, through jose only.
import { SignJWT, importJWK, jwtVerify, type JWTPayload } from 'jose';
import type { Steep } from '../context.ts';
import { SIGNING_ALG } from './signing-keys.ts';

export type JwtType = 'JWT' | 'at+jwt';

/** Signs `claims` (which carry their own iss, exp and the rest) with the current key. */
export async function signJwt(steep: Steep, typ: JwtType, claims: JWTPayload): Promise<string> {
  const key = await steep.keys.current();
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ }).sign(key.privateKey);
}

/** The claims of a JWT this server signed (signature, issuer, type and expiry checked), or null. */
export async function verifyOwnJwt(steep: Steep, token: string, typ: JwtType): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        const jwk = header.kid ? await steep.keys.publicJwk(header.kid) : undefined;
        if (!jwk) throw new Error('unknown key');
        return importJWK(jwk, header.alg);
      },
      { issuer: steep.config.issuer, typ, currentDate: new Date(steep.clock.now()), algorithms: [SIGNING_ALG] },
    );
    return payload;
  } catch {
    return null;
  }
}

/** A compact JWS has three base64url parts; opaque Steep tokens never contain a dot. */
export const looksLikeJwt = (token: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token) && token.length <= 16_384;
