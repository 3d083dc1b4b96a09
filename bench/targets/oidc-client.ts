// The one client configured in the oidc-provider target (shared by that process and the bench, which drives it).
export const OIDC_CLIENT_ID = 'bench-client';
export const OIDC_CLIENT_SECRET = 'bench-client-secret-bench-client-secret';
