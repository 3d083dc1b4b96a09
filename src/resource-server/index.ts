// steep/resource-server: what an API needs to accept Steep's access tokens (API.md Part 2,
// "Resource servers"). Self-contained: it imports nothing from the rest of Steep.
export { createVerifier } from './verifier.ts';
export { fastifyResourceServer } from './fastify.ts';
export {
  AuthorizationServerUnavailable,
  type Claims,
  type IntrospectionOptions,
  type ProtectedResourceMetadata,
  type Verdict,
  type Verifier,
  type VerifierOptions,
} from './types.ts';
