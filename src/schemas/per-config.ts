// One schema instance per server configuration: the API route, the pages and the OpenAPI document
// (which names schemas by instance) must all hold the same one, and a process may run several servers.
import type { Config } from '../config.ts';

export function perConfig<T>(build: (config: Config) => T): (config: Config) => T {
  const built = new WeakMap<Config, T>();
  return (config) => {
    let schema = built.get(config);
    if (schema === undefined) built.set(config, (schema = build(config)));
    return schema;
  };
}

/** The configured scope names, as a zod enum needs them. */
export const scopeNames = (config: Config) => config.scopes.map((s) => s.name) as [string, ...string[]];
