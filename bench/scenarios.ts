// What the benchmark drives: each scenario prepares its data over HTTP, then gives autocannon the requests to repeat.
import type { Request } from 'autocannon';

export interface Scenario {
  name: string;
  setup(origin: string): Promise<{ requests: Request[] }>;
}

let users = 0;

/** A fresh user with a session cookie and a PAT. */
async function user(origin: string): Promise<{ cookie: string; token: string }> {
  const signup = await fetch(`${origin}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench${++users}-${Date.now()}@example.com`, password: 'bench password' }),
  });
  const cookie = signup.headers.getSetCookie()[0].split(';')[0];
  const pat = await fetch(`${origin}/api/access-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'bench', scopes: ['record|read'], expiredTime: '2999-01-01' }),
  });
  return { cookie, token: ((await pat.json()) as { token: string }).token };
}

const app = JSON.stringify({ name: 'bench app', homepage: 'https://example.com', scopes: ['record|read'], redirectUris: ['https://example.com/cb'] });

export const scenarios: Scenario[] = [
  { name: 'GET /healthz (baseline)', setup: async () => ({ requests: [{ method: 'GET', path: '/healthz' }] }) },
  {
    name: 'GET /api/auth/user (PAT check)',
    setup: async (origin) => {
      const { token } = await user(origin);
      return { requests: [{ method: 'GET', path: '/api/auth/user', headers: { authorization: `Bearer ${token}` } }] };
    },
  },
  {
    name: 'POST /api/oauth/client (create app)',
    setup: async (origin) => {
      const { token } = await user(origin);
      return { requests: [{ method: 'POST', path: '/api/oauth/client', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: app }] };
    },
  },
  {
    name: 'GET /api/oauth/client/{id} (read app)',
    setup: async (origin) => {
      const { token } = await user(origin);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const created = (await (await fetch(`${origin}/api/oauth/client`, { method: 'POST', headers, body: app })).json()) as { clientId: string };
      await fetch(`${origin}/api/oauth/client/${created.clientId}/secret`, { method: 'POST', headers: { authorization: headers.authorization } });
      return { requests: [{ method: 'GET', path: `/api/oauth/client/${created.clientId}`, headers: { authorization: headers.authorization } }] };
    },
  },
];
