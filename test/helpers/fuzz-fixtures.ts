// Real credentials and ids for the fuzzer to mix into its requests, so that random requests get past
// authentication and id lookups and reach the code behind them, not only the first check.
import { Client, newPersonalToken } from './client.ts';
import { REDIRECT_URI, authorizeRequest, codeFor, locationOf, newApp, pkce, tokensFor } from './oauth.ts';

export interface FuzzFixtures {
  /** Path parameter values by parameter name (`clientId`, `secretId`, `id`, `transactionId`). */
  ids: Record<string, string[]>;
  /** Credential and value strings to drop into fields, query parameters and headers. */
  values: string[];
  sessionCookie: string;
  preSessionCookie: string;
  pat: string;
  accessToken: string;
  basic: string;
  /** Checks that the session and the PAT still work (a fuzzed sign-out or delete may have ended them). */
  stillValid(): Promise<boolean>;
}

export async function makeFuzzFixtures(baseUrl: string): Promise<FuzzFixtures> {
  const app = await newApp(baseUrl, { scopes: ['user|email_read', 'record|read'], grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'] });
  const owner = app.owner.client;
  const pat = await newPersonalToken(owner);
  const tokens = await tokensFor(owner, app);
  const code = await codeFor(owner, app.clientId);
  const publicApp = (await owner.post('/api/oauth/client', { json: { name: 'public', homepage: 'https://p.example', redirectUris: [REDIRECT_URI], clientType: 'public', scopes: ['record|read'] } })).body;
  const { challenge, verifier } = pkce();
  const pending = await authorizeRequest(owner, publicApp.clientId, { code_challenge: challenge, code_challenge_method: 'S256', state: 's' });
  const transactionId = locationOf(pending, baseUrl).searchParams.get('transaction_id') ?? 'stp_tx_none';
  const secretId = (await owner.get(`/api/oauth/client/${app.clientId}`)).body.secrets[0].id as string;
  const patId = (await owner.get('/api/access-token')).body[0].id as string;
  const csrf = /name="csrf" value="([^"]+)"/.exec((await owner.get('/settings/tokens')).text)?.[1] ?? 'csrf';
  const login = new Client(baseUrl);
  await login.get('/auth/login');
  const preSessionCookie = [...login.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const sessionCookie = `steep_session=${owner.cookies.get('steep_session')}`;
  return {
    ids: { clientId: [app.clientId, publicApp.clientId], secretId: [secretId], id: [patId], transactionId: [transactionId] },
    values: [
      app.clientId, publicApp.clientId, app.secret, pat, tokens.access_token, tokens.refresh_token, code, transactionId, secretId, patId, csrf,
      REDIRECT_URI, 'record|read', 'user|email_read', 'openid profile email', 'authorization_code', 'refresh_token', 'client_credentials',
      'urn:ietf:params:oauth:grant-type:device_code', 'code', 'S256', 'plain', challenge, verifier, app.owner.email, app.owner.password,
      'access_token', 'refresh_token', 'confidential', 'public', 'https://a.example/cb', 'http://127.0.0.1:9/cb', 'javascript:alert(1)',
    ],
    sessionCookie,
    preSessionCookie,
    pat,
    accessToken: tokens.access_token,
    basic: Buffer.from(`${app.clientId}:${app.secret}`).toString('base64'),
    async stillValid() {
      const me = await new Client(baseUrl).get('/api/auth/user/me', { headers: { cookie: sessionCookie } });
      const apps = await new Client(baseUrl).get(`/api/oauth/client/${app.clientId}`, { token: pat });
      return me.status === 200 && apps.status === 200;
    },
  };
}
