// Authorization server metadata (RFC 8414), built from the configuration.
import type { Config } from '../config.ts';
import { AUTH_METHODS } from './client-auth.ts';
import { GRANT_TYPES } from './grants/index.ts';

export function serverMetadata(config: Config) {
  const origin = config.publicOrigin;
  return {
    issuer: config.issuer,
    authorization_endpoint: `${origin}/oauth/authorize`,
    token_endpoint: `${origin}/oauth/token`,
    revocation_endpoint: `${origin}/oauth/revoke`,
    introspection_endpoint: `${origin}/oauth/introspect`,
    device_authorization_endpoint: `${origin}/oauth/device_authorization`,
    scopes_supported: config.scopes.map((s) => s.name),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [...GRANT_TYPES],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: [...AUTH_METHODS],
    revocation_endpoint_auth_methods_supported: [...AUTH_METHODS],
    // A resource server is a confidential client (or a PAT): introspection takes no public clients.
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'bearer'],
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${origin}/api/docs`,
  };
}
