// The pages over plain HTTP: where signed-out visitors go, how forged or malformed posts are refused
// (always a page with one sentence, never a stack trace), and the small rules behind the pages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, newUser } from '../helpers/client.ts';
import { forEachDatabase } from '../helpers/server.ts';
import { newApp } from '../helpers/oauth.ts';
import { safeReturnPath } from '../../src/ui/forms.ts';
import { appLogo, scopeSummary } from '../../src/ui/components.ts';
import { parseScopeList } from '../../src/domain/scopes.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function writeScopesFile(list: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'steep-scopes-')), 'scopes.json');
  writeFileSync(file, JSON.stringify(list));
  return file;
}

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('page helpers', () => {
  it('safeReturnPath keeps same-origin paths and refuses everything else', () => {
    for (const good of ['/settings/tokens', '/api/oauth/authorize?client_id=a&scope=a%20b', '/oauth/decision?transaction_id=stp_tx_x']) {
      assert.equal(safeReturnPath(good), good);
    }
    const dotted = ['/.//evil.example', '/..//evil.example', '/%2e//evil.example', '/%2e%2e//evil.example/x', '/a/..//evil.example'];
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', '\\\\evil.example', 'javascript:alert(1)', '/\t/evil.example', ' /x', '', 42, undefined, ...dotted]) {
      assert.equal(safeReturnPath(bad), '/settings/apps', String(bad));
    }
  });

  it('shows a logo only for an http(s) URL, escaped', () => {
    assert.match(appLogo('https://cdn.example/logo.png?a=1&b="x"', 'App').value, /<img [^>]*src="https:\/\/cdn\.example\/logo\.png\?a=1&amp;b=&quot;x&quot;"/);
    for (const logo of ['javascript:alert(1)', 'data:image/png;base64,AAAA', 'logo.png', '']) {
      assert.doesNotMatch(appLogo(logo, 'App').value, /<img/, logo);
    }
  });

  it('a custom scope without words shows its raw name; one with words is grouped', () => {
    const list = parseScopeList(['bare|scope', { name: 'doc|read', resource: 'Documents', action: 'read' }]);
    const text = scopeSummary(list, ['bare|scope', 'doc|read']).value.replace(/<[^>]+>/g, '');
    assert.match(text, /bare\|scope: bare\|scope/);
    assert.match(text, /Documents: read/);
  });
});

forEachDatabase('pages over HTTP', (ctx) => {
  it('sends signed-out visitors to sign-in with the page to come back to', async () => {
    const reply = await new Client(ctx.server.url).get('/settings/apps?x=1');
    assert.equal(reply.status, 303);
    assert.equal(reply.headers.get('location'), '/auth/login?redirect=%2Fsettings%2Fapps%3Fx%3D1');
    assert.equal((await new Client(ctx.server.url).get('/')).headers.get('location'), '/settings/apps');
  });

  it('pages carry the strict CSP, no-store, and stay out of the API document', async () => {
    const reply = await new Client(ctx.server.url).get('/auth/login');
    assert.equal(reply.status, 200);
    assert.match(reply.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(reply.headers.get('cache-control'), 'no-store');
    assert.doesNotMatch(reply.text, /<script>|style="/, 'no inline scripts or styles');
    const doc = await new Client(ctx.server.url).get('/api/docs/json');
    assert.ok(!Object.keys(doc.body.paths).some((path) => path.startsWith('/settings') || path.startsWith('/auth/')));
  });

  it('refuses a post from another site, even with a valid token', async () => {
    const { client } = await newUser(ctx.server.url);
    const csrf = csrfOf((await client.get('/settings/tokens')).text);
    const forged = await client.post('/settings/tokens', { form: { csrf, name: 'x', scopes: 'record|read', expiredTime: '2999-01-01' }, headers: { origin: 'https://evil.example' } });
    assert.equal(forged.status, 403);
    assert.match(forged.headers.get('content-type') ?? '', /text\/html/);
    const ok = await client.post('/settings/tokens', { form: { csrf, name: 'x', scopes: 'record|read', expiredTime: '2999-01-01' }, headers: { origin: ctx.server.url } });
    assert.equal(ok.status, 303);
    assert.match((await client.get('/settings/tokens')).text, /stp_pat_/);
  });

  it('refuses a sign-in post without the pre-session cookie, and malformed bodies with a page', async () => {
    const client = new Client(ctx.server.url);
    const noCookie = await client.post('/auth/login', { form: { email: 'a@example.com', password: 'x', csrf: 'x' } });
    assert.equal(noCookie.status, 403);
    const plain = await client.post('/auth/login', { body: 'hello', headers: { 'content-type': 'text/plain' } });
    assert.equal(plain.status, 415);
    assert.match(plain.text, /<h1>Unsupported form<\/h1>/);
    const huge = await client.post('/auth/login', { form: { email: 'x'.repeat(70_000) } });
    assert.equal(huge.status, 413);
    assert.match(huge.text, /more than 64 KiB/);
  });

  it("another person's app is a 404 page, and a tampered scope is a field error", async () => {
    const app = await newApp(ctx.server.url);
    const { client } = await newUser(ctx.server.url);
    const page = await client.get(`/settings/apps/${app.clientId}`);
    assert.equal(page.status, 404);
    assert.match(page.text, /No OAuth app with this client id exists for your account/);
    const csrf = csrfOf((await client.get('/settings/apps/new')).text);
    const tampered = await client.post('/settings/apps/new', {
      body: new URLSearchParams([['csrf', csrf], ['name', 'A'], ['homepage', 'https://a.example'], ['redirectUris', 'https://a.example/cb'], ['scopes', 'root|everything']]).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ctx.server.url },
    });
    assert.equal(tampered.status, 400);
    assert.match(tampered.text, /id="scopes-error">Permissions is not one of the allowed values\./);
    const deleteOther = await client.post(`/settings/apps/${app.clientId}/delete`, { form: { csrf }, headers: { origin: ctx.server.url } });
    assert.equal(deleteOther.status, 404);
    assert.equal((await app.owner.client.get(`/api/oauth/client/${app.clientId}`)).status, 200, 'the app is still there');
  });

  it('sends a signed-in visitor of /auth/login only to a path on this site, whatever the dot segments', async () => {
    const { client } = await newUser(ctx.server.url);
    for (const redirect of ['/.//evil.example', '/%2e%2e//evil.example/x', '/settings/tokens']) {
      const reply = await client.get(`/auth/login?redirect=${encodeURIComponent(redirect)}`);
      assert.equal(reply.status, 303);
      assert.equal(reply.headers.get('location'), redirect === '/settings/tokens' ? redirect : '/settings/apps');
    }
  });

  it('answers a JSON post to a page with a page, not a 500', async () => {
    const signedOut = new Client(ctx.server.url);
    await signedOut.get('/auth/login');
    const reply = await signedOut.post('/auth/login', { json: { csrf: 5, email: 5, password: {} }, headers: { origin: ctx.server.url } });
    assert.equal(reply.status, 403);
    assert.match(reply.headers.get('content-type') ?? '', /text\/html/);
  });

  it('gives typed-in page URLs a page: the secret URL leads back to the app, sign-out asks first, unknown paths are an HTML 404', async () => {
    const { client } = await newUser(ctx.server.url);
    const created = await client.post('/api/oauth/client', { json: { name: 'a', homepage: 'https://a.example', redirectUris: ['https://a.example/cb'] } });
    const secrets = await client.get(`/settings/apps/${created.body.clientId}/secrets`);
    assert.equal(secrets.status, 303);
    assert.equal(secrets.headers.get('location'), `/settings/apps/${created.body.clientId}`);
    const signout = await client.get('/auth/signout');
    assert.equal(signout.status, 200);
    assert.match(signout.text, /<form method="post" action="\/auth\/signout"/);
    assert.equal((await client.get('/api/auth/user/me')).status, 200, 'a GET never signs out');
    for (const path of ['/settings/nope', '/auth/nope', '/oauth/decision/x']) {
      const missing = await client.get(path);
      assert.equal(missing.status, 404, path);
      assert.match(missing.headers.get('content-type') ?? '', /text\/html/, path);
    }
    assert.match((await client.get('/api/nope')).headers.get('content-type') ?? '', /json/);
  });

  it('lets only the sign-in and consent pages post forms off-site (CSP form-action)', async () => {
    const { client } = await newUser(ctx.server.url);
    assert.match((await client.get('/settings/apps')).headers.get('content-security-policy') ?? '', /form-action 'self';/);
    assert.match((await new Client(ctx.server.url).get('/auth/login')).headers.get('content-security-policy') ?? '', /form-action 'self' https: http:;/);
  });
});

forEachDatabase('pages with a custom scope list', (ctx) => {
  it('gives every scope checkbox its own id and label, even for look-alike names', async () => {
    const { client } = await newUser(ctx.server.url);
    const page = (await client.get('/settings/tokens')).text;
    const ids = [...page.matchAll(/<input type="checkbox" id="([^"]+)" name="scopes" value="([^"]+)"/g)];
    assert.deepEqual(ids.map((m) => m[2]), ['files.read', 'files_read']);
    assert.equal(new Set(ids.map((m) => m[1])).size, 2);
    for (const [, id] of ids) assert.equal(page.split(`for="${id}"`).length, 2, `one label for ${id}`);
  });
}, { STEEP_SCOPES_FILE: writeScopesFile([{ name: 'files.read', resource: 'Files', action: 'read' }, { name: 'files_read', resource: 'Files', action: 'read (legacy)' }]) });
