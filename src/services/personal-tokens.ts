// Personal access tokens: created by a signed-in user for their own scripts; shown once.
import type { Steep } from '../context.ts';
import { toIso } from '../domain/clock.ts';
import { notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { uniqueScopes } from '../domain/scopes.ts';
import { newSecret } from '../domain/secrets.ts';
import { fromJson, toJson } from '../store/json.ts';
import type { PersonalToken } from '../store/personal-tokens.ts';

export interface PersonalTokenInput {
  name: string;
  description?: string;
  scopes: string[];
  expiresAt: number;
}

export function personalTokenView(steep: Steep, row: PersonalToken) {
  const lastUsed = steep.usage.lastUsed('pat', row.id, row.last_used_at);
  return {
    id: row.id,
    name: row.name,
    ...(row.description !== null && { description: row.description }),
    scopes: fromJson(row.scopes),
    expiredTime: toIso(row.expires_at)!,
    createdTime: toIso(row.created_at)!,
    ...(lastUsed !== null && { lastUsedTime: toIso(lastUsed) }),
  };
}

export async function createPersonalToken(steep: Steep, userId: string, input: PersonalTokenInput) {
  const token = newSecret('pat');
  const row: PersonalToken = {
    id: newId('acc'),
    user_id: userId,
    name: input.name.trim(),
    description: input.description ?? null,
    scopes: toJson(uniqueScopes(input.scopes)),
    token_hash: steep.hasher.hash(token),
    expires_at: input.expiresAt,
    created_at: steep.clock.now(),
    last_used_at: null,
  };
  await steep.personalTokens.create(row);
  return { ...personalTokenView(steep, row), token };
}

export async function deletePersonalToken(steep: Steep, userId: string, id: string): Promise<void> {
  if (!(await steep.personalTokens.delete(userId, id))) throw notFound('No personal access token with this id exists for your account.');
}
