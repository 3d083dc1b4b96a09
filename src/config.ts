// Environment -> one typed, validated config object. Invalid settings fail fast with one line each.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { type RateLimits, parseRateLimits } from './domain/rate-limits.ts';
import { type ResourceServer, parseResourceList } from './domain/resources.ts';
import { DEFAULT_SCOPES, type ScopeInfo, parseScopeList } from './domain/scopes.ts';

export type DatabaseTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  /** PUBLIC_ORIGIN without a trailing slash: the base every absolute URL is built on. */
  publicOrigin: string;
  /** PUBLIC_ORIGIN exactly as configured (RFC 8414 compares issuers as strings). */
  issuer: string;
  database: DatabaseTarget;
  /** How long a request may wait on the database (connect, statement, locked file), ms. */
  databaseWaitMs: number;
  /** How long SIGTERM waits for in-flight requests before closing their connections, ms. */
  shutdownTimeoutMs: number;
  secret: string;
  /** Lifetimes in seconds. */
  ttl: { accessToken: number; refreshToken: number; code: number; transaction: number; consent: number; session: number; deviceCode: number };
  /** Seconds after a rotation during which the spent refresh token may be presented again (0: strict). */
  refreshReuseGrace: number;
  scopes: ScopeInfo[];
  /** Declared resource servers (STEEP_RESOURCES_FILE); tokens for one of them are JWTs (RFC 9068). */
  resources: ResourceServer[];
  requireHttpsRedirects: boolean;
  /** Who may register a client at /oauth/register (RFC 7591): nobody, anyone, or holders of a PAT. */
  dynamicRegistration: 'off' | 'open' | 'token';
  /** Whether anyone may create an account (sign-up page and API); when closed, accounts come from `steep users create`. */
  signup: 'open' | 'closed';
  /** Seconds a self-registered app nobody authorized is kept before the sweep removes it. */
  unusedDynamicClientTtl: number;
  /** Fastify's trustProxy: whose X-Forwarded-For to believe (rate limits are per client IP). */
  trustProxy: boolean | string;
  /** Every rate limit (STEEP_LIMIT_*); null where turned off. */
  rateLimits: RateLimits;
  /** Where the rate-limit counters live when not in the database (STEEP_REDIS_URL). */
  redisUrl: string | undefined;
  /** True when PUBLIC_ORIGIN is https: session cookies get the Secure flag, and answers carry HSTS. */
  secureCookies: boolean;
  /** Strict-Transport-Security max-age in seconds under an https PUBLIC_ORIGIN (STEEP_HSTS_MAX_AGE; 0 tells browsers to forget it). */
  hstsMaxAge: number;
  logLevel: string;
  /** Days an audit event is kept before the sweep deletes it. */
  auditRetentionDays: number;
  /** GET /metrics: off, or on for loopback callers only (token null) or for holders of the token from anywhere. */
  metrics: { enabled: boolean; token: string | null };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

const seconds = (fallback: number) => z.coerce.number().int().positive().max(10 * 365 * 86400).default(fallback);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_ORIGIN: z
    .url({ protocol: /^https?$/ })
    .refine((value) => originOnly(value), 'must be an origin only (scheme, host and port): Steep serves every route at the root, so a path, query or fragment would advertise endpoints that do not exist')
    .optional(),
  STEEP_DATABASE_TIMEOUT: z.coerce.number().int().min(50).max(600_000).default(5000),
  STEEP_SHUTDOWN_TIMEOUT: z.coerce.number().min(0).max(3600).default(10),
  STEEP_HSTS_MAX_AGE: z.coerce.number().int().min(0).max(63_072_000).default(31_536_000),
  DATABASE_URL: z.string().min(1).default('./data/steep.db').superRefine((value, ctx) => {
    const problem = databaseUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  STEEP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  STEEP_ACCESS_TOKEN_TTL: seconds(600),
  STEEP_REFRESH_TOKEN_TTL: seconds(2_592_000),
  STEEP_CODE_TTL: seconds(300),
  STEEP_TRANSACTION_TTL: seconds(300),
  STEEP_CONSENT_TTL: seconds(604_800),
  STEEP_SESSION_TTL: seconds(1_209_600),
  STEEP_DEVICE_CODE_TTL: seconds(600),
  STEEP_REFRESH_REUSE_GRACE: z.coerce.number().int().min(0).max(3600).default(0),
  STEEP_SCOPES_FILE: z.string().min(1).optional(),
  STEEP_RESOURCES_FILE: z.string().min(1).optional(),
  STEEP_DYNAMIC_REGISTRATION: z.enum(['off', 'open', 'token']).default('off'),
  STEEP_DYNAMIC_CLIENT_TTL: seconds(86_400),
  STEEP_SIGNUP: z.enum(['open', 'closed']).default('open'),
  STEEP_REQUIRE_HTTPS_REDIRECTS: z.enum(['true', 'false', '1', '0']).default('false'),
  STEEP_TRUST_PROXY: z
    .string()
    .regex(/^(true|false|[0-9a-fA-F.:/, ]+)$/, 'must be true, false, or a comma-separated list of proxy addresses or CIDR ranges')
    .default('false'),
  STEEP_REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL').optional(),
  STEEP_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  STEEP_METRICS: z.enum(['on', 'off']).default('on'),
  STEEP_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** "https://id.example" or "https://id.example/" — nothing after the authority. */
function originOnly(value: string): boolean {
  const url = new URL(value);
  return url.pathname === '/' && url.search === '' && url.hash === '' && !/[?#]/.test(value);
}

const DATABASE_SCHEMES = ['postgres', 'postgresql', 'sqlite', 'file'];

/** Edit distance, to tell "postgress://" (a typo worth naming) from "mysql://" (another database). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** A "scheme://" Steep cannot honour would otherwise be taken for a SQLite file path: refuse it, naming the likely typo. */
function databaseUrlProblem(value: string): string | null {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1].toLowerCase();
  if (scheme === undefined || DATABASE_SCHEMES.includes(scheme)) return null;
  const nearest = DATABASE_SCHEMES.find((known) => distance(scheme, known) <= 2);
  return `${scheme}:// is not a database Steep supports${nearest ? ` (did you mean ${nearest}://?)` : ''}; use postgres://… for PostgreSQL, or a SQLite file path (sqlite:PATH, file:PATH or a plain path)`;
}

export function parseDatabaseUrl(value: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: 'postgres', url: value };
  const path = value.replace(/^(sqlite|file):(\/\/)?/, '');
  return { kind: 'sqlite', path };
}

/** Reads STEEP_SECRET, or the key file beside a SQLite database, creating it on first start. */
function resolveSecret(given: string | undefined, database: DatabaseTarget, log: (line: string) => void): string {
  if (given) return given;
  const keyFile = join(database.kind === 'sqlite' && database.path !== ':memory:' ? dirname(database.path) : './data', 'steep.key');
  if (existsSync(keyFile)) return readFileSync(keyFile, 'utf8').trim();
  mkdirSync(dirname(keyFile), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(keyFile, secret + '\n', { mode: 0o600 });
  log(`STEEP_SECRET is not set: generated a server key in ${keyFile}; keep that file, or every token stops working.`);
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.error): Config {
  const parsed = envSchema.safeParse(env);
  const { limits: rateLimits, problems: limitProblems } = parseRateLimits(env);
  if (!parsed.success || limitProblems.length) {
    throw new ConfigError([...(parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? []), ...limitProblems]);
  }
  const e = parsed.data;
  let scopes = DEFAULT_SCOPES;
  if (e.STEEP_SCOPES_FILE) {
    try {
      scopes = parseScopeList(JSON.parse(readFileSync(e.STEEP_SCOPES_FILE, 'utf8')));
    } catch (error) {
      throw new ConfigError([`STEEP_SCOPES_FILE: ${(error as Error).message}`]);
    }
  }
  let resources: ResourceServer[] = [];
  if (e.STEEP_RESOURCES_FILE) {
    try {
      resources = parseResourceList(JSON.parse(readFileSync(e.STEEP_RESOURCES_FILE, 'utf8')), scopes.map((s) => s.name));
    } catch (error) {
      throw new ConfigError([`STEEP_RESOURCES_FILE: ${(error as Error).message}`]);
    }
  }
  const database = parseDatabaseUrl(e.DATABASE_URL);
  const issuer = e.PUBLIC_ORIGIN ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`;
  const publicOrigin = issuer.replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    publicOrigin,
    issuer,
    database,
    databaseWaitMs: e.STEEP_DATABASE_TIMEOUT,
    shutdownTimeoutMs: e.STEEP_SHUTDOWN_TIMEOUT * 1000,
    secret: resolveSecret(e.STEEP_SECRET, database, log),
    ttl: {
      accessToken: e.STEEP_ACCESS_TOKEN_TTL,
      refreshToken: e.STEEP_REFRESH_TOKEN_TTL,
      code: e.STEEP_CODE_TTL,
      transaction: e.STEEP_TRANSACTION_TTL,
      consent: e.STEEP_CONSENT_TTL,
      session: e.STEEP_SESSION_TTL,
      deviceCode: e.STEEP_DEVICE_CODE_TTL,
    },
    refreshReuseGrace: e.STEEP_REFRESH_REUSE_GRACE,
    scopes,
    resources,
    requireHttpsRedirects: e.STEEP_REQUIRE_HTTPS_REDIRECTS === 'true' || e.STEEP_REQUIRE_HTTPS_REDIRECTS === '1',
    dynamicRegistration: e.STEEP_DYNAMIC_REGISTRATION,
    unusedDynamicClientTtl: e.STEEP_DYNAMIC_CLIENT_TTL,
    signup: e.STEEP_SIGNUP,
    trustProxy: e.STEEP_TRUST_PROXY === 'true' ? true : e.STEEP_TRUST_PROXY === 'false' ? false : e.STEEP_TRUST_PROXY,
    rateLimits,
    redisUrl: e.STEEP_REDIS_URL,
    secureCookies: publicOrigin.startsWith('https:'),
    hstsMaxAge: e.STEEP_HSTS_MAX_AGE,
    logLevel: e.LOG_LEVEL,
    auditRetentionDays: e.STEEP_AUDIT_RETENTION_DAYS,
    metrics: { enabled: e.STEEP_METRICS === 'on', token: e.STEEP_METRICS_TOKEN ?? null },
  };
}
