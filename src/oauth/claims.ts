// OpenID Connect claims (Core section 5.4): what each identity scope reveals about the person, for the
// id_token and the userinfo endpoint alike.
import { createHash } from 'node:crypto';
import type { User } from '../store/users.ts';

export function userClaims(user: User, scopes: readonly string[]): { sub: string } & Record<string, unknown> {
  return {
    sub: user.id,
    ...(scopes.includes('profile') && { name: user.name, ...(user.avatar && { picture: user.avatar }) }),
    // Steep does not verify email addresses, and says so: a relying party must not treat it as proven.
    ...(scopes.includes('email') && { email: user.email, email_verified: false }),
  };
}

/** Core section 3.1.3.6: the left half of SHA-256 of the access token, base64url (for RS256/ES256). */
export const accessTokenHash = (accessToken: string): string => createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
