/**
 * The ephemeral port: short-lived state that may be lost without harm — presence, cursors, rate-limit
 * windows, caches — and fan-out between instances of a service. Nothing here is durable or audited;
 * callers treat every failure as "degrade and carry on". Adapters pass `ephemeral.contract.ts`.
 *
 * Values and messages are strings (callers serialise). Keys, groups, hit keys, revocation lists and
 * channels live in separate namespaces: `set('x')`, `putMember('x', …)`, `hit('x')`, `revoke('x', …)`
 * and `publish('x')` never touch each other. Durations are whole milliseconds ≥ 1; anything else rejects with a `RangeError`.
 */
export interface Ephemeral {
  /** Stores `value` under `key` for `ttlMs`, replacing any value and TTL already there. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** The value under `key`, or null when there is none or it has expired. */
  get(key: string): Promise<string | null>;
  delete(key: string): Promise<void>;

  /** Puts `member` into `group` with `value` for `ttlMs` (e.g. a user in a room); a second put refreshes both. */
  putMember(group: string, member: string, value: string, ttlMs: number): Promise<void>;
  /** The group's live members and their values; expired members are never returned. Order is not defined. */
  members(group: string): Promise<ReadonlyMap<string, string>>;
  removeMember(group: string, member: string): Promise<void>;

  /**
   * Counts a hit on `key` in a fixed window and answers the count so far, this hit included. The first
   * hit opens a window of `windowMs`; later hits do not extend it; the first hit after it ends opens
   * the next one. Concurrent hits (from any instance) are each counted exactly once.
   */
  hit(key: string, windowMs: number): Promise<number>;

  /**
   * Puts `id` on the revocation list `list` until `untilMs` (wall-clock milliseconds since the epoch,
   * e.g. when the last access token of a signed-out session expires). A later time for an id already
   * there extends it; an earlier one leaves it as it is. A time already past adds nothing.
   */
  revoke(list: string, id: string, untilMs: number): Promise<void>;
  /** The ids on `list` whose time has not passed yet, each with its end time. */
  revoked(list: string): Promise<ReadonlyMap<string, number>>;

  /**
   * Sends `message` to every handler subscribed to `channel`, in every instance on the same backing
   * store. At most once: a subscriber that is disconnected at the time misses it. One publisher's
   * messages reach each handler in the order they were published; handlers never run inside `publish`.
   */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Calls `handler` with each message published on `channel` from the moment the returned promise
   * resolves. The resolved function unsubscribes; no message is delivered to `handler` after it is
   * called. A handler that throws does not affect other handlers or later messages.
   */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;

  /** Resolves when the backing store answers; rejects otherwise (for readiness checks). */
  ping(): Promise<void>;
  /** Drops this instance's subscriptions and connections; later calls reject. Calling it twice is harmless. */
  close(): Promise<void>;
}
