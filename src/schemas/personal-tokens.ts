// The personal access token body (Teable's POST /api/access-token), shared by the API and the tokens page.
import { z } from 'zod';
import { perConfig, scopeNames } from './per-config.ts';

export const personalTokenBodySchema = perConfig((config) => {
  const scopes = scopeNames(config);
  return z.object({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(1000).optional(),
    scopes: z.array(z.enum(scopes)).min(1).max(scopes.length * 4),
    expiredTime: z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'must be a date such as 2030-01-31, or an ISO 8601 date-time' })
      .describe('A day (the token works through its end, UTC) or an ISO 8601 date-time'),
  }).meta({
    id: 'PersonalTokenCreate',
    description: 'A personal access token to create',
    examples: [{ name: 'nightly export', scopes: ['record|read'], expiredTime: '2030-01-31' }],
  });
});

export type PersonalTokenBody = z.infer<ReturnType<typeof personalTokenBodySchema>>;
