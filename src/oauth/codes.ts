// Issuing authorization codes: random, stored only as a hash, bound to everything the token request must repeat.
import type { Steep } from '../context.ts';
import { newSecret } from '../domain/secrets.ts';
import { type AuthorizationRequest, toColumns } from './authorization-request.ts';

/** `signedInAt`: when the approving person signed in, carried to the id_token's auth_time. */
export async function issueCode(steep: Steep, userId: string, signedInAt: number, request: AuthorizationRequest): Promise<string> {
  const code = newSecret('code');
  const now = steep.clock.now();
  await steep.codes.create({
    code_hash: steep.hasher.hash(code),
    ...toColumns(request),
    user_id: userId,
    auth_time: signedInAt,
    expires_at: now + steep.config.ttl.code * 1000,
    created_at: now,
    used_at: null,
    grant_id: null,
  });
  return code;
}
