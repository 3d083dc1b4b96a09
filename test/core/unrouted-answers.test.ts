// Answers given before or without a route (found by fuzzing): they carry the same headers as every
// other answer, and a request for a route that does not exist is a 404 whatever its body's type.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Client } from '../helpers/client.ts';
import { forEachDatabase } from '../helpers/server.ts';

forEachDatabase('answers without a route', (ctx) => {
  it('sends nosniff and no-store on answers the router gives itself (an over-long path parameter)', async () => {
    const reply = await new Client(ctx.server.url).get(`/api/oauth/client/${'a'.repeat(200)}`);
    assert.equal(reply.status, 414);
    assert.equal(reply.body.code, 'validation_failed');
    assert.equal(reply.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(reply.headers.get('cache-control'), 'no-store');
  });

  it('answers an unknown route 404, not 415, when the body is of an odd type, as a page under the page paths', async () => {
    const api = await new Client(ctx.server.url).post('/api/nothing-here', { body: 'x', headers: { 'content-type': 'text/plain' } });
    assert.equal(api.status, 404, api.text);
    assert.equal(api.body.code, 'not_found');
    const page = await new Client(ctx.server.url).post('/settings/apps/new/extra', { body: 'x', headers: { 'content-type': 'text/plain', accept: 'text/html' } });
    assert.equal(page.status, 404);
    assert.match(page.headers.get('content-type')!, /text\/html/);
  });
});
