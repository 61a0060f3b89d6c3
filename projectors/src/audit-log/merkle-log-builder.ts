/**
 * Builds the audit log: follows the global event log from the Merkle log's
 * own size (its checkpoint), appends one leaf per event in log order, and
 * signs a tree head every `signEvery` events or `signIntervalMs` when events
 * arrived since the last one. It reads the event store directly, not the bus,
 * because leaves must follow the global order (with EventStoreDB this is a
 * projector of `$all`). A second builder on the same log loses the
 * compare-and-set and resubscribes from what the winner stored.
 *
 * Leaves are hashed in the turn that delivers their events (the events are
 * not kept past it: a sealed event is about 2.4 KB, and events kept until a
 * queued batch came up were copied by every scavenge — the larger part of
 * what the log cost an appender that never yields), and a tree head due
 * every `signEvery` leaves is computed there too, at its exact size. The
 * hashed leaves are stored in one write per tree head interval (or after
 * `flushDelayMs` without one), queued, and a head is signed once its leaves
 * are stored: a store transaction per appended batch cost about as much as
 * the append's own commit. Leaves not yet stored are no loss on a crash —
 * they follow from the events, and the builder resumes from what the store
 * holds.
 *
 * Leaves are format 2 (domain audit-leaf.ts) from the position the log store
 * records: a new log from its first event; a log of format 1 leaves from the
 * first event after them, recorded when this builder first starts on it.
 * Every tree head signs that position.
 */
import { MerkleFrontier, auditLeafHashInto, edgeNodes, nodeKey, treeHeadMessage, type RecordedEvent, type SignedTreeHead } from '@resoft/domain';
import { type AuditKeyRing, type Logger } from '@resoft/infra';
import { MerkleLogMovedError, type EventStore, type MerkleLogState, type MerkleLogStore, type Subscription } from '@resoft/ports';
import { PositionWatch } from '../runtime/position-watch.js';
import { UnstoredLeaves } from './unstored-leaves.js';

export interface MerkleLogBuilderOptions {
  readonly signEvery: number;
  readonly signIntervalMs: number;
  /** How long hashed leaves may wait for more before they are stored (default 50 ms). */
  readonly flushDelayMs?: number;
  readonly now?: () => Date;
}

const DEFAULT_FLUSH_DELAY_MS = 50;
/** Events handed to the builder at most at once. */
const BATCH_SIZE = 2000;
/** Store writes (with the heads they sign) queued before the subscription waits for the builder. */
const MAX_QUEUED = 4;

/** A tree head's content, taken from the frontier when the leaves reached its size. */
interface DueHead {
  readonly treeSize: number;
  readonly lastPosition: number;
  readonly rootHash: string;
}

export class MerkleLogBuilder {
  private subscription: Subscription | null = null;
  /** Every hashed leaf, stored or not. */
  private frontier = new MerkleFrontier();
  /** Position of the last hashed leaf. */
  private hashedPosition = 0;
  /** Position of the last stored leaf. */
  private lastPosition = 0;
  /** The tree size at which the next head is due (signEvery after the last one signed or taken). */
  private nextHeadAt = 0;
  /** The first position whose leaf is format 2, as the store records it. */
  private leafV2From = 1;
  /** Hashed leaves (and the nodes they complete) not stored yet, to go in one store write. */
  private pending: UnstoredLeaves | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private signedSize = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failure: string | null = null;
  private readonly watch = new PositionWatch();
  /** Appends and timed signatures run one after the other, so a head never signs leaves not yet stored. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Store writes queued and not done yet. */
  private queued = 0;
  /** Which subscription queued work belongs to: bumped on each resume and on a failure, so work of an older one is dropped. */
  private epoch = 0;

  constructor(
    private readonly events: EventStore,
    private readonly store: MerkleLogStore,
    private readonly keys: AuditKeyRing,
    private readonly options: MerkleLogBuilderOptions,
    private readonly log: Logger,
  ) {}

  get problem(): string | null {
    return this.failure;
  }

  async start(): Promise<void> {
    await this.resume();
    this.timer = setInterval(() => {
      if (this.frontier.size > this.signedSize) this.signNow().catch((e: unknown) => this.log.error({ err: e }, 'signing a tree head failed'));
    }, this.options.signIntervalMs);
    this.timer.unref();
  }

  /** Resolves true once the log holds the event at `position` (false after the timeout). */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.watch.waitFor(position, timeoutMs);
  }

  /** Signs the current tree unless it is already signed; returns the head (null for an empty log). */
  signNow(): Promise<SignedTreeHead | null> {
    return this.serial(() => this.signCurrent());
  }

  /** Stores what is hashed, then signs it (the whole tree hashed so far). */
  private async signCurrent(): Promise<SignedTreeHead | null> {
    if (this.frontier.size === 0) return null;
    if (this.frontier.size === this.signedSize) return this.store.latestTreeHead();
    // Taken in the same turn as the leaves the flush writes: nothing hashed later is in it.
    const head = this.headNow();
    this.nextHeadAt = Math.max(this.nextHeadAt, head.treeSize + this.options.signEvery);
    await this.flush([head]);
    return this.store.latestTreeHead();
  }

  /** The head of the tree hashed so far. */
  private headNow(): DueHead {
    return { treeSize: this.frontier.size, lastPosition: this.hashedPosition, rootHash: this.frontier.root().toString('hex') };
  }

  /**
   * Signs and stores `due` (its leaves stored already) unless it is the last one signed. One smaller
   * than that is still signed: a timed signature queued before the batch that made it due signed
   * the larger tree hashed by then, and heads land at every `signEvery` all the same.
   */
  private async sign(due: DueHead): Promise<SignedTreeHead | null> {
    if (due.treeSize === this.signedSize) return this.store.latestTreeHead();
    const unsigned = { ...due, timestamp: (this.options.now ?? (() => new Date()))().toISOString(), keyId: this.keys.activeKeyId, leafV2From: this.leafV2From };
    const head: SignedTreeHead = { ...unsigned, signature: this.keys.sign(treeHeadMessage(unsigned)) };
    this.signedSize = Math.max(this.signedSize, due.treeSize);
    await this.store.addTreeHead(head);
    return head;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.subscription?.stop();
    this.subscription = null;
    // What was hashed is stored; a failure here only means the next start hashes it again.
    await this.serial(() => this.flush()).catch((e: unknown) => this.log.warn({ err: e }, 'storing the last audit leaves failed'));
  }

  private async resume(): Promise<void> {
    const state = await this.formatTwoState();
    const refs = edgeNodes(state.size);
    const nodes = await this.store.nodes(refs);
    this.frontier = new MerkleFrontier(state.size, refs.map((r) => nodes.get(nodeKey(r.level, r.index))!));
    this.pending = null;
    this.lastPosition = state.lastPosition;
    this.hashedPosition = state.lastPosition;
    this.leafV2From = state.leafV2From;
    this.signedSize = (await this.store.latestTreeHead())?.treeSize ?? 0;
    this.nextHeadAt = this.signedSize + this.options.signEvery;
    this.watch.set(state.lastPosition);
    // Read-only: the builder only hashes the events, so a store may hand it the ones its appends just sealed instead of reading them back,
    // and inline: `deliver` hashes at once, so a store may call it in the append's own turn (the events then die young).
    // Batches larger than a projector's: an appender that keeps the event loop busy gets several appends
    // in while the builder handles one batch, and at 500 a batch the builder fell behind, keeping ever
    // more sealed events alive for the garbage collector to copy.
    const epoch = ++this.epoch;
    this.subscription = this.events.subscribeToAll({ after: state.lastPosition, readOnlyEvents: true, takeAppendsInline: true, batchSize: BATCH_SIZE, onEvents: (batch) => this.deliver(batch, epoch), onError: (error) => this.recover(error) });
  }

  /** The store's state once it records where format 2 leaves start: from the event after its last leaf when it does not yet. */
  private async formatTwoState(): Promise<MerkleLogState & { readonly leafV2From: number }> {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const state = await this.store.state();
      if (state.leafV2From !== null) return { ...state, leafV2From: state.leafV2From };
      // Not recorded when another builder moved the log meanwhile: read again and retry.
      await this.store.recordLeafV2From(state.size, state.lastPosition + 1);
    }
    throw new Error('the audit log kept moving while its leaf format was being recorded');
  }

  /**
   * Hashes a batch at once, then queues its store write (and the signatures of the heads it made due)
   * without making the subscription wait for them, unless MAX_QUEUED are already waiting: a store
   * slower than the appends holds the subscription back. Waiting cost several turns of the microtask
   * queue per batch, during which an appender that never yields added more events for the store to
   * keep alive; hashing at once lets the batch's events go as soon as this returns.
   */
  private deliver(batch: RecordedEvent[], epoch: number): Promise<void> {
    if (epoch !== this.epoch) return Promise.resolve();
    const due = this.hash(batch);
    if (due.length === 0) {
      if (this.pending) this.flushSoon();
      return Promise.resolve();
    }
    const work = this.serial(async () => {
      if (epoch !== this.epoch) return;
      await this.flush(due);
      if (this.pending) this.flushSoon();
      this.failure = null;
    });
    this.queued += 1;
    const settled = work.then(
      () => { this.queued -= 1; },
      (error: unknown) => {
        this.queued -= 1;
        if (epoch !== this.epoch) return;
        this.restartAfter(error);
      },
    );
    return this.queued > MAX_QUEUED ? settled : Promise.resolve();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Adds the batch's leaves to the frontier and the pending write; returns the heads that came due, each at its exact size. */
  private hash(events: readonly RecordedEvent[]): DueHead[] {
    const due: DueHead[] = [];
    const pending = (this.pending ??= new UnstoredLeaves(this.frontier.size, this.hashedPosition, this.store.storesNodesFrom));
    for (const event of events) {
      // Packed: the leaf hashed into the pending write's buffer, the nodes it completes copied there too.
      const at = pending.addLeaf(event.position);
      auditLeafHashInto(event, this.leafV2From, pending.leafBytes, at);
      this.frontier.appendAt(pending.leafBytes, at, pending);
      this.hashedPosition = event.position;
      if (this.frontier.size >= this.nextHeadAt) {
        due.push({ treeSize: this.frontier.size, lastPosition: event.position, rootHash: this.frontier.root().toString('hex') });
        this.nextHeadAt = this.frontier.size + this.options.signEvery;
      }
    }
    return due;
  }

  /**
   * Stores the hashed leaves in one write (compare-and-set on the size they were hashed after), then
   * signs `heads` (within what was hashed): `waitFor` answers once both are done.
   */
  private async flush(heads: readonly DueHead[] = []): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const pending = this.pending;
    this.pending = null;
    if (pending) {
      await this.store.append(pending.expectedSize, pending.leaves(), pending.nodes());
      this.lastPosition = pending.lastPosition;
    }
    for (const head of heads) await this.sign(head);
    this.watch.set(this.lastPosition);
  }

  private flushSoon(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.serial(() => this.flush()).catch((error: unknown) => {
        // Like a failed append.
        this.restartAfter(error);
      });
    }, this.options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS);
    this.flushTimer.unref();
  }

  /** Stops following (batches queued behind the failure are dropped), then rebuilds the frontier from the store and resubscribes. */
  private restartAfter(error: unknown): void {
    this.epoch += 1;
    const subscription = this.subscription;
    this.subscription = null;
    // No subscription: a restart is already under way (or the builder stopped).
    void subscription?.stop().finally(() => this.recover(error));
  }

  /** The frontier may be ahead of the store after a failed append: rebuild it from the store and resubscribe. */
  private recover(error: unknown): void {
    if (this.stopped) return;
    const moved = error instanceof MerkleLogMovedError;
    if (!moved) {
      this.failure = `failed after position ${this.lastPosition}: ${(error as Error)?.message ?? String(error)}`;
      this.log.error({ err: error }, 'audit log builder failed; retrying');
    }
    setTimeout(() => {
      if (this.stopped) return;
      // Caught up from the store again: healthy until an append fails anew.
      this.resume().then(() => { this.failure = null; }, (e: unknown) => this.recover(e));
    }, moved ? 0 : 1000).unref();
  }
}
