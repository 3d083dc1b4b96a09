// What the benchmark drives: each scenario prepares its data over HTTP, then gives autocannon the requests to repeat.
import type { Request } from 'autocannon';

export interface Scenario {
  name: string;
  /** `amount`: a fixed number of requests instead of a duration (for single-use inputs such as codes). */
  setup(origin: string): Promise<{ requests: Request[]; amount?: number }>;
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

/** An app with a secret, consented to by a user, and `codes` fresh authorization codes for it. */
export async function consentedApp(origin: string, codes: number) {
  const { cookie } = await user(origin);
  const headers = { cookie, 'content-type': 'application/json', origin };
  const created = (await (await fetch(`${origin}/api/oauth/client`, { method: 'POST', headers, body: app })).json()) as { clientId: string };
  const { secret } = (await (await fetch(`${origin}/api/oauth/client/${created.clientId}/secret`, { method: 'POST', headers: { cookie, origin } })).json()) as { secret: string };
  const authorize = `${origin}/api/oauth/authorize?response_type=code&client_id=${created.clientId}`;
  const first = await fetch(authorize, { headers: { cookie }, redirect: 'manual' });
  const transaction = new URL(first.headers.get('location')!, origin).searchParams.get('transaction_id')!;
  await fetch(`${origin}/api/oauth/decision`, { method: 'POST', headers, body: JSON.stringify({ transaction_id: transaction }), redirect: 'manual' });
  const list: string[] = [];
  // Consent is remembered now: each authorize answers with a code straight away.
  for (let i = 0; i < codes; i++) {
    const back = await fetch(authorize, { headers: { cookie }, redirect: 'manual' });
    list.push(new URL(back.headers.get('location')!).searchParams.get('code')!);
  }
  const basic = 'Basic ' + Buffer.from(`${created.clientId}:${secret}`).toString('base64');
  return { clientId: created.clientId, secret, basic, codes: list };
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** `params`: more of the token request, such as `&resource=…` for a JWT. */
export async function exchange(origin: string, basic: string, code: string, params = '') {
  const reply = await fetch(`${origin}/oauth/token`, { method: 'POST', headers: { ...form, authorization: basic }, body: `grant_type=authorization_code&code=${code}${params}` });
  return (await reply.json()) as { access_token: string; refresh_token: string };
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
  {
    name: 'POST /oauth/token (code exchange)',
    setup: async (origin) => {
      const { basic, codes } = await consentedApp(origin, 8000);
      let next = 0;
      return {
        amount: codes.length,
        requests: [{ method: 'POST', path: '/oauth/token', headers: { ...form, authorization: basic }, setupRequest: (request) => ({ ...request, body: `grant_type=authorization_code&code=${codes[next++]}` }) }],
      };
    },
  },
  {
    name: 'POST /oauth/introspect (access token)',
    setup: async (origin) => {
      const { basic, codes } = await consentedApp(origin, 1);
      const { access_token } = await exchange(origin, basic, codes[0]);
      return { requests: [{ method: 'POST', path: '/oauth/introspect', headers: { ...form, authorization: basic }, body: `token=${access_token}` }] };
    },
  },
  {
    name: 'GET /api/auth/user (OAuth access token)',
    setup: async (origin) => {
      const { basic, codes } = await consentedApp(origin, 1);
      const { access_token } = await exchange(origin, basic, codes[0]);
      return { requests: [{ method: 'GET', path: '/api/auth/user', headers: { authorization: `Bearer ${access_token}` } }] };
    },
  },
];
