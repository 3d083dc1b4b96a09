// Protocol edges found in review: who may introspect a refresh token, a redirect URI removed while the
// consent page was open, and an empty scope on refresh.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Client, newPersonalToken, newUser } from '../helpers/client.ts';
import { authorizeRequest, introspect, locationOf, newApp, REDIRECT_URI, tokenRequest, tokensFor } from '../helpers/oauth.ts';
import { forEachDatabase } from '../helpers/server.ts';

forEachDatabase('oauth: hardening', (ctx) => {
  it('introspection (RFC 7662 section 4): another client learns nothing; a declared resource server an access token; a refresh token only its own client', async () => {
    const app = await newApp(ctx.server.url);
    const resourceServer = await newApp(ctx.server.url);
    const tokens = await tokensFor((await newUser(ctx.server.url)).client, app);
    assert.deepEqual(await introspect(ctx.server.url, resourceServer, tokens.access_token), { active: false }, 'token scanning by any client');
    ctx.server.config.resources.push({ resource: 'https://hardening.example/', name: 'API', scopes: null, clientId: resourceServer.clientId });
    assert.equal((await introspect(ctx.server.url, resourceServer, tokens.access_token)).active, true);
    assert.equal((await introspect(ctx.server.url, resourceServer, tokens.refresh_token)).active, false);
    assert.equal((await introspect(ctx.server.url, app, tokens.refresh_token)).active, true);
    const pat = await newPersonalToken(resourceServer.owner.client);
    const byPat = await new Client(ctx.server.url).post('/oauth/introspect', { token: pat, form: { token: tokens.refresh_token } });
    assert.deepEqual(byPat.body, { active: false });
  });

  it('refuses to send a code to a redirect URI the owner removed while the consent page was open', async () => {
    const app = await newApp(ctx.server.url, { redirectUris: [REDIRECT_URI, 'https://old.example/cb'] });
    const user = await newUser(ctx.server.url);
    const started = await authorizeRequest(user.client, app.clientId, { redirect_uri: 'https://old.example/cb' });
    const transaction = locationOf(started, ctx.server.url).searchParams.get('transaction_id')!;
    const replaced = await app.owner.client.put(`/api/oauth/client/${app.clientId}`, {
      json: { name: 'test', homepage: 'http://localhost:3000', scopes: ['user|email_read'], redirectUris: [REDIRECT_URI] },
    });
    assert.equal(replaced.status, 200);
    const decided = await user.client.post('/api/oauth/decision', { form: { transaction_id: transaction } });
    assert.equal(decided.status, 400);
    assert.equal(decided.headers.get('location'), null);
  });

  it('refuses an empty scope on refresh with invalid_scope', async () => {
    const app = await newApp(ctx.server.url);
    const tokens = await tokensFor((await newUser(ctx.server.url)).client, app);
    const reply = await tokenRequest(ctx.server.url, app, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, scope: '' });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error, 'invalid_scope');
  });
});
