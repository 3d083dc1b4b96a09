// Dynamic client registration (RFC 7591) and its management protocol (RFC 7592): an app registers
// itself, gets a client id (and a secret when confidential) and a registration access token, and
// reads, replaces or deletes its registration with that token. The same redirect-URI and scope rules
// as the Teable create body apply; failures use RFC 7591 section 3.2.2's error codes.
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { newId } from '../domain/ids.ts';
import { httpUrlProblem, redirectUriProblem } from '../domain/redirect-uri.ts';
import { isIdentityScope, splitScope } from '../domain/scopes.ts';
import { newSecret } from '../domain/secrets.ts';
import type { AppRow } from '../store/apps.ts';
import { fromJson, toJson } from '../store/json.ts';
import { AUTH_METHODS } from './client-auth.ts';
import { GRANT_TYPES, grantTypesOf, grantTypesProblem } from './grants/index.ts';
import { mintClientSecret } from '../services/apps.ts';

export class RegistrationError extends Error {
  constructor(readonly error: 'invalid_redirect_uri' | 'invalid_client_metadata', description: string) {
    super(description);
  }
}

const text = (max: number) => z.string().max(max).optional();
/** RFC 7591 section 2; unknown members are ignored, as section 3.1 requires. */
/** Controls and bidirectional overrides would let a self-chosen name show as another (U+202E turns "gro.evil" around). */
const DECEPTIVE = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

const metadataSchema = z.object({
  redirect_uris: z.array(z.string()).min(1).max(20),
  client_name: text(100).refine((name) => name === undefined || !DECEPTIVE.test(name), 'must not contain control or text-direction characters'),
  token_endpoint_auth_method: z.enum(AUTH_METHODS).optional(),
  grant_types: z.array(z.enum(GRANT_TYPES)).min(1).max(10).optional(),
  response_types: z.array(z.string().max(50)).max(10).optional(),
  scope: text(4096),
  client_uri: text(2048),
  logo_uri: text(2048),
  client_id: text(100),
  client_secret: text(16_384),
});

type Metadata = z.infer<typeof metadataSchema>;

/** The stored fields of a registration, after the same checks a Teable create body gets. */
function appFields(steep: Steep, body: unknown) {
  const parsed = metadataSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'body';
    throw new RegistrationError(field.startsWith('redirect_uris') ? 'invalid_redirect_uri' : 'invalid_client_metadata', `${field}: ${issue.message}.`);
  }
  const m: Metadata = parsed.data;
  m.redirect_uris.forEach((uri, i) => {
    const problem = redirectUriProblem(uri, steep.config.requireHttpsRedirects);
    if (problem) throw new RegistrationError('invalid_redirect_uri', `redirect_uris.${i}: ${problem}.`);
  });
  for (const field of ['client_uri', 'logo_uri'] as const) {
    const problem = m[field] === undefined ? null : httpUrlProblem(m[field]!);
    if (problem) throw new RegistrationError('invalid_client_metadata', `${field}: ${problem}.`);
  }
  if (m.response_types && m.response_types.some((type) => type !== 'code')) {
    throw new RegistrationError('invalid_client_metadata', 'response_types: only "code" is supported.');
  }
  const method = m.token_endpoint_auth_method ?? 'client_secret_basic'; // RFC 7591 section 2's default
  const clientType = method === 'none' ? 'public' : 'confidential';
  const grantTypes = m.grant_types ?? ['authorization_code', 'refresh_token'];
  const grantProblem = grantTypesProblem(clientType, grantTypes);
  if (grantProblem) throw new RegistrationError('invalid_client_metadata', `grant_types: ${grantProblem}.`);
  // Omitted: every scope in the list; the person's consent is what limits a self-registered app.
  const known = steep.config.scopes.map((s) => s.name);
  const asked = m.scope === undefined ? known : splitScope(m.scope).filter((s) => !isIdentityScope(s));
  const unknown = asked.filter((s) => !known.includes(s));
  if (unknown.length) throw new RegistrationError('invalid_client_metadata', `scope: unknown scopes ${unknown.join(', ')}.`);
  return {
    fields: {
      name: m.client_name?.trim() || 'An unnamed app',
      description: null,
      homepage: m.client_uri ?? '',
      logo: m.logo_uri ?? null,
      scopes: toJson(asked),
      redirect_uris: toJson(m.redirect_uris),
      client_type: clientType,
      grant_types: toJson([...new Set(grantTypes)]),
      token_endpoint_auth_method: method,
    } satisfies Partial<AppRow>,
    clientId: m.client_id,
    clientSecret: m.client_secret,
  };
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** The client information response (RFC 7591 section 3.2.1): the metadata as stored. */
function information(steep: Steep, app: AppRow) {
  return {
    client_id: app.client_id,
    client_id_issued_at: seconds(app.created_at),
    client_name: app.name,
    redirect_uris: fromJson(app.redirect_uris),
    token_endpoint_auth_method: app.token_endpoint_auth_method ?? (app.client_type === 'public' ? 'none' : 'client_secret_basic'),
    grant_types: grantTypesOf(app),
    response_types: ['code'],
    scope: fromJson(app.scopes).join(' '),
    ...(app.homepage && { client_uri: app.homepage }),
    ...(app.logo && { logo_uri: app.logo }),
    registration_client_uri: `${steep.config.publicOrigin}/oauth/register/${encodeURIComponent(app.client_id)}`,
  };
}

export async function register(steep: Steep, body: unknown) {
  const { fields } = appFields(steep, body);
  const now = steep.clock.now();
  const token = newSecret('registrationToken');
  const app: AppRow = { client_id: newId('', 20), user_id: null, ...fields, registration_token_hash: steep.hasher.hash(token), created_at: now, updated_at: now };
  await steep.apps.create(app);
  const secret = app.client_type === 'confidential' ? await mintClientSecret(steep, app.client_id) : null;
  await steep.events.emit({ type: 'registration.created', actor: app.client_id, clientId: app.client_id, details: { name: app.name } });
  return {
    ...information(steep, app),
    ...(secret && { client_secret: secret.secret, client_secret_expires_at: 0 }),
    registration_access_token: token,
  };
}

/** The self-registered app whose registration access token this is; null for a wrong token or an unknown app (both 401). */
export async function registeredApp(steep: Steep, clientId: string, token: string | undefined): Promise<AppRow | null> {
  const app = await steep.apps.byClientId(clientId);
  if (!app?.registration_token_hash || token === undefined) return null;
  return steep.hasher.matches(token, app.registration_token_hash) ? app : null;
}

/**
 * RFC 7592 section 3 requires a registration access token in every client information response, and
 * only its hash is kept: each read and update issues a new one (section 3: "the client MUST use it").
 */
async function withNewToken(steep: Steep, app: AppRow) {
  const token = newSecret('registrationToken');
  await steep.apps.setRegistrationToken(app.client_id, steep.hasher.hash(token));
  return { ...information(steep, app), registration_access_token: token };
}

export const readRegistration = (steep: Steep, app: AppRow) => withNewToken(steep, app);

/**
 * RFC 7592 section 2.2: the metadata replaced whole. The request must name this client_id, and a
 * client_secret it sends must be the current one (the secret itself is not changed here). The client
 * type cannot change, since its secret (or lack of one) would not follow. Read-only fields a client
 * echoes back (registration_client_uri, client_id_issued_at, …) are ignored.
 */
export async function updateRegistration(steep: Steep, app: AppRow, body: unknown) {
  const { fields, clientId, clientSecret } = appFields(steep, body);
  if (clientId !== app.client_id) throw new RegistrationError('invalid_client_metadata', 'client_id: is required, and must be the id of this registration.');
  if (clientSecret !== undefined && !(await steep.apps.bySecretHash(app.client_id, steep.hasher.hash(clientSecret)))) {
    throw new RegistrationError('invalid_client_metadata', 'client_secret: is not the current secret of this client.');
  }
  if (fields.client_type !== app.client_type) {
    throw new RegistrationError('invalid_client_metadata', 'token_endpoint_auth_method: a registration cannot change between public (none) and confidential; register a new client.');
  }
  const now = steep.clock.now();
  await steep.apps.updateRegistration(app.client_id, fields, now);
  await steep.events.emit({ type: 'registration.updated', actor: app.client_id, clientId: app.client_id, details: { name: fields.name } });
  return withNewToken(steep, { ...app, ...fields, updated_at: now });
}

export async function deleteRegistration(steep: Steep, app: AppRow): Promise<void> {
  await steep.apps.deleteRegistration(app.client_id);
  await steep.events.emit({ type: 'registration.deleted', actor: app.client_id, clientId: app.client_id, details: {} });
}
