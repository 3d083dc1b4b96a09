// Reads the seed page (Teable's POST /oauth/client doc) kept unchanged in test/fixtures.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const text = readFileSync(new URL('../fixtures/teable-post-oauth-client.seed.txt', import.meta.url), 'utf8');
const yamlBlock = /````yaml[^\n]*\n([\s\S]*?)````/.exec(text)?.[1];
if (!yamlBlock) throw new Error('the seed has no OpenAPI yaml block');

export const seedOpenApi = parse(yamlBlock);
export const seedOperation = seedOpenApi.paths['/oauth/client'].post;
export const seedRequestSchema = seedOperation.requestBody.content['application/json'].schema;
export const seedResponseSchema = seedOperation.responses['201'].content['application/json'].schema;
export const seedSamples: Record<string, string> = Object.fromEntries(
  seedOperation['x-codeSamples'].map((sample: { lang: string; source: string }) => [sample.lang, sample.source]),
);
