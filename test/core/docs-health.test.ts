// The generated OpenAPI document, its readable page, and the health probes.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Client } from '../helpers/client.ts';
import { forEachDatabase, startTestServer } from '../helpers/server.ts';
import { seedRequestSchema } from '../helpers/seed.ts';

forEachDatabase('docs and health', (ctx) => {
  it('serves an OpenAPI 3 document whose create-app body carries the seed\'s fields and enum', async () => {
    const doc = await new Client(ctx.server.url).get('/api/docs/json');
    assert.equal(doc.status, 200);
    assert.match(doc.body.openapi, /^3\./);
    const create = doc.body.paths['/api/oauth/client'].post;
    const { $ref } = create.requestBody.content['application/json'].schema;
    assert.equal($ref, '#/components/schemas/OAuthAppCreate');
    const schema = doc.body.components.schemas.OAuthAppCreate;
    // The seed's fields, plus Part 2's two optional ones (API.md "Client kinds and grants").
    assert.deepEqual(Object.keys(schema.properties).sort(), [...Object.keys(seedRequestSchema.properties), 'clientType', 'grantTypes'].sort());
    assert.deepEqual(schema.properties.scopes.items.enum, seedRequestSchema.properties.scopes.items.enum);
    assert.deepEqual([...schema.required].sort(), [...seedRequestSchema.required].sort());
    assert.ok(create.responses['201']);
    for (const path of ['/api/auth/signup', '/api/auth/signin', '/api/access-token', '/api/oauth/client/{clientId}/secret']) {
      assert.ok(doc.body.paths[path], `${path} is documented`);
    }
  });

  it('serves the reference page from the package itself, under the strict CSP, and health probes', async () => {
    const page = await new Client(ctx.server.url).get('/api/docs');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /text\/html/);
    assert.match(page.headers.get('content-security-policy')!, /script-src 'self';/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(assets.some((src) => src.endsWith('/swagger-ui-bundle.js')));
    for (const asset of assets) {
      assert.ok(asset.startsWith('/api/docs/static/'), `${asset} is served by Steep`);
      assert.equal((await new Client(ctx.server.url).get(asset)).status, 200, asset);
    }
    assert.deepEqual((await new Client(ctx.server.url).get('/healthz')).body, { status: 'ok' });
    assert.deepEqual((await new Client(ctx.server.url).get('/readyz')).body, { status: 'ok' });
  });
});

it('answers /readyz 503 when the database is unreachable, while /healthz stays 200', async () => {
  const server = await startTestServer('sqlite');
  try {
    await server.steep.db.destroy();
    const ready = await new Client(server.url).get('/readyz');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.status, 'unavailable');
    assert.equal((await new Client(server.url).get('/healthz')).status, 200);
  } finally {
    await server.close(); // a second destroy of the database is harmless
  }
});
