// Fixtures made over Steep's HTTP API, as a user would make them: an account with a session and a
// PAT, an app with a secret that the user has consented to, a code exchanged for tokens.
let users = 0;

const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

export interface BenchUser {
  id: string;
  cookie: string;
  /** A personal access token (record|read) that never expires. */
  pat: string;
}

/** A fresh user with a session cookie and a PAT. */
export async function createUser(origin: string): Promise<BenchUser> {
  const signup = await fetch(`${origin}/api/auth/signup`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email: `bench${++users}-${Date.now()}@example.com`, password: 'bench password' }),
  });
  if (!signup.ok) throw new Error(`signup answered ${signup.status}: ${await signup.text()}`);
  const { id } = (await signup.json()) as { id: string };
  const cookie = signup.headers.getSetCookie()[0].split(';')[0];
  const pat = await fetch(`${origin}/api/access-token`, {
    method: 'POST',
    headers: { ...json, cookie },
    body: JSON.stringify({ name: 'bench', scopes: ['record|read'], expiredTime: '2999-01-01' }),
  });
  if (!pat.ok) throw new Error(`PAT creation answered ${pat.status}: ${await pat.text()}`);
  return { id, cookie, pat: ((await pat.json()) as { token: string }).token };
}

export const APP_BODY = JSON.stringify({ name: 'bench app', homepage: 'https://example.com', scopes: ['record|read'], redirectUris: ['https://example.com/cb'] });

export interface BenchApp {
  clientId: string;
  secret: string;
  /** Authorization: Basic for client_secret_basic. */
  basic: string;
  /** The user who owns it and consented to it. */
  user: BenchUser;
  /** `codes` fresh authorization codes, each from a real authorize request. */
  codes: string[];
}

/**
 * An app with a secret (allowed authorization_code, refresh_token and client_credentials), consented
 * to by its owner, and `codes` codes for it through GET /api/oauth/authorize.
 */
export async function consentedApp(origin: string, codes: number, owner?: BenchUser): Promise<BenchApp> {
  const user = owner ?? (await createUser(origin));
  const headers = { cookie: user.cookie, ...json, origin };
  const body = JSON.stringify({ ...JSON.parse(APP_BODY), grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'] });
  const createdReply = await fetch(`${origin}/api/oauth/client`, { method: 'POST', headers, body });
  if (!createdReply.ok) throw new Error(`app creation answered ${createdReply.status}: ${await createdReply.text()}`);
  const created = (await createdReply.json()) as { clientId: string };
  const { secret } = (await (await fetch(`${origin}/api/oauth/client/${created.clientId}/secret`, { method: 'POST', headers: { cookie: user.cookie, origin } })).json()) as { secret: string };
  const authorize = `${origin}/api/oauth/authorize?response_type=code&client_id=${created.clientId}`;
  const first = await fetch(authorize, { headers: { cookie: user.cookie }, redirect: 'manual' });
  const transaction = new URL(first.headers.get('location')!, origin).searchParams.get('transaction_id')!;
  await fetch(`${origin}/api/oauth/decision`, { method: 'POST', headers, body: JSON.stringify({ transaction_id: transaction }), redirect: 'manual' });
  const list: string[] = [];
  // Consent is remembered now: each authorize answers with a code straight away.
  for (let i = 0; i < codes; i++) {
    const back = await fetch(authorize, { headers: { cookie: user.cookie }, redirect: 'manual' });
    list.push(new URL(back.headers.get('location')!).searchParams.get('code')!);
  }
  const basic = 'Basic ' + Buffer.from(`${created.clientId}:${secret}`).toString('base64');
  return { clientId: created.clientId, secret, basic, user, codes: list };
}

/** `params`: more of the token request, such as `&resource=…` for a JWT. */
export async function exchange(origin: string, basic: string, code: string, params = ''): Promise<{ access_token: string; refresh_token: string }> {
  const reply = await fetch(`${origin}/oauth/token`, { method: 'POST', headers: { ...form, authorization: basic }, body: `grant_type=authorization_code&code=${code}${params}` });
  if (!reply.ok) throw new Error(`code exchange answered ${reply.status}: ${await reply.text()}`);
  return (await reply.json()) as { access_token: string; refresh_token: string };
}

/** One token request, for checking that seeded codes and refresh tokens are accepted before they are driven. */
export async function tokenRequest(origin: string, basic: string, body: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const reply = await fetch(`${origin}/oauth/token`, { method: 'POST', headers: { ...form, authorization: basic }, body });
  return { status: reply.status, body: (await reply.json()) as Record<string, unknown> };
}
