// The rate limits Steep enforces, each with its setting and its default: N hits per window, counted
// per key (an address, a user, a client) in counters every process shares (see store/counters.ts).
// Defaults are for a real deployment: far above what a person or a well-behaved client does, far
// below what a guesser or a flood needs.

export interface Limit {
  /** Hits allowed within one window; the next one is refused until the window ends. */
  max: number;
  windowMs: number;
}

interface LimitSpec {
  env: string;
  /** "N/S": N hits per S seconds. */
  fallback: string;
  /** What was counted, for the 429's sentence: "Too many <what>; try again in N seconds." */
  what: string;
}

export const LIMITS = {
  clientAuthIp: { env: 'STEEP_LIMIT_CLIENT_AUTH_IP', fallback: '30/900', what: 'failed client authentications from this address' },
  clientAuthClient: { env: 'STEEP_LIMIT_CLIENT_AUTH_CLIENT', fallback: '300/900', what: 'failed authentications for this client' },
  grantIp: { env: 'STEEP_LIMIT_GRANT_IP', fallback: '30/900', what: 'unknown codes or refresh tokens from this address' },
  bearerIp: { env: 'STEEP_LIMIT_BEARER_IP', fallback: '60/900', what: 'unknown Bearer tokens from this address' },
  authorizeUser: { env: 'STEEP_LIMIT_AUTHORIZE_USER', fallback: '300/3600', what: 'authorization requests for this account' },
  decisionUser: { env: 'STEEP_LIMIT_DECISION_USER', fallback: '30/900', what: 'unknown or expired authorization requests for this account' },
  appCreateUser: { env: 'STEEP_LIMIT_APP_CREATE_USER', fallback: '30/3600', what: 'apps created by this account' },
  secretCreateUser: { env: 'STEEP_LIMIT_SECRET_CREATE_USER', fallback: '30/3600', what: 'client secrets created by this account' },
  signupIp: { env: 'STEEP_LIMIT_SIGNUP_IP', fallback: '20/3600', what: 'sign-ups from this address' },
  signInAccountIp: { env: 'STEEP_LIMIT_SIGNIN_ACCOUNT_IP', fallback: '10/900', what: 'failed sign-in attempts for this account from this address' },
  signInIp: { env: 'STEEP_LIMIT_SIGNIN_IP', fallback: '100/900', what: 'failed sign-in attempts from this address' },
  deviceCodeUser: { env: 'STEEP_LIMIT_DEVICE_CODE_USER', fallback: '10/900', what: 'wrong device codes for this account' },
  deviceCodeIp: { env: 'STEEP_LIMIT_DEVICE_CODE_IP', fallback: '30/900', what: 'wrong device codes from this address' },
  registerIp: { env: 'STEEP_LIMIT_REGISTER_IP', fallback: '20/3600', what: 'client registrations from this address' },
} as const satisfies Record<string, LimitSpec>;

export type LimitName = keyof typeof LIMITS;

/** Every limit's setting; null where the operator turned it off. */
export type RateLimits = Record<LimitName, Limit | null>;

/** "N/S" (N hits per S seconds) or "off"; a string saying what is wrong otherwise. */
export function parseLimit(value: string): Limit | null | string {
  if (value.trim() === 'off') return null;
  const match = /^\s*(\d{1,9})\s*\/\s*(\d{1,9})\s*$/.exec(value);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) return 'must be "N/S" (N hits per S seconds, both at least 1) or "off"';
  return { max: Number(match[1]), windowMs: Number(match[2]) * 1000 };
}

/** Reads every limit from the environment; problems come back one line each. */
export function parseRateLimits(env: NodeJS.ProcessEnv): { limits: RateLimits; problems: string[] } {
  const limits = {} as RateLimits;
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(LIMITS) as [LimitName, LimitSpec][]) {
    const parsed = parseLimit(env[spec.env] ?? spec.fallback);
    if (typeof parsed === 'string') problems.push(`${spec.env}: ${parsed}`);
    else limits[name] = parsed;
  }
  return { limits, problems };
}
