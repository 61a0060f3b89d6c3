/**
 * An event store that measures its appends (latency by outcome, events per append) and tells
 * listeners what was appended, so the process can count what its commands did (checks, template
 * runs) without the command code knowing about metrics. Everything else passes straight through.
 */
import type { NewEvent } from '@resoft/domain';
import { WrongExpectedRevisionError, type AppendResult, type EventColumnsRead, type EventStore, type ExpectedRevision, type ReadAllOptions, type ReadStreamOptions, type SubscribeOptions, type Subscription } from '@resoft/ports';
import { secondsSince, type Metrics } from './metrics.js';

export type AppendListener = (streamId: string, events: readonly NewEvent[], result: AppendResult) => void;

/** Up to 1000 events in one append (a template run's files come one per event, a document flush one). */
const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

export class MeasuredEventStore implements EventStore {
  private readonly duration;
  private readonly batchSize;
  private readonly listeners: AppendListener[] = [];

  constructor(private readonly inner: EventStore, metrics: Metrics) {
    this.duration = metrics.histogram({
      name: 'resoft_event_store_append_duration_seconds', help: 'Time to append one batch of events to a stream, by outcome (ok, conflict, error).', labelNames: ['outcome'],
    });
    this.batchSize = metrics.histogram({ name: 'resoft_event_store_append_events', help: 'Events per append.', buckets: BATCH_SIZE_BUCKETS });
  }

  /** `listener` hears of every successful append from now on; a listener that throws is ignored. */
  onAppend(listener: AppendListener): void {
    this.listeners.push(listener);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const started = process.hrtime.bigint();
    try {
      const result = await this.inner.append(streamId, events, expected);
      this.duration.record(secondsSince(started), { outcome: 'ok' });
      this.batchSize.record(events.length);
      for (const listener of this.listeners) {
        try {
          listener(streamId, events, result);
        } catch {
          // Measuring must never fail a write that succeeded.
        }
      }
      return result;
    } catch (error) {
      this.duration.record(secondsSince(started), { outcome: error instanceof WrongExpectedRevisionError ? 'conflict' : 'error' });
      throw error;
    }
  }

  readStream(streamId: string, options?: ReadStreamOptions) {
    return this.inner.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions) {
    return this.inner.readAll(options);
  }

  readEventColumns(read: EventColumnsRead) {
    return this.inner.readEventColumns(read);
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
