// Issuing authorization codes: random, stored only as a hash, bound to everything the token request must repeat.
import type { Steep } from '../context.ts';
import { newSecret } from '../domain/secrets.ts';
import { toJson } from '../store/json.ts';

/** A validated authorization request: what a code (or a transaction waiting for consent) is bound to. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  /** The client sent redirect_uri itself, so it must send it again to the token endpoint. */
  redirectUriSent: boolean;
  scopes: string[];
  state: string | null;
  codeChallenge: string | null;
}

export async function issueCode(steep: Steep, userId: string, request: AuthorizationRequest): Promise<string> {
  const code = newSecret('code');
  const now = steep.clock.now();
  await steep.codes.create({
    code_hash: steep.hasher.hash(code),
    client_id: request.clientId,
    user_id: userId,
    redirect_uri: request.redirectUri,
    redirect_uri_sent: request.redirectUriSent ? 1 : 0,
    scopes: toJson(request.scopes),
    code_challenge: request.codeChallenge,
    expires_at: now + steep.config.ttl.code * 1000,
    created_at: now,
    used_at: null,
    grant_id: null,
  });
  return code;
}
