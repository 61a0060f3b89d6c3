/**
 * Builds the audit log: follows the global event log from the Merkle log's
 * own size (its checkpoint), appends one leaf per event in log order, and
 * signs a tree head every `signEvery` events or `signIntervalMs` when events
 * arrived since the last one. It reads the event store directly, not the bus,
 * because leaves must follow the global order (with EventStoreDB this is a
 * projector of `$all`). A second builder on the same log loses the
 * compare-and-set and resubscribes from what the winner stored.
 */
import { MerkleFrontier, auditLeafHash, edgeNodes, nodeKey, treeHeadMessage, type RecordedEvent, type SignedTreeHead, type StoredNode } from '@resoft/domain';
import { MerkleLogMovedError, type AuditKeyRing, type EventStore, type LogLeaf, type Logger, type MerkleLogStore, type Subscription } from '@resoft/infra';
import { PositionWatch } from '../runtime/position-watch.js';

export interface MerkleLogBuilderOptions {
  readonly signEvery: number;
  readonly signIntervalMs: number;
  readonly now?: () => Date;
}

export class MerkleLogBuilder {
  private subscription: Subscription | null = null;
  private frontier = new MerkleFrontier();
  private lastPosition = 0;
  private signedSize = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failure: string | null = null;
  private readonly watch = new PositionWatch();
  /** Appends and timed signatures run one after the other, so a head never signs leaves not yet stored. */
  private queue: Promise<unknown> = Promise.resolve();

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

  private async signCurrent(): Promise<SignedTreeHead | null> {
    const treeSize = this.frontier.size;
    if (treeSize === 0) return null;
    if (treeSize === this.signedSize) return this.store.latestTreeHead();
    const unsigned = { treeSize, lastPosition: this.lastPosition, rootHash: this.frontier.root().toString('hex'), timestamp: (this.options.now ?? (() => new Date()))().toISOString(), keyId: this.keys.activeKeyId };
    const head: SignedTreeHead = { ...unsigned, signature: this.keys.sign(treeHeadMessage(unsigned)) };
    this.signedSize = Math.max(this.signedSize, treeSize);
    await this.store.addTreeHead(head);
    return head;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.subscription?.stop();
    this.subscription = null;
  }

  private async resume(): Promise<void> {
    const state = await this.store.state();
    const refs = edgeNodes(state.size);
    const nodes = await this.store.nodes(refs);
    this.frontier = new MerkleFrontier(state.size, refs.map((r) => nodes.get(nodeKey(r.level, r.index))!));
    this.lastPosition = state.lastPosition;
    this.signedSize = (await this.store.latestTreeHead())?.treeSize ?? 0;
    this.watch.set(state.lastPosition);
    this.subscription = this.events.subscribeToAll({ after: state.lastPosition, onEvents: (batch) => this.serial(() => this.append(batch)), onError: (error) => this.recover(error) });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Appends a batch in pieces that end where a tree head is due, so heads land every `signEvery` events exactly. */
  private async append(batch: RecordedEvent[]): Promise<void> {
    for (let start = 0; start < batch.length; ) {
      const due = Math.max(1, this.signedSize + this.options.signEvery - this.frontier.size);
      const piece = batch.slice(start, start + due);
      await this.appendPiece(piece);
      start += piece.length;
      if (this.frontier.size - this.signedSize >= this.options.signEvery) await this.signCurrent();
    }
    this.failure = null;
  }

  private async appendPiece(events: readonly RecordedEvent[]): Promise<void> {
    const expectedSize = this.frontier.size;
    const leaves: LogLeaf[] = [];
    const nodes: StoredNode[] = [];
    for (const event of events) {
      const made = this.frontier.append(auditLeafHash(event));
      leaves.push({ index: made[0]!.index, position: event.position, hash: made[0]!.hash });
      nodes.push(...made.slice(1));
    }
    await this.store.append(expectedSize, leaves, nodes);
    this.lastPosition = events[events.length - 1]!.position;
    this.watch.set(this.lastPosition);
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
