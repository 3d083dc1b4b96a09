// Real responses over HTTP, validated against the schemas /api/docs/json documents for their status:
// the main routes, their successes and their error statuses, in both dialects.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { Client, newPersonalToken, newUser } from '../helpers/client.ts';
import { Contract } from '../helpers/contract.ts';
import { REDIRECT_URI, codeFor, locationOf, newApp, pkce } from '../helpers/oauth.ts';
import { forEachDatabase } from '../helpers/server.ts';

// Teable's curl sample body (the seed), unchanged.
const SEED_BODY = { name: 'string', description: 'string', homepage: 'http://example.com', logo: 'string', scopes: ['table|create'], redirectUris: ['http://example.com'] };

forEachDatabase('the API answers as its document says', (ctx) => {
  let contract: Contract;
  const anonymous = () => new Client(ctx.server.url);

  before(async () => {
    contract = new Contract((await anonymous().get('/api/docs/json')).body);
  });

  it('accounts: sign-up, sign-in, who am I, and their refusals', async () => {
    const check = contract.check.bind(contract);
    const email = `contract-${process.pid}-${Date.now()}@example.com`;
    const client = anonymous();
    check('POST', '/api/auth/signup', await client.post('/api/auth/signup', { json: { email, password: 'a long password', name: 'Ada' } }));
    check('POST', '/api/auth/signup', await anonymous().post('/api/auth/signup', { json: { email, password: 'a long password' } })); // 409
    check('POST', '/api/auth/signup', await anonymous().post('/api/auth/signup', { json: { email: 'not an email', password: 'x' } })); // 400
    check('POST', '/api/auth/signup', await anonymous().post('/api/auth/signup', { body: 'email=a', headers: { 'content-type': 'text/plain' } })); // 415
    check('POST', '/api/auth/signin', await anonymous().post('/api/auth/signin', { json: { email, password: 'a long password' } }));
    check('POST', '/api/auth/signin', await anonymous().post('/api/auth/signin', { json: { email, password: 'wrong password' } })); // 401
    check('GET', '/api/auth/user/me', await client.get('/api/auth/user/me'));
    check('GET', '/api/auth/user/me', await anonymous().get('/api/auth/user/me')); // 401
    check('GET', '/api/auth/user', await client.get('/api/auth/user', { token: await newPersonalToken(client) }));
    check('POST', '/api/auth/signout', await client.post('/api/auth/signout', { token: await newPersonalToken(client) })); // 403
    check('POST', '/api/auth/signout', await client.post('/api/auth/signout'));
  });

  it('personal access tokens: create, list, update, refresh, delete, and their refusals', async () => {
    const check = contract.check.bind(contract);
    const { client } = await newUser(ctx.server.url);
    const created = check('POST', '/api/access-token', await client.post('/api/access-token', { json: { name: 'export', description: 'nightly', scopes: ['record|read'], expiredTime: '2999-12-31' } }));
    assert.equal(created.status, 201);
    const id = created.body.id;
    check('POST', '/api/access-token', await client.post('/api/access-token', { json: { name: 'x', scopes: ['no|such'], expiredTime: '2999-12-31' } })); // 400
    check('POST', '/api/access-token', await client.post('/api/access-token', { token: created.body.token, json: {} })); // 403
    check('GET', '/api/access-token', await client.get('/api/access-token'));
    check('PUT', '/api/access-token/{id}', await client.put(`/api/access-token/${id}`, { json: { name: 'renamed', scopes: ['record|read', 'table|read'] } }));
    check('POST', '/api/access-token/{id}/refresh', await client.post(`/api/access-token/${id}/refresh`, { json: { expiredTime: '2999-06-30' } }));
    check('DELETE', '/api/access-token/{id}', await client.delete(`/api/access-token/${id}`));
    check('DELETE', '/api/access-token/{id}', await client.delete(`/api/access-token/${id}`)); // 404
  });

  it('the audit log: a page of events, and its refusals', async () => {
    const check = contract.check.bind(contract);
    const { client } = await newUser(ctx.server.url);
    await client.post('/api/oauth/client', { json: SEED_BODY }); // an event to list
    const page = check('GET', '/api/audit', await client.get('/api/audit?limit=1'));
    assert.equal(page.body.events.length, 1);
    check('GET', '/api/audit', await client.get('/api/audit?cursor=nope')); // 400
    check('GET', '/api/audit', await anonymous().get('/api/audit')); // 401
  });

  it("OAuth apps: the seed's body, reads, replace, secrets, delete, and their refusals", async () => {
    const check = contract.check.bind(contract);
    const { client } = await newUser(ctx.server.url);
    const created = check('POST', '/api/oauth/client', await client.post('/api/oauth/client', { json: SEED_BODY }));
    assert.equal(created.status, 201);
    const path = `/api/oauth/client/${created.body.clientId}`;
    check('POST', '/api/oauth/client', await client.post('/api/oauth/client', { json: { ...SEED_BODY, redirectUris: ['javascript:alert(1)'] } })); // 400
    check('POST', '/api/oauth/client', await client.post('/api/oauth/client', { form: { name: 'x' } })); // 415
    check('POST', '/api/oauth/client', await anonymous().post('/api/oauth/client', { json: SEED_BODY })); // 401
    const secret = check('POST', '/api/oauth/client/{clientId}/secret', await client.post(`${path}/secret`));
    check('GET', '/api/oauth/client', await client.get('/api/oauth/client'));
    check('GET', '/api/oauth/client/{clientId}', await client.get(path)); // with a masked secret
    check('GET', '/api/oauth/client/{clientId}', await client.get('/api/oauth/client/nosuchapp')); // 404
    check('PUT', '/api/oauth/client/{clientId}', await client.put(path, { json: { ...SEED_BODY, name: 'renamed' } }));
    const publicApp = (await client.post('/api/oauth/client', { json: { ...SEED_BODY, clientType: 'public' } })).body;
    check('POST', '/api/oauth/client/{clientId}/secret', await client.post(`/api/oauth/client/${publicApp.clientId}/secret`)); // 400
    check('DELETE', '/api/oauth/client/{clientId}/secret/{secretId}', await client.delete(`${path}/secret/${secret.body.id}`));
    check('DELETE', '/api/oauth/client/{clientId}/secret/{secretId}', await client.delete(`${path}/secret/${secret.body.id}`)); // 404
    check('DELETE', '/api/oauth/client/{clientId}', await client.delete(path));
  });

  it('authorization, consent, tokens in both dialects, revocation, introspection and the authorized apps', async () => {
    const check = contract.check.bind(contract);
    const app = await newApp(ctx.server.url, { scopes: ['record|read', 'user|email_read'], grantTypes: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'] });
    const { client: person } = await newUser(ctx.server.url, 'person');
    const { verifier, challenge } = pkce();
    const query = new URLSearchParams({ response_type: 'code', client_id: app.clientId, redirect_uri: REDIRECT_URI, scope: 'record|read openid', state: 's', code_challenge: challenge, code_challenge_method: 'S256' });

    check('GET', '/api/oauth/authorize', await anonymous().get(`/api/oauth/authorize?${query}`)); // 302 to sign-in
    check('GET', '/api/oauth/authorize', await person.get('/api/oauth/authorize?response_type=code&client_id=nosuchapp')); // 400
    const started = check('GET', '/oauth/authorize', await person.get(`/oauth/authorize?${query}`));
    const transaction = locationOf(started, ctx.server.url).searchParams.get('transaction_id')!;
    check('GET', '/api/oauth/decision/{transactionId}', await person.get(`/api/oauth/decision/${transaction}`));
    check('GET', '/api/oauth/decision/{transactionId}', await person.get('/api/oauth/decision/stp_tx_unknown')); // 400
    const decided = check('POST', '/api/oauth/decision', await person.post('/api/oauth/decision', { form: { transaction_id: transaction } }));
    const code = locationOf(decided, ctx.server.url).searchParams.get('code')!;
    check('POST', '/api/oauth/decision', await person.post('/api/oauth/decision', { form: { transaction_id: transaction } })); // 400, used

    const auth = { client_id: app.clientId, client_secret: app.secret };
    const issued = check('POST', '/oauth/token', await anonymous().post('/oauth/token', { form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, ...auth } }));
    assert.equal(issued.status, 200);
    check('POST', '/oauth/token', await anonymous().post('/oauth/token', { form: { grant_type: 'authorization_code', code: 'stp_ac_unknown', redirect_uri: REDIRECT_URI, ...auth } })); // 400 invalid_grant
    check('POST', '/oauth/token', await anonymous().post('/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: 'x', client_id: app.clientId, client_secret: 'wrong' } })); // 401
    const refreshed = check('POST', '/api/oauth/access_token', await anonymous().post('/api/oauth/access_token', { json: { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token, ...auth } }));
    assert.equal(refreshed.status, 201);
    check('POST', '/api/oauth/access_token', await anonymous().post('/api/oauth/access_token', { json: { grant_type: 'refresh_token', refresh_token: 'stp_rt_unknown', ...auth } })); // 401
    check('POST', '/api/oauth/access_token', await anonymous().post('/api/oauth/access_token', { json: { grant_type: 'nonsense', ...auth } })); // 400

    const token = refreshed.body.access_token;
    check('GET', '/oauth/userinfo', await anonymous().get('/oauth/userinfo', { token }));
    check('POST', '/oauth/userinfo', await anonymous().post('/oauth/userinfo', { token: 'stp_at_unknown' })); // 401
    check('POST', '/oauth/introspect', await anonymous().post('/oauth/introspect', { form: { token, ...auth } }));
    check('POST', '/oauth/introspect', await anonymous().post('/oauth/introspect', { form: { token, client_id: app.clientId, client_secret: 'wrong' } })); // 401
    check('POST', '/oauth/revoke', await anonymous().post('/oauth/revoke', { form: { ...auth } })); // 400, no token
    check('POST', '/oauth/revoke', await anonymous().post('/oauth/revoke', { form: { token: refreshed.body.refresh_token, ...auth } }));
    check('POST', '/oauth/device_authorization', await anonymous().post('/oauth/device_authorization', { form: { scope: 'record|read', ...auth } }));
    check('POST', '/oauth/device_authorization', await anonymous().post('/oauth/device_authorization', { form: { scope: 'table|delete', ...auth } })); // 400 invalid_scope

    check('GET', '/api/oauth/client/authorized/list', await person.get('/api/oauth/client/authorized/list'));
    check('POST', '/api/oauth/client/{clientId}/revoke-access', await person.post(`/api/oauth/client/${app.clientId}/revoke-access`));
    check('POST', '/api/oauth/client/{clientId}/revoke-access', await person.post(`/api/oauth/client/${app.clientId}/revoke-access`)); // 404, not authorized now
    const again = await tokenFor(person, app);
    check('GET', '/api/oauth/client/{clientId}/revoke-token', await anonymous().get(`/api/oauth/client/${app.clientId}/revoke-token`, { token: again }));
    check('GET', '/api/oauth/client/{clientId}/revoke-token', await anonymous().get(`/api/oauth/client/${app.clientId}/revoke-token`, { token: again })); // 401, revoked
    check('GET', '/api/auth/user/me', await anonymous().get('/api/auth/user/me', { token: await tokenFor(person, app) })); // 403
  });

  it('metadata, keys and health', async () => {
    const check = contract.check.bind(contract);
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration', '/oauth/jwks', '/healthz', '/readyz']) {
      assert.equal(check('GET', path, await anonymous().get(path)).status, 200);
    }
  });

  it('covered every documented route', () => {
    const documented = Object.entries(contract.document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    const checked = new Set([...contract.checked].map((entry) => entry.split(' ').slice(0, 2).join(' ')));
    assert.deepEqual(documented.filter((operation) => !checked.has(operation)), []);
  });
});

/** An OAuth access token of `app` for the person behind `client` (remembered consent: no page). */
async function tokenFor(client: Client, app: Awaited<ReturnType<typeof newApp>>): Promise<string> {
  const code = await codeFor(client, app.clientId, { scope: 'record|read' });
  const reply = await new Client(client.baseUrl).post('/oauth/token', { form: { grant_type: 'authorization_code', code, client_id: app.clientId, client_secret: app.secret } });
  return reply.body.access_token;
}
