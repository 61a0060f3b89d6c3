/**
 * The embedded `EventBus`: partitioned logs and group positions in this process's memory, with the
 * guarantees Kafka gives (at-least-once, per-key order, groups that split partitions), so one
 * process runs the same relay and projectors as the distributed mode. Nothing survives a restart:
 * the event store is the durable log, and the relay republishes from its checkpoint.
 */
import type { RecordedEvent } from '@resoft/domain';
import type { BusConsumer, BusRecord, ConsumeOptions, EventBus } from './event-bus.js';

export interface InProcessEventBusOptions {
  /** Partitions the records are spread over by key; members of a group split them. Default 1. */
  readonly partitions?: number;
  /** Most events handed to one `onBatch` call. Default 500. */
  readonly maxBatchSize?: number;
  /** Pause before a rejected batch comes again; doubles after each failure. Default 100 ms. */
  readonly redeliveryDelayMs?: number;
  /** Longest pause between redeliveries. Default 5 s. */
  readonly maxRedeliveryDelayMs?: number;
}

/** One partition's events by offset. The prefix every group has passed is dropped, so memory stays bounded. */
class PartitionLog {
  private events: RecordedEvent[] = [];
  private first = 0;
  /** Offset of the oldest retained event. */
  base = 0;

  /** Offset the next appended event gets. */
  get end(): number {
    return this.base + this.events.length - this.first;
  }

  append(event: RecordedEvent): void {
    this.events.push(event);
  }

  read(from: number, max: number): RecordedEvent[] {
    const index = this.first + (from - this.base);
    return this.events.slice(index, index + max);
  }

  dropBefore(offset: number): void {
    const count = Math.min(offset, this.end) - this.base;
    if (count <= 0) return;
    this.first += count;
    this.base += count;
    // Compact now and then rather than shifting the array on every commit.
    if (this.first >= 1024 && this.first * 2 >= this.events.length) {
      this.events = this.events.slice(this.first);
      this.first = 0;
    }
  }
}

/** Wakes every waiting delivery loop at once; a wait with a timeout also ends on its own. */
class Wakeup {
  private readonly waiters = new Set<() => void>();

  wait(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      this.waiters.add(done);
      if (timeoutMs !== undefined) timer = setTimeout(done, timeoutMs);
    });
  }

  notify(): void {
    for (const done of [...this.waiters]) done();
  }
}

type Outcome = 'handled' | 'failed' | 'skipped';

class Member implements BusConsumer {
  active = true;
  /** Chains this member's batches so its `onBatch` calls never overlap. */
  private tail: Promise<unknown> = Promise.resolve();
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly options: ConsumeOptions,
    private readonly leave: (member: Member) => void,
  ) {}

  handle(events: RecordedEvent[], partition: number): Promise<Outcome> {
    const outcome = this.tail.then(async (): Promise<Outcome> => {
      if (!this.active) return 'skipped';
      try {
        await this.options.onBatch(events, partition);
        return 'handled';
      } catch (error) {
        this.report(error);
        return 'failed';
      }
    });
    this.tail = outcome;
    return outcome;
  }

  stop(): Promise<void> {
    if (!this.stopping) {
      this.active = false;
      this.leave(this);
      this.stopping = this.tail.then(() => undefined);
    }
    return this.stopping;
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A failing error hook must not stop delivery.
    }
  }
}

class Group {
  /** Members in joining order; partition p belongs to members[p % members.length]. */
  readonly members: Member[] = [];

  constructor(
    /** Per partition, the offset of the next event to deliver (the committed offset). */
    readonly positions: number[],
  ) {}

  ownerOf(partition: number): Member | undefined {
    return this.members.length === 0 ? undefined : this.members[partition % this.members.length];
  }
}

export class InProcessEventBus implements EventBus {
  private readonly logs: PartitionLog[];
  private readonly groups = new Map<string, Group>();
  private readonly loops: Promise<void>[] = [];
  /** Rung on publish and on any change of membership: idle loops look for work. */
  private readonly wakeup = new Wakeup();
  /** Rung on changes of membership only: cuts a redelivery back-off short, which publishing must not. */
  private readonly membership = new Wakeup();
  private readonly maxBatchSize: number;
  private readonly redeliveryDelayMs: number;
  private readonly maxRedeliveryDelayMs: number;
  private closed = false;

  constructor(options: InProcessEventBusOptions = {}) {
    const partitions = options.partitions ?? 1;
    if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
    this.logs = Array.from({ length: partitions }, () => new PartitionLog());
    this.maxBatchSize = options.maxBatchSize ?? 500;
    this.redeliveryDelayMs = options.redeliveryDelayMs ?? 100;
    this.maxRedeliveryDelayMs = options.maxRedeliveryDelayMs ?? 5_000;
  }

  async ensureTopic(): Promise<number> {
    this.assertOpen();
    return this.logs.length;
  }

  partitionOf(key: string): number {
    return inProcessPartitionOf(key, this.logs.length);
  }

  async publish(records: readonly BusRecord[]): Promise<void> {
    this.assertOpen();
    // Encode everything first, so a record that cannot be published leaves none of the call published.
    const encoded = records.map(({ key, event }) => {
      if (typeof key !== 'string' || key === '') throw new TypeError('a bus record needs a non-empty string key');
      return { partition: inProcessPartitionOf(key, this.logs.length), event: copyOf(event) };
    });
    for (const { partition, event } of encoded) this.logs[partition]!.append(event);
    if (encoded.length > 0) this.wakeup.notify();
  }

  async activeMembers(group: string): Promise<number> {
    return this.groups.get(group)?.members.length ?? 0;
  }

  async consume(options: ConsumeOptions): Promise<BusConsumer> {
    this.assertOpen();
    if (!options.group) throw new TypeError('a consumer needs a group');
    let group = this.groups.get(options.group);
    if (!group) {
      const created = new Group(this.logs.map((log) => log.base));
      this.groups.set(options.group, created);
      this.logs.forEach((_, partition) => this.loops.push(this.deliver(created, partition)));
      group = created;
    }
    const joined = group;
    const member = new Member(options, (leaving) => {
      const index = joined.members.indexOf(leaving);
      if (index >= 0) joined.members.splice(index, 1);
      this.wakeUpAll();
    });
    joined.members.push(member);
    this.wakeUpAll();
    return member;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const members = [...this.groups.values()].flatMap((group) => [...group.members]);
    this.wakeUpAll();
    await Promise.all(members.map((member) => member.stop()));
    await Promise.all(this.loops);
  }

  /** One loop per group and partition: a partition's batches are delivered one at a time, in order. */
  private async deliver(group: Group, partition: number): Promise<void> {
    const log = this.logs[partition]!;
    let failures = 0;
    while (!this.closed) {
      const owner = group.ownerOf(partition);
      const from = Math.max(group.positions[partition]!, log.base);
      if (!owner || from >= log.end) {
        await this.wakeup.wait();
        continue;
      }
      const events = log.read(from, this.maxBatchSize);
      const outcome = await owner.handle(events, partition);
      if (outcome === 'handled') {
        group.positions[partition] = from + events.length;
        failures = 0;
        this.dropDelivered(partition);
      } else if (outcome === 'failed') {
        // Back off, but come back at once when the member leaves or the bus closes (another member may take over).
        await this.membership.wait(Math.min(this.redeliveryDelayMs * 2 ** failures, this.maxRedeliveryDelayMs));
        failures += 1;
        if (!owner.active) failures = 0;
      }
    }
  }

  private wakeUpAll(): void {
    this.wakeup.notify();
    this.membership.notify();
  }

  private dropDelivered(partition: number): void {
    let lowest = Infinity;
    for (const group of this.groups.values()) lowest = Math.min(lowest, group.positions[partition]!);
    this.logs[partition]!.dropBefore(lowest);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the event bus is closed');
  }
}

/** FNV-1a over the key's UTF-16 code units: stable across runs, spreads stream ids evenly. Exported for the relay, which records where each stream lands. */
export function inProcessPartitionOf(key: string, partitions: number): number {
  if (partitions === 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

/**
 * The event as a consumer of a real bus would see it: through JSON (as Kafka carries it) and frozen,
 * so no handler can change what another group receives.
 */
function copyOf(event: RecordedEvent): RecordedEvent {
  return deepFreeze(JSON.parse(JSON.stringify(event)) as RecordedEvent);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
