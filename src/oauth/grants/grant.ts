// What a grant is to the token endpoint: the parameters it reads, who may use it, and how it issues.
import type { z } from 'zod';
import type { Steep } from '../../context.ts';
import type { AppRow } from '../../store/apps.ts';
import type { TokenResponse } from '../issue-tokens.ts';

export interface Grant<Params extends z.ZodRawShape = z.ZodRawShape> {
  /** The token request parameters this grant reads, besides grant_type and client authentication. */
  params: Params;
  /** Whether a public client (no secret; token_endpoint_auth_method=none) may use it. */
  publicClients: boolean;
  /** Runs the grant for an authenticated client that lists it. */
  issue(steep: Steep, app: AppRow, input: z.infer<z.ZodObject<Params>>): Promise<TokenResponse>;
}

/** Keeps each grant's parameter types checked against its own handler. */
export const defineGrant = <Params extends z.ZodRawShape>(grant: Grant<Params>): Grant<Params> => grant;
