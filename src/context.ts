// Everything a request handler needs, built once per process and passed down: config, clock, database, stores.
import type { Config } from './config.ts';
import { type Clock, systemClock } from './domain/clock.ts';
import { SecretHasher } from './domain/secrets.ts';
import { DeviceVerification } from './oauth/device-verification.ts';
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
import { UsageRecorder } from './store/usage.ts';
import { SignIn } from './services/accounts.ts';
import { Sealer } from './domain/seal.ts';
import { SigningKeyStore } from './store/signing-keys.ts';
import { KeyRing } from './oauth/signing-keys.ts';
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
  audit: AuditStore;
  /** The event seam: services emit security events; the audit log and the metrics subscribe. */
  events: EventSink;
  metrics: Metrics;
  /** The JWS signing keys, shared by every process through the database. */
  keys: KeyRing;
  /** Sign-in with its failure limits, shared by the API and the sign-in page. */
  signIn: SignIn;
  /** User-code entry at /device with its wrong-code limits, shared by every request of this process. */
  deviceVerification: DeviceVerification;
}

export function createSteep(config: Config, options: { clock?: Clock; db?: Db } = {}): Steep {
  const db = options.db ?? openDatabase(config.database, config.databaseWaitMs);
  const steep = {
    config,
    clock: options.clock ?? systemClock,
    db,
    hasher: new SecretHasher(config.secret),
    usage: new UsageRecorder(db),
    users: new UserStore(db),
    personalTokens: new PersonalTokenStore(db),
    apps: new AppStore(db),
    tokens: new TokenStore(db),
    transactions: new TransactionStore(db),
    codes: new CodeStore(db),
    grants: new GrantStore(db),
    deviceCodes: new DeviceCodeStore(db),
    consents: new ConsentStore(db),
    audit: new AuditStore(db),
    metrics: new Metrics(),
  } as Steep;
  const clock = steep.clock;
  steep.events = new EventSink(() => clock.now());
  steep.events.subscribe(auditConsumer(steep.audit));
  steep.events.subscribe(steep.metrics.consumer);
  // A retired key is published as long as the longest-lived JWT it signed (access and id tokens), plus clock skew.
  steep.keys = new KeyRing(new SigningKeyStore(db), new Sealer(config.secret, 'signing-keys'), clock, (config.ttl.accessToken + 300) * 1000);
  steep.signIn = new SignIn(steep);
  steep.deviceVerification = new DeviceVerification(steep);
  return steep;
}

export async function closeSteep(steep: Steep): Promise<void> {
  await steep.usage.flush();
  await steep.db.destroy();
}
