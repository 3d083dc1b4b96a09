// Every route the running app serves, read from Fastify's own route tree, so routes added later are
// fuzzed without anyone listing them here.
import type { FastifyInstance } from 'fastify';

export interface RouteEntry {
  /** The pattern, with `:name` parameters: `/api/oauth/client/:clientId/secret`. */
  path: string;
  methods: string[];
}

/** Parses `printRoutes({ commonPrefix: false })`: each line is a path segment under its parent's, by indentation. */
export function listRoutes(app: FastifyInstance): RouteEntry[] {
  const parents: string[] = [];
  const routes: RouteEntry[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    const path = (depth === 0 ? '' : parents[depth - 1]) + match[2];
    parents[depth] = path;
    parents.length = depth + 1;
    // HEAD rides on every GET; the fuzzer sends it as one of its odd methods.
    if (match[3]) routes.push({ path, methods: match[3].split(', ').filter((m) => m !== 'HEAD') });
  }
  if (routes.length < 10) throw new Error(`could not read the route tree:\n${app.printRoutes({ commonPrefix: false })}`);
  return routes;
}
