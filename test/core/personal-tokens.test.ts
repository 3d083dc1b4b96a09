// Personal access tokens: Teable's shapes, shown once, expiry, deletion effective at once.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Client, newUser } from '../helpers/client.ts';
import { forEachDatabase } from '../helpers/server.ts';

forEachDatabase('personal access tokens', (ctx) => {
  const anonymous = () => new Client(ctx.server.url);

  it('creates a token shown once, lists it without the token, and records its last use', async () => {
    const { client } = await newUser(ctx.server.url);
    const created = await client.post('/api/access-token', {
      json: { name: 'ci', description: 'for CI', scopes: ['record|read', 'record|read', 'table|read'], expiredTime: '2999-01-01' },
    });
    assert.equal(created.status, 201);
    assert.match(created.body.token, /^stp_pat_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(created.body.scopes, ['record|read', 'table|read']);
    assert.equal(created.body.description, 'for CI');
    assert.ok(Date.parse(created.body.expiredTime) > Date.now());
    assert.equal(created.body.lastUsedTime, undefined);

    assert.equal((await anonymous().get('/api/auth/user', { token: created.body.token })).status, 200);
    const list = await client.get('/api/access-token');
    assert.equal(list.status, 200);
    assert.equal(list.body.length, 1);
    assert.equal(list.body[0].token, undefined);
    assert.equal(list.body[0].id, created.body.id);
    assert.ok(list.body[0].lastUsedTime, 'lastUsedTime is reported after a use');
    assert.ok(!list.text.includes(created.body.token));
  });

  it('stops a deleted token at once, and 404s a second delete', async () => {
    const { client } = await newUser(ctx.server.url);
    const created = await client.post('/api/access-token', { json: { name: 'x', scopes: ['record|read'], expiredTime: '2999-01-01' } });
    assert.equal((await client.delete(`/api/access-token/${created.body.id}`)).status, 200);
    assert.equal((await anonymous().get('/api/auth/user', { token: created.body.token })).status, 401);
    assert.equal((await client.delete(`/api/access-token/${created.body.id}`)).status, 404);
  });

  it('expires tokens at their expiredTime', async () => {
    const { client } = await newUser(ctx.server.url);
    const at = new Date(ctx.server.clock.now() + 3600_000).toISOString();
    const created = await client.post('/api/access-token', { json: { name: 'x', scopes: ['record|read'], expiredTime: at } });
    assert.equal((await anonymous().get('/api/auth/user', { token: created.body.token })).status, 200);
    ctx.server.clock.advance(3601);
    assert.equal((await anonymous().get('/api/auth/user', { token: created.body.token })).status, 401);
  });

  it('is managed by session only: a PAT gets 403, nobody gets 401', async () => {
    const { client } = await newUser(ctx.server.url);
    const created = await client.post('/api/access-token', { json: { name: 'x', scopes: ['record|read'], expiredTime: '2999-01-01' } });
    const token = created.body.token;
    assert.equal((await anonymous().get('/api/access-token', { token })).status, 403);
    assert.equal((await anonymous().post('/api/access-token', { token, json: { name: 'y', scopes: ['record|read'], expiredTime: '2999-01-01' } })).status, 403);
    assert.equal((await anonymous().get('/api/access-token')).status, 401);
  });

  it('validates the body and names the field', async () => {
    const { client } = await newUser(ctx.server.url);
    const cases: [object, string][] = [
      [{ scopes: ['record|read'], expiredTime: '2999-01-01' }, 'name'],
      [{ name: '', scopes: ['record|read'], expiredTime: '2999-01-01' }, 'name'],
      [{ name: 'x'.repeat(101), scopes: ['record|read'], expiredTime: '2999-01-01' }, 'name'],
      [{ name: 'x', scopes: [], expiredTime: '2999-01-01' }, 'scopes'],
      [{ name: 'x', scopes: ['record|fly'], expiredTime: '2999-01-01' }, 'scopes.0'],
      [{ name: 'x', scopes: ['record|read'], expiredTime: 'someday' }, 'expiredTime'],
      [{ name: 'x', scopes: ['record|read'], expiredTime: '2000-01-01' }, 'expiredTime'],
    ];
    for (const [json, path] of cases) {
      const reply = await client.post('/api/access-token', { json });
      assert.equal(reply.status, 400, JSON.stringify(json));
      assert.equal(reply.body.details[0].path, path, JSON.stringify(json));
    }
    assert.equal((await client.get('/api/access-token')).body.length, 0, 'no half-written rows');
  });

  it("cannot delete another user's token", async () => {
    const owner = await newUser(ctx.server.url);
    const other = await newUser(ctx.server.url);
    const created = await owner.client.post('/api/access-token', { json: { name: 'x', scopes: ['record|read'], expiredTime: '2999-01-01' } });
    assert.equal((await other.client.delete(`/api/access-token/${created.body.id}`)).status, 404);
    assert.equal((await anonymous().get('/api/auth/user', { token: created.body.token })).status, 200);
  });

  it("updates name, description and scopes with PUT (Teable's shape), keeping the token", async () => {
    const { client } = await newUser(ctx.server.url);
    const created = await client.post('/api/access-token', { json: { name: 'x', scopes: ['record|read'], expiredTime: '2999-01-01', spaceIds: ['spc1'], baseIds: null } });
    assert.equal(created.status, 201, 'Teable clients also send spaceIds and baseIds');
    const updated = await client.put(`/api/access-token/${created.body.id}`, {
      json: { name: 'new token', description: 'new desc', scopes: ['table|read', 'record|read', 'record|create'], baseIds: null, spaceIds: null },
    });
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.body, { id: created.body.id, name: 'new token', description: 'new desc', scopes: ['table|read', 'record|read', 'record|create'] });
    const me = await anonymous().get('/api/auth/user', { token: created.body.token });
    assert.equal(me.status, 200);
    const other = await newUser(ctx.server.url);
    assert.equal((await other.client.put(`/api/access-token/${created.body.id}`, { json: { name: 'mine', scopes: ['record|read'] } })).status, 404);
  });

  it('refreshes: a new token with a new expiry, and the old one stops at once', async () => {
    const { client } = await newUser(ctx.server.url);
    const created = await client.post('/api/access-token', { json: { name: 'x', scopes: ['record|read'], expiredTime: '2999-01-01' } });
    const refreshed = await client.post(`/api/access-token/${created.body.id}/refresh`, { json: { expiredTime: '2998-06-30' } });
    assert.equal(refreshed.status, 200);
    assert.deepEqual(Object.keys(refreshed.body).sort(), ['expiredTime', 'id', 'token']);
    assert.equal(refreshed.body.expiredTime, '2998-06-30T23:59:59.999Z');
    assert.notEqual(refreshed.body.token, created.body.token);
    assert.equal((await anonymous().get('/api/auth/user', { token: created.body.token })).status, 401);
    assert.equal((await anonymous().get('/api/auth/user', { token: refreshed.body.token })).status, 200);
    const invalid = await client.post(`/api/access-token/${created.body.id}/refresh`, { json: { expiredTime: '25/02/2023' } });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body.message, /expiredTime/);
  });
});
