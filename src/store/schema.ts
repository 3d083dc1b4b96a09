// Table types for Kysely. Times are epoch milliseconds; lists are JSON text (portable across SQLite and PostgreSQL).

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
  user_id: string;
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
}
