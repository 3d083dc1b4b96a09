// The generated OpenAPI document, its readable page, and the health probes.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Client } from '../helpers/client.ts';
import { forEachDatabase, startTestServer } from '../helpers/server.ts';
import { seedRequestSchema, seedSamples } from '../helpers/seed.ts';

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

  it('gives every operation a summary, security and a described answer for each status, and names its schemas', async () => {
    const doc = (await new Client(ctx.server.url).get('/api/docs/json')).body;
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        const name = `${method.toUpperCase()} ${path}`;
        assert.ok(operation.summary, `${name} has a summary`);
        assert.ok(Array.isArray(operation.security), `${name} says which credentials it takes (none: [])`);
        for (const [status, response] of Object.entries(operation.responses as Record<string, { description: string }>)) {
          assert.ok(response.description && response.description !== 'Default Response', `${name} ${status} is described`);
        }
      }
    }
    for (const name of ['OAuthApp', 'OAuthAppCreate', 'Secret', 'NewSecret', 'Error', 'TokenRequest', 'TokenResponse', 'OAuthError', 'Introspection', 'PersonalToken', 'User']) {
      assert.ok(doc.components.schemas[name], `components.schemas.${name}`);
    }
    // The seed's curl sample body is the create body's example.
    const sample = JSON.parse(/--data '([^']+)'/.exec(seedSamples.Shell)![1]);
    assert.deepEqual(doc.components.schemas.OAuthAppCreate.examples[0], sample);
    // What real OAuth clients send: forms, and JSON too.
    for (const path of ['/oauth/token', '/oauth/revoke', '/oauth/introspect', '/oauth/device_authorization', '/api/oauth/access_token', '/api/oauth/decision']) {
      assert.deepEqual(Object.keys(doc.paths[path].post.requestBody.content).sort(), ['application/json', 'application/x-www-form-urlencoded'], path);
    }
    assert.deepEqual(Object.keys(doc.paths['/api/oauth/client'].post.requestBody.content), ['application/json']);
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
