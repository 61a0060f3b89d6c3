/**
 * Applies a batch of events to a read store as one atomic write together with
 * the checkpoint, so a redelivered event is skipped and a crash leaves either
 * all or none of the batch.
 */
import { upcast, type RecordedEvent } from '@resoft/domain';
import { inSpan, traceOfDelivery } from '@resoft/infra';
import { type Checkpoint, type Document, type ReadStore, type WriteBatch, type WriteOp } from '@resoft/ports';
import type { CheckpointMoves } from './checkpoint-moves.js';
import type { Projection, ProjectionUnitOfWork } from './projection.js';

const ERASURE_EVENTS: ReadonlySet<string> = new Set(['UserErased']);

class OverlayUnitOfWork implements ProjectionUnitOfWork {
  private readonly pending = new Map<string, Map<string, Document | null>>();

  constructor(private readonly store: ReadStore, readonly writer: string | null) {}

  async get<T extends Document>(collection: string, id: string): Promise<T | null> {
    const staged = this.pending.get(collection);
    if (staged?.has(id)) return (staged.get(id) ?? null) as T | null;
    return this.store.get<T>(collection, id);
  }

  async findBy<T extends Document>(collection: string, field: string, value: string): Promise<T[]> {
    const staged = this.pending.get(collection) ?? new Map<string, Document | null>();
    const found = new Map<string, Document>();
    for (const doc of await this.store.find<T>(collection, { where: { [field]: value } })) if (!staged.has(doc.id)) found.set(doc.id, doc);
    for (const [id, doc] of staged) if (doc && doc[field] === value) found.set(id, doc);
    return [...found.values()] as T[];
  }

  put(collection: string, doc: Document): void {
    this.staged(collection).set(doc.id, doc);
  }

  delete(collection: string, id: string): void {
    this.staged(collection).set(id, null);
  }

  ops(): WriteOp[] {
    return [...this.pending].flatMap(([collection, docs]) =>
      [...docs].map(([id, doc]): WriteOp => (doc ? { kind: 'put', collection, doc } : { kind: 'delete', collection, id })),
    );
  }

  private staged(collection: string): Map<string, Document | null> {
    let docs = this.pending.get(collection);
    if (!docs) this.pending.set(collection, (docs = new Map()));
    return docs;
  }
}

export interface BatchOptions {
  /** Whether each apply continues the event's trace; default true (a rebuild passes false). */
  readonly traced?: boolean;
  /** The writer of this batch (ProjectionUnitOfWork.writer); default null, the single writer. */
  readonly writer?: string | null;
  /** Where a batch that writes nothing but its checkpoint moves it (with other runners' moves); default: its own write. */
  readonly checkpointMoves?: CheckpointMoves;
}

/** What a projection makes of a batch of events: the write to make and whether it erased someone. */
export interface ProjectedBatch {
  readonly write: WriteBatch & { readonly checkpoint: Checkpoint };
  /** A user's personal data was overwritten: the store's files must not keep the old values. */
  readonly erases: boolean;
}

/**
 * The events of a batch past `checkpoint`, each once: a position at or below one seen before is a
 * redelivery. Within a partition the relay publishes in log order, but a standby relay that takes over
 * from an older checkpoint publishes a run again, and both copies can come in one batch.
 */
export function eventsAfter(checkpoint: number, events: readonly RecordedEvent[]): RecordedEvent[] {
  const fresh: RecordedEvent[] = [];
  let after = checkpoint;
  for (const event of events) {
    if (event.position <= after) continue;
    fresh.push(event);
    after = event.position;
  }
  return fresh;
}

/**
 * Runs the projection over the events after `checkpoint` and answers the write that applies them and
 * moves the checkpoint to the last event's position, without writing it; null when no event is after
 * the checkpoint. The bus consumer writes the batches of all projections of a partition together.
 */
export async function projectBatch(store: ReadStore, projection: Projection, checkpoint: number, events: readonly RecordedEvent[], options: BatchOptions = {}): Promise<ProjectedBatch | null> {
  const fresh = eventsAfter(checkpoint, events);
  const last = fresh[fresh.length - 1];
  if (!last) return null;
  const unit = new OverlayUnitOfWork(store, options.writer ?? null);
  const erases = await applyEvents(projection, fresh, unit, options.traced ?? true);
  return { write: { ops: unit.ops(), checkpoint: { name: projection.name, expected: checkpoint, position: last.position } }, erases };
}

/**
 * Feeds the events a projection handles to it through `unit`, then ends the batch (finishBatch).
 * Answers whether one of them erased a user's personal data.
 */
export async function applyEvents(projection: Projection, events: readonly RecordedEvent[], unit: ProjectionUnitOfWork, traced: boolean): Promise<boolean> {
  let erases = false;
  for (const event of events) {
    if (ERASURE_EVENTS.has(event.type)) erases = true;
    if (!projection.handles.has(event.type)) continue;
    // Live applies continue each event's trace (a span per projection and event); a rebuild passes traced: false.
    const parent = traced ? traceOfDelivery(event) : undefined;
    if (!parent) {
      // A projection that finished synchronously costs no promise and no turn of the microtask queue.
      const applying = projection.apply(upcast(event), unit);
      if (applying) await applying;
    } else {
      await inSpan('projection apply', { role: 'consumer', parent, attributes: () => ({ 'resoft.projection': projection.name, 'resoft.event.type': event.type, 'resoft.position': event.position }) }, async () => projection.apply(upcast(event), unit));
    }
  }
  await projection.finishBatch?.(unit);
  return erases;
}

/**
 * Applies the events after `checkpoint` and moves the checkpoint to the last
 * event's position. Returns the new checkpoint. Throws CheckpointMovedError
 * when another writer moved the checkpoint meanwhile (nothing is written).
 */
export async function applyBatch(store: ReadStore, projection: Projection, checkpoint: number, events: readonly RecordedEvent[], options: BatchOptions = {}): Promise<number> {
  const projected = await projectBatch(store, projection, checkpoint, events, options);
  if (!projected) return checkpoint;
  if (projected.write.ops.length === 0 && options.checkpointMoves) {
    await options.checkpointMoves.move(projected.write.checkpoint);
    return projected.write.checkpoint.position;
  }
  await store.write(projected.write);
  // An erased user's names were just overwritten: the store's files must not keep them (WAL, free pages).
  if (projected.erases) await store.purgeOverwritten?.();
  return projected.write.checkpoint.position;
}
