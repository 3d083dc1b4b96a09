// The discovery documents, built from the configuration and the registries: authorization server
// metadata (RFC 8414) and OpenID Provider metadata (OpenID Connect Discovery 1.0 section 3).
import type { Config } from '../config.ts';
import { IDENTITY_SCOPES } from '../domain/scopes.ts';
import { AUTH_METHODS } from './client-auth.ts';
import { GRANT_TYPES } from './grants/index.ts';
import { SIGNING_ALG } from './signing-keys.ts';

export function serverMetadata(config: Config) {
  const origin = config.publicOrigin;
  return {
    issuer: config.issuer,
    authorization_endpoint: `${origin}/oauth/authorize`,
    token_endpoint: `${origin}/oauth/token`,
    revocation_endpoint: `${origin}/oauth/revoke`,
    introspection_endpoint: `${origin}/oauth/introspect`,
    jwks_uri: `${origin}/oauth/jwks`,
    userinfo_endpoint: `${origin}/oauth/userinfo`,
    ...(config.dynamicRegistration !== 'off' && { registration_endpoint: `${origin}/oauth/register` }),
    device_authorization_endpoint: `${origin}/oauth/device_authorization`,
    scopes_supported: [...IDENTITY_SCOPES, ...config.scopes.map((s) => s.name)],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [...GRANT_TYPES],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: [...AUTH_METHODS],
    revocation_endpoint_auth_methods_supported: [...AUTH_METHODS],
    // A resource server is a confidential client: introspection takes no public clients. (A PAT as a
    // Bearer token works too, but is no registered auth method name, so it is not listed.)
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${origin}/api/docs`,
  };
}

export function openidConfiguration(config: Config) {
  return {
    ...serverMetadata(config),
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [SIGNING_ALG],
    prompt_values_supported: ['none', 'login', 'consent'],
    claims_supported: ['sub', 'iss', 'aud', 'azp', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash', 'name', 'picture', 'email', 'email_verified'],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  };
}
