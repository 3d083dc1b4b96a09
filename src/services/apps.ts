// The OAuth app registry: create, read, replace and delete apps, and rotate their client secrets.
import type { Steep } from '../context.ts';
import { toIso } from '../domain/clock.ts';
import { ValidationError, badRequest, conflict, notFound } from '../domain/errors.ts';
import { DEFAULT_GRANT_TYPES, grantTypesOf, grantTypesProblem } from '../oauth/grants/index.ts';
import { newId } from '../domain/ids.ts';
import { uniqueScopes } from '../domain/scopes.ts';
import { maskSecret, newSecret } from '../domain/secrets.ts';
import type { AppFields, AppRow, ClientSecretRow } from '../store/apps.ts';
import type { ClientType } from '../store/schema.ts';
import { fromJson, toJson } from '../store/json.ts';
import type { AppInput } from '../schemas/apps.ts';

/** The validated app body (the API's and the pages' one schema). */
export type { AppInput } from '../schemas/apps.ts';

/** Teable's response shape: the input's fields, the client id and, on reads, the masked secrets. */
export type AppView = AppInput & {
  clientId: string;
  clientType: ClientType;
  grantTypes: string[];
  secrets?: { id: string; secret: string; lastUsedTime?: string }[];
};

export const NOT_FOUND = 'No OAuth app with this client id exists for your account.';

/** The stored fields; the kind and grants default to `current` (an update) or to a confidential web app. */
function fields(input: AppInput, current?: Pick<AppRow, 'client_type' | 'grant_types'>): AppFields {
  return {
    name: input.name.trim(),
    description: input.description ?? null,
    homepage: input.homepage,
    logo: input.logo ?? null,
    scopes: toJson(uniqueScopes(input.scopes ?? [])),
    redirect_uris: toJson(input.redirectUris),
    client_type: input.clientType ?? current?.client_type ?? 'confidential',
    grant_types: input.grantTypes ? toJson(uniqueScopes(input.grantTypes)) : (current?.grant_types ?? toJson(DEFAULT_GRANT_TYPES)),
  };
}

function secretView(steep: Steep, row: ClientSecretRow) {
  const lastUsed = steep.usage.lastUsed('secret', row.id, row.last_used_at);
  return { id: row.id, secret: row.masked, ...(lastUsed !== null && { lastUsedTime: toIso(lastUsed) }) };
}

/** Teable's shape: optional fields only when set; `secrets` only when there are some. */
export function appView(steep: Steep, row: AppRow, secrets: ClientSecretRow[] = []): AppView {
  const scopes = fromJson(row.scopes);
  return {
    clientId: row.client_id,
    name: row.name,
    ...(row.description !== null && { description: row.description }),
    homepage: row.homepage,
    ...(row.logo !== null && { logo: row.logo }),
    ...(scopes.length > 0 && { scopes }),
    redirectUris: fromJson(row.redirect_uris),
    clientType: row.client_type,
    grantTypes: grantTypesOf(row),
    ...(secrets.length > 0 && { secrets: secrets.map((s) => secretView(steep, s)) }),
  };
}

export async function createApp(steep: Steep, userId: string, input: AppInput): Promise<AppView> {
  // Every creation counts (appCreateUser): one account must not fill the database with apps.
  await steep.limits.hit(['appCreateUser', userId]);
  const now = steep.clock.now();
  const row: AppRow = { client_id: newId('', 20), user_id: userId, ...fields(input), registration_token_hash: null, token_endpoint_auth_method: null, created_at: now, updated_at: now };
  problemOf(row);
  await steep.apps.create(row);
  await steep.events.emit({ type: 'app.created', actor: userId, userId, clientId: row.client_id, details: { name: row.name } });
  return appView(steep, row);
}

export async function ownedApp(steep: Steep, userId: string, clientId: string): Promise<AppRow> {
  const app = await steep.apps.owned(userId, clientId);
  if (!app) throw notFound(NOT_FOUND);
  return app;
}

export async function getApp(steep: Steep, userId: string, clientId: string): Promise<AppView> {
  const app = await ownedApp(steep, userId, clientId);
  return appView(steep, app, await steep.apps.listSecrets(clientId));
}

export async function replaceApp(steep: Steep, userId: string, clientId: string, input: AppInput): Promise<AppView> {
  const current = await ownedApp(steep, userId, clientId);
  const next = fields(input, current);
  problemOf(next);
  if (!(await steep.apps.update(userId, clientId, next, steep.clock.now()))) throw notFound(NOT_FOUND);
  await steep.events.emit({ type: 'app.updated', actor: userId, userId, clientId, details: { name: next.name } });
  return getApp(steep, userId, clientId);
}

/** The kind/grant rule for the stored combination (an update may change one and keep the other). */
function problemOf(next: AppFields): void {
  const problem = grantTypesProblem(next.client_type, fromJson(next.grant_types));
  if (problem) throw new ValidationError([{ path: 'grantTypes', message: problem }]);
}

export async function deleteApp(steep: Steep, userId: string, clientId: string): Promise<void> {
  if (!(await steep.apps.delete(userId, clientId))) throw notFound(NOT_FOUND);
  await steep.events.emit({ type: 'app.deleted', actor: userId, userId, clientId, ownerId: userId, details: {} });
}

/** As many live secrets as an app may hold (GitHub allows 25): enough to rotate, not a place to pile them up. */
export const MAX_SECRETS = 25;

export async function generateSecret(steep: Steep, userId: string, clientId: string) {
  // Every attempt counts (secretCreateUser), whichever app it names.
  await steep.limits.hit(['secretCreateUser', userId]);
  const app = await ownedApp(steep, userId, clientId);
  if (app.client_type === 'public') {
    throw badRequest('clientType: this app is public (a native app, CLI or single-page app), and public clients have no client secret; they prove themselves with PKCE.');
  }
  if ((await steep.apps.countSecrets(clientId)) >= MAX_SECRETS) {
    throw conflict(`This app already has ${MAX_SECRETS} client secrets; delete one before generating another.`);
  }
  const secret = await mintClientSecret(steep, clientId);
  await steep.events.emit({ type: 'secret.created', actor: userId, userId, clientId, details: { secretId: secret.id } });
  return secret;
}

/** A new secret for the app: stored as a keyed hash and a masked copy, returned in full this once. */
export async function mintClientSecret(steep: Steep, clientId: string) {
  const secret = newSecret('clientSecret');
  const row: ClientSecretRow = {
    id: newId('sec'),
    client_id: clientId,
    secret_hash: steep.hasher.hash(secret),
    masked: maskSecret(secret),
    created_at: steep.clock.now(),
    last_used_at: null,
  };
  await steep.apps.addSecret(row);
  return { id: row.id, secret, maskedSecret: row.masked };
}

export async function deleteSecret(steep: Steep, userId: string, clientId: string, secretId: string): Promise<void> {
  await ownedApp(steep, userId, clientId);
  if (!(await steep.apps.deleteSecret(clientId, secretId))) throw notFound('No client secret with this id exists for this app.');
  await steep.events.emit({ type: 'secret.deleted', actor: userId, userId, clientId, details: { secretId } });
}
