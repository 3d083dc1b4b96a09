// The OAuth app body (Teable's POST/PUT /api/oauth/client), shared by the API and the app pages.
import { z } from 'zod';
import { httpUrlProblem, redirectUriProblem } from '../domain/redirect-uri.ts';
import { GRANT_TYPES, grantTypesProblem } from '../oauth/grants/index.ts';
import { perConfig, scopeNames } from './per-config.ts';

const problem = (check: (value: string) => string | null) => (value: string, ctx: z.RefinementCtx) => {
  const message = check(value);
  if (message) ctx.addIssue({ code: 'custom', message });
};

export const CLIENT_TYPES = ['confidential', 'public'] as const;

/** The seed's request schema, with Steep's validation rules; unknown fields (a PUT of a GET body) are ignored. */
export const appBodySchema = perConfig((config) => {
  const scopes = scopeNames(config);
  return z.object({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(1000).optional(),
    homepage: z.string().superRefine(problem(httpUrlProblem)).meta({ format: 'uri' }),
    logo: z.string().max(2048).optional(),
    scopes: z.array(z.enum(scopes)).max(scopes.length * 4).optional(),
    redirectUris: z
      .array(z.string().superRefine(problem((uri) => redirectUriProblem(uri, config.requireHttpsRedirects))).meta({ format: 'uri' }))
      .min(1)
      .max(20),
    clientType: z.enum(CLIENT_TYPES).optional()
      .describe("public: a native app, CLI or single-page app, with no secret (PKCE required). Omitted: 'confidential' on create, unchanged on update"),
    grantTypes: z.array(z.enum(GRANT_TYPES)).min(1).max(GRANT_TYPES.length * 2).optional()
      .describe('Omitted: authorization_code and refresh_token on create, unchanged on update'),
  }).superRefine((body, ctx) => {
    const problem = body.grantTypes && grantTypesProblem(body.clientType ?? 'confidential', body.grantTypes);
    if (problem) ctx.addIssue({ code: 'custom', path: ['grantTypes'], message: problem });
  }).meta({
    id: 'OAuthAppCreate',
    description: "An OAuth app as Teable's POST /oauth/client takes it (the seed's request schema), plus Steep's clientType and grantTypes",
    // The seed's own sample body (Teable's curl example), which must succeed unchanged.
    examples: [{ name: 'string', description: 'string', homepage: 'http://example.com', logo: 'string', scopes: ['table|create'], redirectUris: ['http://example.com'] }],
  });
});

/** A validated app body, as the service takes it. */
export type AppInput = z.infer<ReturnType<typeof appBodySchema>>;
