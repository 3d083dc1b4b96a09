// Client authentication at the token, revocation, introspection and device endpoints:
// client_secret_basic or client_secret_post, never both (RFC 6749 section 2.3); a public client sends
// its client_id alone (token_endpoint_auth_method=none, RFC 7591 section 2).
import type { Steep } from '../context.ts';
import { OAuthError } from '../domain/errors.ts';
import type { LimitName } from '../domain/rate-limits.ts';
import { hasPrefix } from '../domain/secrets.ts';
import type { AppRow } from '../store/apps.ts';

export interface ClientCredentialsInput {
  /** The Authorization header, if any. */
  authorization?: string;
  client_id?: string;
  client_secret?: string;
  /** The caller's address, for the failure limits. */
  ip: string;
}

export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export interface AuthenticatedClient {
  app: AppRow;
  method: AuthMethod;
}

/** RFC 6749 section 2.3.1: id and secret are form-urlencoded before Base64. */
const formDecode = (value: string): string => decodeURIComponent(value.replace(/\+/g, ' '));

function parseBasic(header: string): { id: string; secret: string } | null {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

/** The client id a request names (Basic header or body), for the request log: an id is no credential. */
export function claimedClientId(authorization: string | undefined, body: unknown): string | undefined {
  if (usesBasic(authorization)) return parseBasic(authorization!)?.id.slice(0, 100);
  const id = (body as { client_id?: unknown } | undefined)?.client_id;
  return typeof id === 'string' ? id.slice(0, 100) : undefined;
}

/** True when the request tries HTTP Basic client authentication. */
export const usesBasic = (authorization: string | undefined): boolean => authorization !== undefined && /^Basic\b/i.test(authorization);

/**
 * Client authentication with its failure limits. A failure counts against the caller's address
 * (clientAuthIp), which is then refused outright, and against the client id it claimed
 * (clientAuthClient), whose later failures are answered 429; a right secret is never refused for
 * its client's count, so strangers failing from elsewhere cannot lock a working client out. Only a
 * failure writes: a right secret costs no counter I/O.
 */
export async function authenticateClient(steep: Steep, input: ClientCredentialsInput): Promise<AuthenticatedClient> {
  steep.limits.refuseKnown('clientAuthIp', input.ip);
  try {
    return await verifyClient(steep, input);
  } catch (error) {
    if (error instanceof OAuthError && error.error === 'invalid_client') {
      const claimed = input.client_id ?? (input.authorization ? parseBasic(input.authorization)?.id : undefined);
      const counted: Array<[LimitName, string]> = [['clientAuthIp', input.ip]];
      if (claimed) counted.push(['clientAuthClient', claimed]);
      await steep.limits.hit(...counted);
    }
    throw error;
  }
}

async function verifyClient(steep: Steep, input: ClientCredentialsInput): Promise<AuthenticatedClient> {
  const basic = usesBasic(input.authorization);
  const fail = (description: string) => new OAuthError('invalid_client', description, basic);
  let id: string | undefined;
  let secret: string | undefined;
  if (basic) {
    if (input.client_secret !== undefined) {
      throw new OAuthError('invalid_request', 'Send the client secret either in the Basic header or in the body, not both.');
    }
    const parsed = parseBasic(input.authorization!);
    if (!parsed) throw fail('The Basic authorization header is malformed.');
    if (input.client_id !== undefined && input.client_id !== parsed.id) {
      throw new OAuthError('invalid_request', 'client_id in the body differs from the one in the Basic header.');
    }
    ({ id, secret } = parsed);
  } else {
    id = input.client_id;
    secret = input.client_secret;
    if (id === undefined) throw fail('Client authentication is required: send client_id (and client_secret, in the Basic header or the body).');
    if (secret === undefined) return publicClient(steep, id, fail);
  }
  // One keyed hash and one indexed lookup, whatever the number of secrets: no bcrypt loop. A public
  // client has no secrets, so one that sends a secret fails here.
  const found = hasPrefix(secret, 'clientSecret') ? await steep.apps.bySecretHash(id, steep.hasher.hash(secret)) : undefined;
  if (!found) throw fail('The client id or secret is wrong, or the secret was deleted (a public app has no secret: send client_id alone).');
  // First use: never used per the row, and no use of it waiting to be written by this process. (Two
  // processes taking the same secret's very first requests at once may both record it.)
  const firstUse = steep.usage.lastUsed('secret', found.secretId, found.lastUsedAt) === null;
  steep.usage.record('secret', found.secretId, steep.clock.now());
  if (firstUse) await steep.events.emit({ type: 'secret.first_used', actor: id, clientId: id, details: { secretId: found.secretId } });
  return { app: found.app, method: basic ? 'client_secret_basic' : 'client_secret_post' };
}

/** client_id alone: enough for a public client, never for a confidential one. */
async function publicClient(steep: Steep, clientId: string, fail: (description: string) => OAuthError): Promise<AuthenticatedClient> {
  const app = await steep.apps.byClientId(clientId);
  if (app?.client_type !== 'public') throw fail('Client authentication is required: send client_id and client_secret (Basic header or body).');
  return { app, method: 'none' };
}
