// The rate-limit counters in Redis (STEEP_REDIS_URL), for deployments that would rather not write
// failures to their database. Same contract as DatabaseCounters: each operation is one Lua script,
// which Redis runs atomically, and windows follow the caller's clock; Redis's own expiry only
// removes a bucket once its window is surely over.
import { Redis } from 'ioredis';
import type { Count, CounterStore } from './counters.ts';

const HIT = `
local now = tonumber(ARGV[1])
local reset = tonumber(redis.call('HGET', KEYS[1], 'reset'))
if reset == nil or reset <= now then
  reset = now + tonumber(ARGV[2])
  redis.call('HSET', KEYS[1], 'hits', 1, 'reset', reset)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, reset}
end
return {redis.call('HINCRBY', KEYS[1], 'hits', 1), reset}`;

const REFUND = `
local reset = tonumber(redis.call('HGET', KEYS[1], 'reset'))
if reset ~= nil and reset > tonumber(ARGV[1]) and tonumber(redis.call('HGET', KEYS[1], 'hits')) > 0 then
  redis.call('HINCRBY', KEYS[1], 'hits', -1)
end
return 0`;

/** Redis could not answer: a 503 with Retry-After, like a database outage (store/db.ts isDatabaseUnavailable). */
class CountersUnavailable extends Error {
  readonly unavailable = true;
}

export class RedisCounters implements CounterStore {
  readonly #redis: Redis;
  #reported = false;

  constructor(url: string, waitMs: number) {
    // Commands fail after waitMs (or one reconnect attempt) instead of queueing for as long as Redis is away.
    this.#redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, commandTimeout: waitMs, connectTimeout: waitMs, keyPrefix: 'steep:rl:' });
    // Unheard, connection errors would be printed on every reconnect attempt: say it once per outage.
    this.#redis.on('error', (error: Error) => {
      if (!this.#reported) console.error(`steep: Redis (rate limits) is unreachable (${error.message}); reconnecting.`);
      this.#reported = true;
    });
    this.#redis.on('ready', () => (this.#reported = false));
  }

  async #run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new CountersUnavailable(`Redis (rate limits): ${(error as Error).message}`);
    }
  }

  async hit(bucket: string, windowMs: number, now: number): Promise<Count> {
    const [hits, resetAt] = (await this.#run(() => this.#redis.eval(HIT, 1, bucket, now, windowMs))) as [number, number];
    return { hits: Number(hits), resetAt: Number(resetAt) };
  }

  async refund(bucket: string, now: number): Promise<void> {
    await this.#run(() => this.#redis.eval(REFUND, 1, bucket, now));
  }

  async clear(bucket: string): Promise<void> {
    await this.#run(() => this.#redis.del(bucket));
  }

  async close(): Promise<void> {
    if (this.#redis.status === 'ready') await this.#redis.quit();
    else this.#redis.disconnect();
  }
}
