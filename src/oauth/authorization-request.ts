// A validated authorization request, and the one mapping between it and the rows that keep it: the
// pending transaction (waiting for consent) and the issued code. A new request parameter is one edit here.
import { fromJson, toJson } from '../store/json.ts';
import type { CodeRow } from '../store/codes.ts';

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  /** The client sent redirect_uri itself, so it must send it again to the token endpoint. */
  redirectUriSent: boolean;
  scopes: string[];
  state: string | null;
  codeChallenge: string | null;
  /** OpenID Connect: echoed in the id_token. */
  nonce: string | null;
  /** RFC 8707: the declared resource server the tokens are for. */
  resource: string | null;
}

/** What a transaction and a code both keep of the request (a code does not need `state`: it is sent with the code). */
export type RequestColumns = Pick<CodeRow, 'client_id' | 'redirect_uri' | 'redirect_uri_sent' | 'scopes' | 'code_challenge' | 'nonce' | 'resource'>;

export function toColumns(request: AuthorizationRequest): RequestColumns {
  return {
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    redirect_uri_sent: request.redirectUriSent ? 1 : 0,
    scopes: toJson(request.scopes),
    code_challenge: request.codeChallenge,
    nonce: request.nonce,
    resource: request.resource,
  };
}

export function fromColumns(row: RequestColumns, state: string | null): AuthorizationRequest {
  return {
    clientId: row.client_id,
    redirectUri: row.redirect_uri,
    redirectUriSent: row.redirect_uri_sent === 1,
    scopes: fromJson(row.scopes),
    state,
    codeChallenge: row.code_challenge,
    nonce: row.nonce,
    resource: row.resource,
  };
}
