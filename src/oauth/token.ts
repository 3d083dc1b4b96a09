// The token endpoint's logic, shared by both dialects: authenticate the client, then run the grant.
import type { Steep } from '../context.ts';
import { OAuthError } from '../domain/errors.ts';
import { authenticateClient, type ClientCredentialsInput } from './client-auth.ts';
import { type CodeGrantInput, redeemCode } from './grants/authorization-code.ts';
import { type RefreshGrantInput, rotateRefreshToken } from './grants/refresh-token.ts';
import type { TokenResponse } from './issue-tokens.ts';

export type TokenRequest = ClientCredentialsInput & CodeGrantInput & RefreshGrantInput & { grant_type?: string };

export const GRANT_TYPES = ['authorization_code', 'refresh_token'] as const;

export async function token(steep: Steep, request: TokenRequest): Promise<TokenResponse> {
  if (request.grant_type === undefined) throw new OAuthError('invalid_request', 'grant_type is required.');
  const { app } = await authenticateClient(steep, request);
  switch (request.grant_type) {
    case 'authorization_code':
      return redeemCode(steep, app, request);
    case 'refresh_token':
      return rotateRefreshToken(steep, app, request);
    default:
      throw new OAuthError('unsupported_grant_type', `grant_type must be one of: ${GRANT_TYPES.join(', ')}.`);
  }
}
