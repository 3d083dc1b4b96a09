// node-oidc-provider 9 as a comparison target, in its own process: one confidential client
// (client_secret_basic; authorization_code, refresh_token, client_credentials), rotated refresh tokens,
// scopes openid and offline_access, every model in a Map (MapAdapter: no durable write at all).
// The bench asks for refresh tokens over IPC ({ seedRefresh: n }): each is a Grant and a RefreshToken
// created through the provider's own models, as its authorization_code grant creates them.
import { Provider } from 'oidc-provider';
import { MapAdapter } from './oidc-adapter.ts';
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } from './oidc-client.ts';

/** The refresh tokens carry offline_access only: no id_token is signed on refresh (Steep's bench families carry no openid either). */
const REFRESH_SCOPE = 'offline_access';

const port = Number(process.env.PORT);

const provider = new Provider(`http://127.0.0.1:${port}`, {
  adapter: MapAdapter,
  clients: [
    {
      client_id: OIDC_CLIENT_ID,
      client_secret: OIDC_CLIENT_SECRET,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/cb'],
    },
  ],
  scopes: ['openid', 'offline_access'],
  rotateRefreshToken: true,
  features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
  findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
  // Steep's lifetimes: 10-minute access tokens, 30-day refresh tokens.
  ttl: { AccessToken: 600, ClientCredentials: 600, RefreshToken: 30 * 86400, Grant: 30 * 86400 },
  cookies: { keys: ['bench-cookie-key-bench-cookie-key'] },
});

let accounts = 0;

async function seedRefresh(count: number): Promise<string[]> {
  const client = await provider.Client.find(OIDC_CLIENT_ID);
  if (!client) throw new Error('the bench client is not configured');
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const accountId = `bench-account-${++accounts}`;
    const grant = new provider.Grant({ accountId, clientId: OIDC_CLIENT_ID });
    grant.addOIDCScope(REFRESH_SCOPE);
    const grantId = await grant.save();
    const refresh = new provider.RefreshToken({ accountId, client, grantId, gty: 'authorization_code', scope: REFRESH_SCOPE, authTime: Math.floor(Date.now() / 1000), rotations: 0 });
    tokens.push(await refresh.save());
  }
  return tokens;
}

process.on('message', (message: { id: number; seedRefresh: number }) => {
  seedRefresh(message.seedRefresh).then(
    (tokens) => process.send!({ id: message.id, tokens }),
    (error: Error) => process.send!({ id: message.id, error: error.message }),
  );
});

const server = provider.listen(port, '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
process.once('disconnect', () => process.exit(0));
