// The API reference page in real Chromium: Swagger UI renders the operations from the package's own
// files, under Steep's Content-Security-Policy, with nothing fetched from another site.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { mkdirSync } from 'node:fs';
import { launchBrowser, newPage } from '../helpers/browser.ts';

describe('API reference page in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer('sqlite');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders every operation and the schemas with no CSP violation, console error or outside request', async () => {
    mkdirSync('test-artifacts/screenshots', { recursive: true });
    const page = await newPage(browser);
    // Swagger UI is 1.6 MB of script to parse and render: on a loaded machine that outlasts the 5 s our own pages get.
    page.context().setDefaultTimeout(60_000);
    const problems: string[] = [];
    const outside: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) outside.push(request.url());
    });
    // A violation is also reported as an event in the page; record it before any script runs.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP: ${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
    });
    const response = await page.goto(`${server.url}/api/docs`);
    assert.match(response!.headers()['content-security-policy'], /script-src 'self'; /);
    await page.locator('.opblock').first().waitFor();

    const documented = await (await fetch(`${server.url}/api/docs/json`)).json();
    const operations = Object.values(documented.paths as Record<string, object>).reduce((n, ops) => n + Object.keys(ops).length, 0);
    assert.equal(await page.locator('.opblock').count(), operations, 'one block per documented operation');
    assert.ok(await page.getByText('Create an OAuth app').isVisible());
    assert.match(await page.locator('section.models').innerText(), /OAuthAppCreate/);

    // Opening an operation shows its body encodings, statuses and the seed's sample body.
    await page.locator('#operations-oauth-post_api_oauth_client .opblock-summary').click();
    await page.locator('#operations-oauth-post_api_oauth_client .responses-table').first().waitFor();
    const block = page.locator('#operations-oauth-post_api_oauth_client');
    assert.match(await block.innerText(), /The created OAuth app/);
    assert.match(await block.innerText(), /http:\/\/example\.com/);

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: 'test-artifacts/screenshots/api-docs-1280.png' });
    assert.deepEqual(problems, []);
    assert.deepEqual(outside, []);
  });
});
