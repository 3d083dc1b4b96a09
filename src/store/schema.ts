// Table types for Kysely. Times are epoch milliseconds; lists are JSON text (portable across SQLite and PostgreSQL).
import type { Generated } from 'kysely';

export interface UserTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  avatar: string | null;
  created_at: number;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface PersonalTokenTable {
  id: string;
  user_id: string;
  name: string;
  description: string | null;
  scopes: string;
  token_hash: string;
  expires_at: number;
  created_at: number;
  last_used_at: number | null;
}

export interface AppTable {
  client_id: string;
  /** The owner; null for an app that registered itself (RFC 7591). */
  user_id: string | null;
  name: string;
  description: string | null;
  homepage: string;
  logo: string | null;
  scopes: string;
  redirect_uris: string;
  /** 'confidential' (has secrets) or 'public' (PKCE and client_id only: native apps, CLIs, SPAs). */
  client_type: ClientType;
  /** JSON list of the grant types the app may use at the token endpoint. */
  grant_types: string;
  /** Self-registered apps: the hash of the RFC 7592 registration access token. */
  registration_token_hash: string | null;
  /** Self-registered apps: the token_endpoint_auth_method they registered with. */
  token_endpoint_auth_method: string | null;
  created_at: number;
  updated_at: number;
}

export type ClientType = 'confidential' | 'public';

export interface ClientSecretTable {
  id: string;
  client_id: string;
  secret_hash: string;
  masked: string;
  created_at: number;
  last_used_at: number | null;
}

/** A pending authorization request, waiting for the user's decision on the consent page. */
export interface TransactionTable {
  id_hash: string;
  user_id: string;
  client_id: string;
  redirect_uri: string;
  /** 1 when the client sent redirect_uri to authorize (then it must send it again to the token endpoint). */
  redirect_uri_sent: number;
  scopes: string;
  state: string | null;
  code_challenge: string | null;
  /** OpenID Connect: echoed in the id_token. */
  nonce: string | null;
  /** RFC 8707: the declared resource server the tokens are for. */
  resource: string | null;
  expires_at: number;
  created_at: number;
}

export interface CodeTable {
  code_hash: string;
  client_id: string;
  user_id: string;
  redirect_uri: string;
  redirect_uri_sent: number;
  scopes: string;
  code_challenge: string | null;
  nonce: string | null;
  resource: string | null;
  /** When the person who approved signed in (OpenID Connect auth_time), epoch ms. */
  auth_time: number | null;
  expires_at: number;
  created_at: number;
  used_at: number | null;
  /** The grant the code was redeemed into, so a replay can revoke it. */
  grant_id: string | null;
}

/** A device authorization request (RFC 8628): pending until a person decides, then redeemed once. */
export interface DeviceCodeTable {
  device_code_hash: string;
  user_code_hash: string;
  client_id: string;
  scopes: string;
  status: DeviceCodeStatus;
  /** Who allowed or denied it; null while pending. */
  user_id: string | null;
  /** Seconds the device must wait between polls; each slow_down adds 5 (RFC 8628 section 3.5). */
  poll_interval: number;
  last_polled_at: number | null;
  /** RFC 8707: the declared resource server the tokens are for. */
  resource: string | null;
  /** When the approving person signed in (OpenID Connect auth_time), epoch ms; null while pending. */
  auth_time: number | null;
  expires_at: number;
  created_at: number;
}

export type DeviceCodeStatus = 'pending' | 'approved' | 'denied' | 'redeemed';

/** One authorization (a code redemption) and every token descended from it: the refresh "family". */
export interface GrantTable {
  id: string;
  client_id: string;
  /** null when the subject is the app itself (client_credentials). */
  user_id: string | null;
  scopes: string;
  /** The resource server its access tokens are for (JWTs), or null (opaque tokens for Steep's own API). */
  resource: string | null;
  /** When the person signed in, for id_tokens issued on refresh; epoch ms. */
  auth_time: number | null;
  created_at: number;
  revoked_at: number | null;
}

export interface TokenTable {
  token_hash: string;
  kind: 'access' | 'refresh';
  grant_id: string;
  client_id: string;
  /** null when the subject is the app itself (client_credentials). */
  user_id: string | null;
  scopes: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  /** Refresh tokens: when rotation spent it. A second use after this revokes the family. */
  used_at: number | null;
}

/** What a user allowed an app; its age decides whether the consent page can be skipped. */
export interface ConsentTable {
  user_id: string;
  client_id: string;
  scopes: string;
  granted_at: number;
  created_at: number;
  last_used_at: number | null;
}

/** A JWS signing key; the private JWK is sealed (AES-256-GCM under a key derived from STEEP_SECRET). */
export interface SigningKeyTable {
  kid: string;
  alg: string;
  public_jwk: string;
  private_sealed: string;
  created_at: number;
  /** When a newer key took over; the key stays in the JWKS until what it signed has expired. */
  retired_at: number | null;
}

/** A rate-limit counter (store/counters.ts): hits within the window that ends at reset_at. */
export interface RateLimitTable {
  bucket: string;
  hits: number;
  reset_at: number;
}

/** A one-time note for a browser's next page; `sealed` (AES-256-GCM) may hold a secret being shown once. */
export interface PageNoteTable {
  id_hash: string;
  sealed: string;
  expires_at: number;
}

/** One security event, append-only (see src/events/). `details` is JSON; nothing in a row is a secret. */
export interface AuditEventTable {
  id: Generated<number>;
  at: number;
  type: string;
  /** A user id, or a client id when an app acted; null when nobody is known (a failed sign-in). */
  actor: string | null;
  /** The person the event is about. */
  user_id: string | null;
  client_id: string | null;
  /** The app's owner when the event happened. */
  owner_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: string;
}

export interface Database {
  users: UserTable;
  sessions: SessionTable;
  personal_tokens: PersonalTokenTable;
  apps: AppTable;
  client_secrets: ClientSecretTable;
  transactions: TransactionTable;
  codes: CodeTable;
  device_codes: DeviceCodeTable;
  grants: GrantTable;
  tokens: TokenTable;
  consents: ConsentTable;
  signing_keys: SigningKeyTable;
  rate_limits: RateLimitTable;
  page_notes: PageNoteTable;
  audit_events: AuditEventTable;
}
