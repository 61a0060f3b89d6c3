/**
 * The analytics rebuild counts into documents it holds itself and writes each once
 * (analytics-rebuild-state.ts); past its bound on held period documents it writes out the oldest
 * periods (and past another, the idle streams) mid-rebuild. Whatever it wrote when, the read models equal those the live projection
 * builds batch by batch, also when events come after their period was written out (an out-of-order
 * `occurredAt`): those documents are read back and counted into.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@resoft/domain';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import type { ReadStore, StagingReadStore, WriteBatch } from '@resoft/ports';
import { applyBatch } from '../runtime/apply-batch.js';
import { rebuildProjection } from '../runtime/rebuild-projection.js';
import { generateHistory } from './analytics-history.fixture.js';
import { AnalyticsReadModels, dayDocId, dayOfHour, hourOf } from './analytics-model.js';
import { analyticsProjection, createAnalyticsProjection } from './analytics-projection.js';

const COLLECTIONS = Object.values(AnalyticsReadModels);

/** Every analytics document, by collection, in id order. */
async function analyticsDocuments(store: ReadStore): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const collection of COLLECTIONS) out[collection] = await store.find(collection, { orderBy: [{ field: 'id', direction: 'asc' }] });
  return out;
}

/** A read store whose staging stores report every write made to them, as `[collection, id]` lists. */
function watchingStagingWrites(store: ReadStore, writes: [string, string][][]): ReadStore {
  return new Proxy(store, {
    get: (target, key) => {
      if (key === 'staging') {
        return async (...args: Parameters<ReadStore['staging']>): Promise<StagingReadStore> => {
          const staging = await target.staging(...args);
          return new Proxy(staging, {
            get: (s, k) => {
              if (k === 'write') {
                return (batch: WriteBatch) => {
                  writes.push(batch.ops.map((op) => [op.collection, op.kind === 'put' ? op.doc.id : op.id]));
                  return s.write(batch);
                };
              }
              const value = Reflect.get(s, k) as unknown;
              return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(s) : value;
            },
          });
        };
      }
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A copy of a generated event at another time (a fresh id). */
const at = (event: NewEvent, occurredAt: string): NewEvent => ({ ...event, id: randomUUID(), metadata: { ...event.metadata, correlationId: randomUUID(), occurredAt } });

describe('the analytics rebuild', () => {
  let dir: string;
  let events: SqliteEventStore;
  const stores: SqliteReadStore[] = [];
  const readStore = (name: string): SqliteReadStore => {
    const store = new SqliteReadStore({ file: path.join(dir, `${name}.sqlite`) });
    stores.push(store);
    return store;
  };
  /** The live projection's documents: the whole log applied in batches of 37 events. */
  const live = async (): Promise<Record<string, unknown[]>> => {
    const store = readStore('live');
    for (const spec of analyticsProjection.collections) await store.ensureCollection(spec);
    for (let checkpoint = 0; ; ) {
      const batch = await events.readAll({ after: checkpoint, maxCount: 37 });
      if (batch.length === 0) break;
      checkpoint = await applyBatch(store, analyticsProjection, checkpoint, batch);
    }
    return analyticsDocuments(store);
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-analytics-rebuild-'));
    events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await events.close();
    for (const store of stores.splice(0)) await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes out the documents of past periods mid-rebuild, when it holds more than its bound, and builds what the live projection builds', async () => {
    // Weeks of history in time order: many hours, days and two months.
    for (const { streamId, event } of generateHistory({ seed: 4, projects: 2, events: 1500, maxStepMs: 90 * 60_000 })) await events.append(streamId, [event], 'any');
    const expected = await live();
    expect(expected[AnalyticsReadModels.days]!.length).toBeGreaterThan(20);
    expect(new Set((expected[AnalyticsReadModels.roomMonths] as { month: string }[]).map((m) => m.month)).size).toBeGreaterThan(1);

    const whole = readStore('whole');
    const wholeWrites: [string, string][][] = [];
    await rebuildProjection(events, watchingStagingWrites(whole, wholeWrites), analyticsProjection, undefined, { pageSize: 50 });
    expect(await analyticsDocuments(whole)).toEqual(expected);
    // Held whole (the default bound): every document written once, at the end.
    const written = wholeWrites.flat();
    expect(new Set(written.map(([c, id]) => `${c}/${id}`)).size).toBe(written.length);

    // A small keptDocuments: the write-back hands what it is given to the store every page, so the writes show when documents were written out.
    const bounded = readStore('bounded');
    const boundedWrites: [string, string][][] = [];
    await rebuildProjection(events, watchingStagingWrites(bounded, boundedWrites), createAnalyticsProjection({ rebuildHeldPeriodDocuments: 30, rebuildHeldStreams: 10 }), undefined, { pageSize: 50, keptDocuments: 20 });
    expect(await analyticsDocuments(bounded)).toEqual(expected);
    // Day documents were written before the last write, by more than one write.
    const withDays = boundedWrites.filter((ops) => ops.some(([c]) => c === AnalyticsReadModels.days));
    expect(withDays.length).toBeGreaterThan(2);
  });

  it('counts an event of a period already written out into the written document (an out-of-order time), and one of a period never seen into a new one', async () => {
    const history = generateHistory({ seed: 5, projects: 2, events: 1200, maxStepMs: 90 * 60_000 });
    for (const { streamId, event } of history) await events.append(streamId, [event], 'any');
    const first = history.find(({ event }) => event.type === 'ChatMessagePosted')!;
    const change = history.find(({ event }) => event.type === 'DocumentChanged')!;
    const created = history.find(({ event }) => event.type === 'FileCreated')!;
    const early = (stamp: string): string => new Date(Date.parse(stamp) + 60_000).toISOString();
    // Late in the log, events of the first hours (their documents long written out by then), and of a day before any.
    for (const { streamId, event } of [first, change, created]) {
      await events.append(streamId, [at(event, early(event.metadata.occurredAt))], 'any');
      await events.append(streamId, [at(event, '2025-01-15T10:30:00.000Z')], 'any');
    }
    const expected = await live();

    const bounded = readStore('bounded');
    const writes: [string, string][][] = [];
    await rebuildProjection(events, watchingStagingWrites(bounded, writes), createAnalyticsProjection({ rebuildHeldPeriodDocuments: 30, rebuildHeldStreams: 10 }), undefined, { pageSize: 50, keptDocuments: 20 });
    expect(await analyticsDocuments(bounded)).toEqual(expected);
    // The first message's day document was written out early, then again with the late event counted in.
    const firstDay = dayDocId((first.event.data as { projectId: string }).projectId, dayOfHour(hourOf(first.event.metadata.occurredAt)), null);
    expect(writes.filter((ops) => ops.some(([c, id]) => c === AnalyticsReadModels.days && id === firstDay)).length).toBe(2);
    const whole = readStore('whole');
    await rebuildProjection(events, whole, analyticsProjection);
    expect(await analyticsDocuments(whole)).toEqual(expected);
    // The early events were counted into the documents of their periods.
    const days = expected[AnalyticsReadModels.days] as { day: string }[];
    expect(days.some((d) => d.day === '2025-01-15T00:00:00.000Z')).toBe(true);
  });
});
