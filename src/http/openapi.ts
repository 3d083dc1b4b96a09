// The OpenAPI 3.1 document, generated from the zod schemas that validate requests: named component
// schemas (each zod schema's meta id), a summary, security and every status on each operation, and
// both body encodings on the routes that take forms. Served by the reference page (ui/docs-page.ts).
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { z } from 'zod';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { Steep } from '../context.ts';
import { appBodySchema } from '../schemas/apps.ts';
import { personalTokenBodySchema } from '../schemas/personal-tokens.ts';

const BODY_TYPES = { json: 'application/json', form: 'application/x-www-form-urlencoded' };

type Document = { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };

/**
 * The component schemas for this server: every schema named by `.meta({ id })`. The two whose scope
 * enum comes from the configuration are built per server (schemas/per-config.ts), and zod's registry
 * keeps the last one built under a name, so this server's own instances are put back.
 */
function componentRegistry(steep: Steep) {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of z.globalRegistry._idmap) registry.add(schema, { id });
  for (const schema of [appBodySchema(steep.config), personalTokenBodySchema(steep.config)]) registry.add(schema, { id: z.globalRegistry.get(schema)!.id! });
  return registry;
}

const refsIn = (value: unknown): string[] => [...JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);

/**
 * Keeps the components the operations use (the registry holds every named schema in both an input
 * and an output form), and names request schemas without the "Input" suffix the transform adds.
 */
function usedComponents(document: Document): Document {
  const all = document.components.schemas;
  const used = new Set<string>();
  const pending = refsIn(document.paths);
  while (pending.length) {
    const name = pending.pop()!;
    if (used.has(name) || !all[name]) continue;
    used.add(name);
    pending.push(...refsIn(all[name]));
  }
  const rename = (name: string) => (name.endsWith('Input') && !used.has(name.slice(0, -5)) ? name.slice(0, -5) : name);
  // zod writes each as a standalone JSON Schema ($schema, and an $id that is only a fragment): inside the document both are noise.
  const schemas = Object.fromEntries([...used].sort().map((name) => {
    const { $schema: _schema, $id: _id, ...schema } = all[name] as Record<string, unknown>;
    return [rename(name), schema];
  }));
  const renamed = JSON.stringify({ ...document, components: { ...document.components, schemas } })
    .replace(/"#\/components\/schemas\/([^"]+)"/g, (_, name: string) => `"#/components/schemas/${rename(name)}"`);
  return JSON.parse(renamed);
}

export async function registerOpenApi(app: FastifyInstance, steep: Steep): Promise<void> {
  // Operations take names and descriptions from zod's global registry; the components come from this server's.
  const schemaTransform = createJsonSchemaTransform({ skipList: [] });
  const objectTransform = createJsonSchemaTransformObject({ schemaRegistry: componentRegistry(steep) });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Steep',
        version: '0.1.0',
        description: 'Self-hosted OAuth 2.1 server with a Teable-compatible OAuth app API. Routes under /api/ answer errors in Teable\'s shape ({message, status, code}); the protocol endpoints under /oauth/ in OAuth\'s ({error, error_description}).',
      },
      servers: [{ url: steep.config.publicOrigin }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A personal access token (stp_pat_…) or an OAuth access token (stp_at_…), as each route says' },
          clientBasic: { type: 'http', scheme: 'basic', description: 'client_id and client_secret (client_secret_basic); or send them in the body (client_secret_post), or client_id alone for a public client' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'steep_session', description: 'The browser session set by sign-in' },
        },
      },
    },
    // A route that takes forms (config.forms, which the content-type check obeys too) documents both encodings.
    transform: (input) => {
      const forms = input.route.config?.forms && input.schema?.body;
      return schemaTransform(forms ? { ...input, schema: { ...input.schema, consumes: [BODY_TYPES.json, BODY_TYPES.form] } } : input);
    },
    transformObject: (input) => usedComponents(objectTransform(input) as unknown as Document) as never,
  });
}
