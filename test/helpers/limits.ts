// Helpers for the rate-limit tests: people and apps each from an address of their own (the limits
// count per address, and STEEP_TRUST_PROXY lets a test choose it), and the two shapes of a 429.
import assert from 'node:assert/strict';
import { Client, type Reply } from './client.ts';
import { REDIRECT_URI } from './oauth.ts';

let addresses = 0;
/** A fresh client address for X-Forwarded-For (TEST-NET-2, never a real client). */
export const nextIp = () => `198.51.${Math.floor(++addresses / 250) % 250}.${(addresses % 250) + 1}`;
export const from = (ip: string) => ({ 'x-forwarded-for': ip });

export interface Person {
  client: Client;
  email: string;
  password: string;
  ip: string;
}

/** Signs up from an address of its own, so no sign-up limit is shared with anyone else. */
export async function person(baseUrl: string, ip = nextIp()): Promise<Person> {
  const client = new Client(baseUrl);
  const email = `limited-${process.pid}-${ip}@example.com`;
  const password = 'correct horse battery';
  const reply = await client.post('/api/auth/signup', { json: { email, password }, headers: from(ip) });
  assert.equal(reply.status, 201, reply.text);
  return { client, email, password, ip };
}

/** An app of `owner` with one secret. */
export async function appOf(owner: Person, body: Record<string, unknown> = {}): Promise<{ clientId: string; secret: string }> {
  const created = await owner.client.post('/api/oauth/client', {
    json: { name: 'limited', homepage: 'https://example.com', scopes: ['record|read'], redirectUris: [REDIRECT_URI], ...body },
    headers: from(owner.ip),
  });
  assert.equal(created.status, 201, created.text);
  const secret = await owner.client.post(`/api/oauth/client/${created.body.clientId}/secret`, { headers: from(owner.ip) });
  assert.equal(secret.status, 201, secret.text);
  return { clientId: created.body.clientId, secret: secret.body.secret };
}

function assertRetryAfter(reply: Reply): void {
  assert.equal(reply.status, 429, reply.text);
  const wait = Number(reply.headers.get('retry-after'));
  assert.ok(Number.isInteger(wait) && wait > 0 && wait <= 600, `Retry-After: ${reply.headers.get('retry-after')}`);
}

/** 429 in the Teable dialect: {message, status, code: rate_limited}, with Retry-After. */
export function assertTeableLimited(reply: Reply): void {
  assertRetryAfter(reply);
  assert.equal(reply.body.status, 429);
  assert.equal(reply.body.code, 'rate_limited');
  assert.match(reply.body.message, /^Too many .+; try again in \d+ seconds\.$/);
}

/** 429 in the OAuth dialect: {error: temporarily_unavailable, error_description}, with Retry-After. */
export function assertOAuthLimited(reply: Reply): void {
  assertRetryAfter(reply);
  assert.equal(reply.body.error, 'temporarily_unavailable');
  assert.match(reply.body.error_description, /^Too many .+; try again in \d+ seconds\.$/);
}
