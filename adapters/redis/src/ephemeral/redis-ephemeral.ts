/**
 * The `Ephemeral` adapter for distributed mode: Redis through ioredis, shared by every instance of
 * every service, so presence, rate limits and room fan-out hold across gateway processes.
 *
 * Keys (all under `keyPrefix`, default `resoft:`): `v:<key>` a string with PX TTL; `h:<key>` a
 * counter whose TTL is the window, set by the first INCR inside one Lua script (a window can never be
 * left without an end); `g:{<group>}:e` a sorted set member → expiry and `g:{<group>}:v` a hash
 * member → value; `r:<list>` a revocation list, a sorted set id → end time (wall-clock ms, as the
 * caller gave it: the end of a token's life is the issuing server's clock, not Redis's), pruned on
 * every write and read and expiring with its last entry; channels are `c:<channel>`. The `{group}` hash tag keeps a group's two keys in one
 * cluster slot.
 *
 * Groups are a sorted set scored by expiry plus a hash of values, not a hash with per-field TTL:
 * HPEXPIRE needs Redis 7.4 and Debian 12 ships 7.0. Expiries are taken from the Redis clock (TIME
 * inside the scripts) so instances with skewed clocks agree; expired members are deleted on every put
 * and read, and both keys carry a TTL at least as long as their longest-lived member, so an abandoned
 * group vanishes by itself. Needs Redis ≥ 5 (scripts that write after TIME).
 *
 * Failing fast: callers degrade rather than wait, so the client never queues. `enableOfflineQueue:
 * false` makes a call while disconnected reject at once; `maxRetriesPerRequest: 0` rejects calls in
 * flight when the connection drops (a replayed INCR would count twice); `commandTimeoutMs` bounds a
 * server that accepts the connection but stops answering. ioredis keeps reconnecting in the
 * background (backoff capped at 2 s) and re-subscribes the subscriber connection's channels; messages
 * published while a subscriber is disconnected are lost (pub/sub is at most once).
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Ephemeral } from '@resoft/ports';

export interface RedisEphemeralOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  readonly url: string;
  /** Prepended to every key and channel, so several deployments or tests can share one Redis. Default `resoft:`. */
  readonly keyPrefix?: string;
  /** Bound on one TCP connect, and on the wait for the first ready connection in `connect()` and the first `subscribe()`. Default 2000. */
  readonly connectTimeoutMs?: number;
  /** A call that has no answer after this long rejects. Default 1000. */
  readonly commandTimeoutMs?: number;
  /** Receives connection errors (frequent while Redis is down) and what subscription handlers throw. By default they are dropped. */
  readonly onError?: (error: unknown) => void;
}

/** Purges a group's expired members. KEYS[1] = expiries (zset), KEYS[2] = values (hash); unpack in slices to stay under Lua's stack limit. */
const PURGE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  for i = 1, #expired, 1000 do
    redis.call('HDEL', KEYS[2], unpack(expired, i, math.min(i + 999, #expired)))
  end
end
`;

/** ARGV: member, value, ttlMs. */
const PUT_MEMBER = `${PURGE}
local ttl = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
for _, key in ipairs(KEYS) do
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
end
return 1
`;

/** Answers [member, value, member, value, …] for the live members. */
const MEMBERS = `${PURGE}
local live = redis.call('ZRANGE', KEYS[1], 0, -1)
local result = {}
for i = 1, #live, 1000 do
  local values = redis.call('HMGET', KEYS[2], unpack(live, i, math.min(i + 999, #live)))
  for j = 1, #values do
    if values[j] then
      result[#result + 1] = live[i + j - 1]
      result[#result + 1] = values[j]
    end
  end
end
return result
`;

/** ARGV: windowMs. The PTTL check also repairs a counter left without a TTL by anything else. */
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return count
`;

/** ARGV: id, untilMs, nowMs. Keeps the later end time, prunes what has ended, and lets the key expire with its last entry. */
const REVOKE = `
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not current or tonumber(current) < tonumber(ARGV[2]) then redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then redis.call('PEXPIREAT', KEYS[1], last[2]) end
return 1
`;

interface Scripts {
  ephemeralRevoke(list: string, id: string, untilMs: number, nowMs: number): Promise<number>;
  ephemeralPutMember(expiries: string, values: string, member: string, value: string, ttlMs: number): Promise<number>;
  ephemeralMembers(expiries: string, values: string): Promise<string[]>;
  ephemeralHit(key: string, windowMs: number): Promise<number>;
}

/** One Redis channel and the handlers this instance runs for it; `subscribed` settles with the SUBSCRIBE. */
interface Channel {
  readonly handlers: Set<(message: string) => void>;
  readonly subscribed: Promise<unknown>;
}

function wholeMs(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of milliseconds ≥ 1, got ${value}`);
  return value;
}

function untilReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    let lastError = '';
    const onReady = (): void => {
      cleanup();
      resolve();
    };
    const onError = (error: Error): void => {
      lastError = `: ${error.message}`;
    };
    const onEnd = (): void => {
      cleanup();
      reject(new Error(`Redis connection closed before it was ready${lastError}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not ready within ${timeoutMs} ms${lastError}`));
    }, timeoutMs);
    function cleanup(): void {
      clearTimeout(timer);
      client.off('ready', onReady).off('error', onError).off('end', onEnd);
    }
    client.on('ready', onReady).on('error', onError).on('end', onEnd);
  });
}

/** QUIT, bounded by the command timeout; whatever happens, the socket is closed and no reconnect follows. */
async function quit(client: Redis): Promise<void> {
  try {
    await client.quit();
  } catch {
    // Redis is down or not answering: nothing to say goodbye to.
  } finally {
    client.disconnect();
  }
}

export class RedisEphemeral implements Ephemeral {
  /** Connects and waits (at most `connectTimeoutMs`) until Redis answers; rejects, leaving nothing open, if it does not. */
  static async connect(options: RedisEphemeralOptions): Promise<RedisEphemeral> {
    const ephemeral = new RedisEphemeral(options);
    try {
      await untilReady(ephemeral.client, ephemeral.connectTimeoutMs);
    } catch (error) {
      await ephemeral.close();
      throw error;
    }
    return ephemeral;
  }

  private readonly client: Redis;
  private readonly scripts: Scripts;
  private readonly prefix: string;
  private readonly connectTimeoutMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly channels = new Map<string, Channel>();
  private subscriber: Redis | null = null;
  private subscriberReady: Promise<Redis> | null = null;
  private closed = false;

  /**
   * Starts connecting in the background; until the connection is ready, calls reject. Use
   * `RedisEphemeral.connect` to wait for it, or this to start degraded while Redis is away.
   */
  constructor(options: RedisEphemeralOptions) {
    this.prefix = options.keyPrefix ?? 'resoft:';
    this.connectTimeoutMs = options.connectTimeoutMs ?? 2000;
    this.onError = options.onError ?? (() => {});
    const redisOptions: RedisOptions = {
      connectTimeout: this.connectTimeoutMs,
      commandTimeout: options.commandTimeoutMs ?? 1000,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
      // After close(), a socket that is already dead never reports 'close', so ioredis would keep the
      // process alive for its default 2 s before destroying it.
      disconnectTimeout: 200,
    };
    this.client = new Redis(options.url, redisOptions);
    this.client.on('error', this.onError);
    this.client.defineCommand('ephemeralPutMember', { numberOfKeys: 2, lua: PUT_MEMBER });
    this.client.defineCommand('ephemeralMembers', { numberOfKeys: 2, lua: MEMBERS });
    this.client.defineCommand('ephemeralHit', { numberOfKeys: 1, lua: HIT });
    this.client.defineCommand('ephemeralRevoke', { numberOfKeys: 1, lua: REVOKE });
    this.scripts = this.client as unknown as Scripts;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.ensureOpen();
    await this.client.set(this.valueKey(key), value, 'PX', wholeMs('ttlMs', ttlMs));
  }

  async get(key: string): Promise<string | null> {
    this.ensureOpen();
    return this.client.get(this.valueKey(key));
  }

  async delete(key: string): Promise<void> {
    this.ensureOpen();
    await this.client.del(this.valueKey(key));
  }

  async putMember(group: string, member: string, value: string, ttlMs: number): Promise<void> {
    this.ensureOpen();
    const [expiries, values] = this.groupKeys(group);
    await this.scripts.ephemeralPutMember(expiries, values, member, value, wholeMs('ttlMs', ttlMs));
  }

  async members(group: string): Promise<ReadonlyMap<string, string>> {
    this.ensureOpen();
    const flat = await this.scripts.ephemeralMembers(...this.groupKeys(group));
    const members = new Map<string, string>();
    for (let i = 0; i + 1 < flat.length; i += 2) members.set(flat[i]!, flat[i + 1]!);
    return members;
  }

  async removeMember(group: string, member: string): Promise<void> {
    this.ensureOpen();
    const [expiries, values] = this.groupKeys(group);
    const results = await this.client.multi().zrem(expiries, member).hdel(values, member).exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('Redis aborted the transaction');
  }

  async hit(key: string, windowMs: number): Promise<number> {
    this.ensureOpen();
    return this.scripts.ephemeralHit(`${this.prefix}h:${key}`, wholeMs('windowMs', windowMs));
  }

  async revoke(list: string, id: string, untilMs: number): Promise<void> {
    this.ensureOpen();
    if (!Number.isSafeInteger(untilMs) || untilMs < 0) throw new RangeError(`untilMs must be whole milliseconds since the epoch, got ${untilMs}`);
    const now = Date.now();
    if (untilMs <= now) return;
    await this.scripts.ephemeralRevoke(`${this.prefix}r:${list}`, id, untilMs, now);
  }

  async revoked(list: string): Promise<ReadonlyMap<string, number>> {
    this.ensureOpen();
    const flat = await this.client.zrangebyscore(`${this.prefix}r:${list}`, `(${Date.now()}`, '+inf', 'WITHSCORES');
    const live = new Map<string, number>();
    for (let i = 0; i + 1 < flat.length; i += 2) live.set(flat[i]!, Number(flat[i + 1]));
    return live;
  }

  async publish(channel: string, message: string): Promise<void> {
    this.ensureOpen();
    await this.client.publish(this.channelName(channel), message);
  }

  /**
   * Runs on a second connection, opened on the first call, since a subscribed Redis connection takes
   * no other commands. The channel is SUBSCRIBEd when its first handler arrives and UNSUBSCRIBEd when
   * its last leaves; commands go out in that order on the one connection, so Redis ends up agreeing.
   */
  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    this.ensureOpen();
    const subscriber = await this.subscriberConnection();
    this.ensureOpen();
    const name = this.channelName(channel);
    let entry = this.channels.get(name);
    if (!entry) {
      entry = { handlers: new Set(), subscribed: subscriber.subscribe(name) };
      this.channels.set(name, entry);
    }
    // A wrapper per call: the same function subscribed twice is two subscriptions.
    const own = (message: string): void => handler(message);
    entry.handlers.add(own);
    const joined = entry;
    try {
      await joined.subscribed;
    } catch (error) {
      this.leave(name, joined, own);
      throw error;
    }
    return async () => this.leave(name, joined, own);
  }

  async ping(): Promise<void> {
    this.ensureOpen();
    await this.client.ping();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channels.clear();
    const connections = [this.client, this.subscriber].filter((client): client is Redis => client !== null);
    this.subscriber = null;
    await Promise.all(connections.map(quit));
  }

  private valueKey(key: string): string {
    return `${this.prefix}v:${key}`;
  }

  private groupKeys(group: string): [expiries: string, values: string] {
    return [`${this.prefix}g:{${group}}:e`, `${this.prefix}g:{${group}}:v`];
  }

  private channelName(channel: string): string {
    return `${this.prefix}c:${channel}`;
  }

  private subscriberConnection(): Promise<Redis> {
    this.subscriberReady ??= this.openSubscriber();
    return this.subscriberReady;
  }

  private async openSubscriber(): Promise<Redis> {
    const subscriber = this.client.duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', this.onError);
    subscriber.on('message', (channel: string, message: string) => this.deliver(channel, message));
    try {
      await untilReady(subscriber, this.connectTimeoutMs);
      return subscriber;
    } catch (error) {
      // Let the next subscribe try a fresh connection.
      this.subscriberReady = null;
      if (this.subscriber === subscriber) this.subscriber = null;
      subscriber.disconnect();
      throw error;
    }
  }

  private deliver(channel: string, message: string): void {
    const entry = this.channels.get(channel);
    if (!entry) return;
    for (const handler of [...entry.handlers]) {
      // A handler unsubscribed by an earlier handler of this same message gets nothing more.
      if (!entry.handlers.has(handler)) continue;
      try {
        handler(message);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  private leave(name: string, entry: Channel, handler: (message: string) => void): void {
    if (!entry.handlers.delete(handler) || entry.handlers.size > 0 || this.channels.get(name) !== entry) return;
    this.channels.delete(name);
    // Best effort: if this fails the channel is merely still subscribed, and its messages find no handler.
    this.subscriber?.unsubscribe(name).catch(this.onError);
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error('RedisEphemeral is closed');
  }
}
