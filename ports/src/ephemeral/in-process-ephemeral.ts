/**
 * The embedded `Ephemeral` adapter: Maps in this process. An `InProcessEphemeralHub` plays the part
 * the Redis server plays in distributed mode — every `InProcessEphemeral` opened on one hub shares its
 * values, groups, windows and channels — so two "gateway instances" can be tested in one process.
 */
import type { Ephemeral } from './ephemeral.js';

export interface InProcessEphemeralHubOptions {
  /** How often entries nobody reads are swept once expired, so memory stays bounded. Default 10 s. */
  readonly sweepIntervalMs?: number;
}

export interface InProcessEphemeralOptions {
  /** The shared backing store; by default each instance gets a hub of its own. */
  readonly hub?: InProcessEphemeralHub;
  /** Receives what a subscription handler throws. By default it is dropped. */
  readonly onError?: (error: unknown) => void;
}

interface Expiring {
  readonly value: string;
  readonly expiresAt: number;
}

interface Window {
  count: number;
  readonly expiresAt: number;
}

interface Subscriber {
  readonly handler: (message: string) => void;
  readonly onError: (error: unknown) => void;
  active: boolean;
}

function isLive(entry: { readonly expiresAt: number }, now: number): boolean {
  return entry.expiresAt > now;
}

/** The state shared by the instances opened on it. Its sweep timer is unref'd: it never keeps the process alive. */
export class InProcessEphemeralHub {
  private readonly values = new Map<string, Expiring>();
  private readonly groups = new Map<string, Map<string, Expiring>>();
  private readonly windows = new Map<string, Window>();
  /** list → id → until (wall-clock ms). */
  private readonly revocations = new Map<string, Map<string, number>>();
  private readonly channels = new Map<string, Set<Subscriber>>();
  private readonly sweepIntervalMs: number;
  private sweepTimer: NodeJS.Timeout | null = null;
  private attached = 0;

  constructor(options: InProcessEphemeralHubOptions = {}) {
    this.sweepIntervalMs = options.sweepIntervalMs ?? 10_000;
  }

  /** Entries held, expired ones not yet swept included (for metrics and tests). */
  get size(): number {
    let members = 0;
    for (const group of this.groups.values()) members += group.size;
    return this.values.size + this.windows.size + members;
  }

  /** Called by each instance as it opens, and `detach` as it closes: the sweep runs only while one is open. */
  attach(): void {
    this.attached += 1;
    if (this.sweepTimer) return;
    this.sweepTimer = setInterval(() => this.sweep(Date.now()), this.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  detach(): void {
    this.attached = Math.max(0, this.attached - 1);
    if (this.attached > 0 || !this.sweepTimer) return;
    clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }

  set(key: string, value: string, ttlMs: number): void {
    this.values.set(key, { value, expiresAt: Date.now() + ttlMs });
  }

  get(key: string): string | null {
    const entry = this.values.get(key);
    if (!entry) return null;
    if (isLive(entry, Date.now())) return entry.value;
    this.values.delete(key);
    return null;
  }

  delete(key: string): void {
    this.values.delete(key);
  }

  putMember(group: string, member: string, value: string, ttlMs: number): void {
    let entries = this.groups.get(group);
    if (!entries) {
      entries = new Map();
      this.groups.set(group, entries);
    }
    entries.set(member, { value, expiresAt: Date.now() + ttlMs });
  }

  members(group: string): Map<string, string> {
    const live = new Map<string, string>();
    const entries = this.groups.get(group);
    if (!entries) return live;
    const now = Date.now();
    for (const [member, entry] of entries) {
      if (isLive(entry, now)) live.set(member, entry.value);
      else entries.delete(member);
    }
    if (entries.size === 0) this.groups.delete(group);
    return live;
  }

  removeMember(group: string, member: string): void {
    const entries = this.groups.get(group);
    if (!entries) return;
    entries.delete(member);
    if (entries.size === 0) this.groups.delete(group);
  }

  hit(key: string, windowMs: number): number {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || !isLive(window, now)) {
      window = { count: 0, expiresAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count;
  }

  revoke(list: string, id: string, untilMs: number): void {
    if (untilMs <= Date.now()) return;
    let entries = this.revocations.get(list);
    if (!entries) {
      entries = new Map();
      this.revocations.set(list, entries);
    }
    entries.set(id, Math.max(untilMs, entries.get(id) ?? 0));
  }

  revoked(list: string): Map<string, number> {
    const live = new Map<string, number>();
    const entries = this.revocations.get(list);
    if (!entries) return live;
    const now = Date.now();
    for (const [id, until] of entries) {
      if (until > now) live.set(id, until);
      else entries.delete(id);
    }
    if (entries.size === 0) this.revocations.delete(list);
    return live;
  }

  /** Delivery waits for the next turn of the event loop, as it would over a network; FIFO immediates keep the order. */
  publish(channel: string, message: string): void {
    const subscribers = this.channels.get(channel);
    if (!subscribers || subscribers.size === 0) return;
    const targets = [...subscribers];
    setImmediate(() => {
      for (const subscriber of targets) {
        if (!subscriber.active) continue;
        try {
          subscriber.handler(message);
        } catch (error) {
          subscriber.onError(error);
        }
      }
    });
  }

  subscribe(channel: string, subscriber: Subscriber): void {
    let subscribers = this.channels.get(channel);
    if (!subscribers) {
      subscribers = new Set();
      this.channels.set(channel, subscribers);
    }
    subscribers.add(subscriber);
  }

  unsubscribe(channel: string, subscriber: Subscriber): void {
    subscriber.active = false;
    const subscribers = this.channels.get(channel);
    if (!subscribers) return;
    subscribers.delete(subscriber);
    if (subscribers.size === 0) this.channels.delete(channel);
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.values) if (!isLive(entry, now)) this.values.delete(key);
    for (const [key, window] of this.windows) if (!isLive(window, now)) this.windows.delete(key);
    for (const [group, entries] of this.groups) {
      for (const [member, entry] of entries) if (!isLive(entry, now)) entries.delete(member);
      if (entries.size === 0) this.groups.delete(group);
    }
    for (const list of [...this.revocations.keys()]) this.revoked(list);
  }
}

function wholeMs(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of milliseconds ≥ 1, got ${value}`);
  return value;
}

function epochMs(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`untilMs must be whole milliseconds since the epoch, got ${value}`);
  return value;
}

/** One "connection" to a hub: it owns its subscriptions, and closing it drops them. */
export class InProcessEphemeral implements Ephemeral {
  private readonly hub: InProcessEphemeralHub;
  private readonly onError: (error: unknown) => void;
  private readonly subscriptions = new Set<{ readonly channel: string; readonly subscriber: Subscriber }>();
  private closed = false;

  constructor(options: InProcessEphemeralOptions = {}) {
    this.hub = options.hub ?? new InProcessEphemeralHub();
    this.onError = options.onError ?? (() => {});
    this.hub.attach();
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.ensureOpen();
    this.hub.set(key, value, wholeMs('ttlMs', ttlMs));
  }

  async get(key: string): Promise<string | null> {
    this.ensureOpen();
    return this.hub.get(key);
  }

  async delete(key: string): Promise<void> {
    this.ensureOpen();
    this.hub.delete(key);
  }

  async putMember(group: string, member: string, value: string, ttlMs: number): Promise<void> {
    this.ensureOpen();
    this.hub.putMember(group, member, value, wholeMs('ttlMs', ttlMs));
  }

  async members(group: string): Promise<ReadonlyMap<string, string>> {
    this.ensureOpen();
    return this.hub.members(group);
  }

  async removeMember(group: string, member: string): Promise<void> {
    this.ensureOpen();
    this.hub.removeMember(group, member);
  }

  async hit(key: string, windowMs: number): Promise<number> {
    this.ensureOpen();
    return this.hub.hit(key, wholeMs('windowMs', windowMs));
  }

  async revoke(list: string, id: string, untilMs: number): Promise<void> {
    this.ensureOpen();
    this.hub.revoke(list, id, epochMs(untilMs));
  }

  async revoked(list: string): Promise<ReadonlyMap<string, number>> {
    this.ensureOpen();
    return this.hub.revoked(list);
  }

  async publish(channel: string, message: string): Promise<void> {
    this.ensureOpen();
    this.hub.publish(channel, message);
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    this.ensureOpen();
    const subscription = { channel, subscriber: { handler, onError: this.onError, active: true } };
    this.subscriptions.add(subscription);
    this.hub.subscribe(channel, subscription.subscriber);
    return async () => {
      this.subscriptions.delete(subscription);
      this.hub.unsubscribe(channel, subscription.subscriber);
    };
  }

  async ping(): Promise<void> {
    this.ensureOpen();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const { channel, subscriber } of this.subscriptions) this.hub.unsubscribe(channel, subscriber);
    this.subscriptions.clear();
    this.hub.detach();
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error('InProcessEphemeral is closed');
  }
}
