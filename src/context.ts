// Everything a request handler needs, built once per process and passed down: config, clock, database, stores.
import type { Config } from './config.ts';
import { type Clock, systemClock } from './domain/clock.ts';
import { type Log, stderrLog } from './domain/log.ts';
import { SecretHasher } from './domain/secrets.ts';
import { type Db, openDatabase } from './store/db.ts';
import { UserStore } from './store/users.ts';
import { PersonalTokenStore } from './store/personal-tokens.ts';
import { AppStore } from './store/apps.ts';
import { TokenStore } from './store/tokens.ts';
import { TransactionStore } from './store/transactions.ts';
import { CodeStore } from './store/codes.ts';
import { GrantStore } from './store/grants.ts';
import { DeviceCodeStore } from './store/device-codes.ts';
import { ConsentStore } from './store/consents.ts';
import { PageNoteStore } from './store/page-notes.ts';
import { UsageRecorder } from './store/usage.ts';
import { Sealer } from './domain/seal.ts';
import { SigningKeyStore } from './store/signing-keys.ts';
import { KeyRing } from './oauth/signing-keys.ts';
import { type OnLimited, RateLimiter } from './services/rate-limiter.ts';
import { DatabaseCounters } from './store/counters.ts';
import { RedisCounters } from './store/redis-counters.ts';
import { AuditStore } from './store/audit.ts';
import { EventSink } from './events/events.ts';
import { auditConsumer } from './events/audit-log.ts';
import { Metrics } from './events/metrics.ts';

export interface Steep {
  config: Config;
  clock: Clock;
  db: Db;
  hasher: SecretHasher;
  usage: UsageRecorder;
  users: UserStore;
  personalTokens: PersonalTokenStore;
  apps: AppStore;
  tokens: TokenStore;
  transactions: TransactionStore;
  codes: CodeStore;
  grants: GrantStore;
  deviceCodes: DeviceCodeStore;
  consents: ConsentStore;
  /** One-time notes for the pages (flash messages, a secret shown once), shared by every process. */
  pageNotes: PageNoteStore;
  audit: AuditStore;
  /** The event seam: services emit security events; the audit log and the metrics subscribe. */
  events: EventSink;
  metrics: Metrics;
  /** The JWS signing keys, shared by every process through the database. */
  keys: KeyRing;
  /** Every rate limit, counted where every process sees it (the database, or Redis). */
  limits: RateLimiter;
}

/**
 * `log` receives what the store reports outside any request (a dropped connection, a failed background
 * write); `onLimited` hears every request a rate limit refuses, by the limit's name (metrics, audit).
 */
export function createSteep(config: Config, options: { clock?: Clock; db?: Db; log?: Log; onLimited?: OnLimited } = {}): Steep {
  const log = options.log ?? stderrLog;
  const db = options.db ?? openDatabase(config.database, config.databaseWaitMs, log);
  const clock = options.clock ?? systemClock;
  const hasher = new SecretHasher(config.secret);
  const counters = config.redisUrl ? new RedisCounters(config.redisUrl, config.databaseWaitMs, log) : new DatabaseCounters(db);
  const audit = new AuditStore(db);
  const metrics = new Metrics();
  const events = new EventSink(() => clock.now());
  events.subscribe(auditConsumer(audit));
  events.subscribe(metrics.consumer);
  return {
    config,
    clock,
    db,
    hasher,
    usage: new UsageRecorder(db, log),
    users: new UserStore(db),
    personalTokens: new PersonalTokenStore(db),
    apps: new AppStore(db),
    tokens: new TokenStore(db),
    transactions: new TransactionStore(db),
    codes: new CodeStore(db),
    grants: new GrantStore(db),
    deviceCodes: new DeviceCodeStore(db),
    consents: new ConsentStore(db),
    pageNotes: new PageNoteStore(db),
    // A retired key is published as long as the longest-lived JWT it signed (access and id tokens), plus clock skew.
    keys: new KeyRing(new SigningKeyStore(db), new Sealer(config.secret, 'signing-keys'), clock, (config.ttl.accessToken + 300) * 1000),
    limits: new RateLimiter(counters, config.rateLimits, clock, (name, key) => `${name}:${hasher.hash(`rate-limit ${name} ${key}`)}`, (name) => {
      metrics.rateLimited(name);
      options.onLimited?.(name);
    }),
    audit,
    events,
    metrics,
  };
}

export async function closeSteep(steep: Steep): Promise<void> {
  await steep.usage.flush();
  await steep.limits.close();
  await steep.db.destroy();
}
