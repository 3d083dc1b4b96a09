// Checks real responses against the OpenAPI document the server serves: the status must be documented
// for that operation, and the body must validate (ajv, JSON Schema 2020-12, as OpenAPI 3.1 says)
// against the schema documented for it. So the document cannot drift from what is sent.
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Reply } from './client.ts';

const pointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

export class Contract {
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true });
  /** Operation and status pairs checked so far, for the coverage assertion. */
  readonly checked = new Set<string>();

  constructor(readonly document: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> }) {
    this.#ajv.addFormat('uri', (value: string) => URL.canParse(value));
    this.#ajv.addSchema(document, 'openapi.json');
  }

  /** Asserts that `reply`, the answer to `method path` (path as documented: /api/oauth/client/{clientId}), is as documented. */
  check(method: string, path: string, reply: Reply): Reply {
    const operation = this.document.paths[path]?.[method.toLowerCase()];
    assert.ok(operation, `${method} ${path} is documented`);
    // `default` covers what no route lists one by one: 503 (the database) and 500.
    const status = String(reply.status) in operation.responses ? String(reply.status) : reply.status >= 500 ? 'default' : undefined;
    assert.ok(status, `${method} ${path} documents status ${reply.status} (it answered ${reply.text.slice(0, 200)})`);
    this.checked.add(`${method.toUpperCase()} ${path} ${reply.status}`);
    const content = operation.responses[status].content;
    if (!content) {
      assert.equal(reply.text, '', `${method} ${path} ${reply.status} is documented without a body`);
      return reply;
    }
    assert.match(reply.headers.get('content-type') ?? '', /^application\/json/, `${method} ${path} ${reply.status} answers JSON`);
    const ref = `openapi.json#/paths/${pointer(path)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
    const validate = this.#ajv.getSchema(ref);
    assert.ok(validate, `${ref} compiles`);
    assert.ok(validate(reply.body), `${method} ${path} ${reply.status}: ${this.#ajv.errorsText(validate.errors)} in ${JSON.stringify(reply.body).slice(0, 400)}`);
    return reply;
  }
}
