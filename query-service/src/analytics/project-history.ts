/**
 * A project's raw event history in log order, read from the event store stream by stream (the
 * streams the analytics read model knows for the project) and merged by position, a page per
 * stream at a time: an export of a long history never holds it whole.
 */
import type { RecordedEvent } from '@resoft/domain';
import { AnalyticsReadModels, type AnalyticsStreamView } from '@resoft/projectors';
import type { QueryServiceDeps } from '../query-service-deps.js';

const PAGE = 500;

interface Cursor {
  readonly streamId: string;
  page: RecordedEvent[];
  index: number;
  nextRevision: number;
  exhausted: boolean;
}

export interface HistoryFilter {
  /** Only events at or below this position (the position the export reflects). */
  readonly upTo: number;
  readonly type?: string | undefined;
  readonly since?: number | undefined;
  readonly until?: number | undefined;
}

async function refill(deps: QueryServiceDeps, cursor: Cursor): Promise<void> {
  cursor.page = await deps.eventStore.readStream(cursor.streamId, { fromRevision: cursor.nextRevision, maxCount: PAGE });
  cursor.index = 0;
  cursor.nextRevision += cursor.page.length;
  cursor.exhausted = cursor.page.length < PAGE;
}

const head = (c: Cursor): number => c.page[c.index]!.position;

/** A binary min-heap of cursors by the position of their next event. */
class CursorHeap {
  private readonly items: Cursor[] = [];
  get size(): number {
    return this.items.length;
  }
  push(cursor: Cursor): void {
    const items = this.items;
    items.push(cursor);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (head(items[parent]!) <= head(items[i]!)) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }
  pop(): Cursor {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < items.length && head(items[l]!) < head(items[smallest]!)) smallest = l;
        if (r < items.length && head(items[r]!) < head(items[smallest]!)) smallest = r;
        if (smallest === i) break;
        [items[smallest], items[i]] = [items[i]!, items[smallest]!];
        i = smallest;
      }
    }
    return top;
  }
}

export async function* projectHistory(deps: QueryServiceDeps, projectId: string, filter: HistoryFilter): AsyncIterable<RecordedEvent> {
  const streams = await deps.readStore.find<AnalyticsStreamView>(AnalyticsReadModels.streams, { where: { projectId } });
  const heap = new CursorHeap();
  for (const { id } of streams) {
    const cursor: Cursor = { streamId: id, page: [], index: 0, nextRevision: 0, exhausted: false };
    await refill(deps, cursor);
    if (cursor.page.length > 0) heap.push(cursor);
  }
  while (heap.size > 0) {
    const cursor = heap.pop();
    const event = cursor.page[cursor.index]!;
    // The smallest next position is past the end: so is every other stream's.
    if (event.position > filter.upTo) return;
    cursor.index += 1;
    if (cursor.index >= cursor.page.length && !cursor.exhausted) await refill(deps, cursor);
    if (cursor.index < cursor.page.length) heap.push(cursor);
    const at = Date.parse(event.metadata.occurredAt);
    if ((filter.type && event.type !== filter.type) || (filter.since !== undefined && at < filter.since) || (filter.until !== undefined && at >= filter.until)) continue;
    yield event;
  }
}
