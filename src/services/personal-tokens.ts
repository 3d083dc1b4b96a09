// Personal access tokens: created by a signed-in user for their own scripts; shown once.
import type { Steep } from '../context.ts';
import { toIso } from '../domain/clock.ts';
import { ValidationError, notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { uniqueScopes } from '../domain/scopes.ts';
import { newSecret } from '../domain/secrets.ts';
import { fromJson, toJson } from '../store/json.ts';
import type { PersonalToken } from '../store/personal-tokens.ts';
import type { PersonalTokenBody } from '../schemas/personal-tokens.ts';

/** The validated body, with its expiredTime read as an instant (see expiryTime). */
export type PersonalTokenInput = Omit<PersonalTokenBody, 'expiredTime'> & { expiresAt: number };

/** Epoch ms of `expiredTime`; a date without a time means "through that day" (Teable's date picker sends a day). */
export function expiryTime(steep: Steep, expiredTime: string): number {
  const expiresAt = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(expiredTime) ? `${expiredTime}T23:59:59.999Z` : expiredTime);
  if (expiresAt <= steep.clock.now()) throw new ValidationError([{ path: 'expiredTime', message: 'must be in the future' }]);
  return expiresAt;
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
  await steep.events.emit({ type: 'pat.created', actor: userId, userId, details: { tokenId: row.id, name: row.name, scopes: fromJson(row.scopes) } });
  return { ...personalTokenView(steep, row), token };
}

const NOT_FOUND = 'No personal access token with this id exists for your account.';

/** Teable's update: name, description and scopes change; the token and its expiry stay. */
export async function updatePersonalToken(steep: Steep, userId: string, id: string, input: Omit<PersonalTokenInput, 'expiresAt'>) {
  const scopes = uniqueScopes(input.scopes);
  const fields = { name: input.name.trim(), description: input.description ?? null, scopes: toJson(scopes) };
  if (!(await steep.personalTokens.update(userId, id, fields))) throw notFound(NOT_FOUND);
  return { id, name: fields.name, ...(fields.description !== null && { description: fields.description }), scopes };
}

/** Teable's refresh: a new secret (shown once) with a new expiry; the old secret stops working at once. */
export async function refreshPersonalToken(steep: Steep, userId: string, id: string, expiresAt: number) {
  const token = newSecret('pat');
  if (!(await steep.personalTokens.replaceSecret(userId, id, steep.hasher.hash(token), expiresAt))) throw notFound(NOT_FOUND);
  await steep.events.emit({ type: 'pat.refreshed', actor: userId, userId, details: { tokenId: id } });
  return { id, expiredTime: toIso(expiresAt)!, token };
}

export async function deletePersonalToken(steep: Steep, userId: string, id: string): Promise<void> {
  if (!(await steep.personalTokens.delete(userId, id))) throw notFound(NOT_FOUND);
  await steep.events.emit({ type: 'pat.deleted', actor: userId, userId, details: { tokenId: id } });
}
