/**
 * The analytics read models equal direct counts over generated histories (several seeds, random
 * batch sizes), also after a rebuild, on the SQLite document store and (with MONGO_URL) on MongoDB.
 * File churn is checked against the version history (`listFileVersions`), an independent count.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RecordedEvent } from '@resoft/domain';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { type ReadStore } from '@resoft/ports';
import { listFileVersions, readFileOrigin } from '@resoft/documents';
import { MongoReadStore } from '@resoft/adapter-mongodb';
import { applyBatch } from '../runtime/apply-batch.js';
import { rebuildProjection } from '../runtime/rebuild-projection.js';
import { areaOf } from './analytics-areas.js';
import { bucketCounts, streamOfBucket } from './analytics-bucket.js';
import { generateHistory, seededRandom } from './analytics-history.fixture.js';
import { AnalyticsReadModels, HOURLY_BUCKET_TYPES, SYSTEM_ACTOR, hourOf, hourOfMonthKey, type AnalyticsBucketView, type AnalyticsDayView, type AnalyticsRoomMonthView, type AnalyticsStreamView } from './analytics-model.js';
import { analyticsProjection } from './analytics-projection.js';

const MONGO_URL = process.env['MONGO_URL'];
if (!MONGO_URL) console.log('analytics projection on MongoDB skipped: MONGO_URL is not set (start an engine with infra/engines/ferretdb.sh start)');

type Tally = Record<string, number>;
const add = (tally: Tally, key: string, by = 1): void => {
  tally[key] = (tally[key] ?? 0) + by;
};
const projectOf = (e: RecordedEvent): string | null => {
  const projectId = (e.data as { projectId?: unknown }).projectId;
  return typeof projectId === 'string' && areaOf(e.type) ? projectId : null;
};

/** What the read model must hold, counted straight from the events. */
function directCounts(events: readonly RecordedEvent[]): { byType: Tally; byArea: Tally; byActor: Tally; responses: Tally; roomHours: Tally; agents: Tally; milestones: Tally; checks: Tally } {
  const byType: Tally = {};
  const roomHours: Tally = {};
  const byArea: Tally = {};
  const byActor: Tally = {};
  const responses: Tally = {};
  const agents: Tally = {};
  const milestones: Tally = {};
  const checks: Tally = {};
  const waiting = new Map<string, { author: string; at: number }>();
  const started = new Map<string, number>();
  const created = new Map<string, number>();
  const lastMilestone = new Map<string, number>();
  for (const e of events) {
    const projectId = projectOf(e);
    if (!projectId) continue;
    const hour = hourOf(e.metadata.occurredAt);
    const at = Date.parse(e.metadata.occurredAt);
    add(byType, `${projectId}|${hour}|${e.type}`);
    add(byArea, `${projectId}|${hour}|${areaOf(e.type)}`);
    add(byActor, `${projectId}|${hour}|${e.metadata.actor ?? SYSTEM_ACTOR}`);
    add(byActor, `${projectId}|${hour}|${e.metadata.actor ?? SYSTEM_ACTOR}|${areaOf(e.type)}`);
    const data = e.data as Record<string, any>;
    if (e.type === 'ChatMessagePosted') {
      add(roomHours, `${e.streamId}|${hour}|messages`);
      const w = waiting.get(e.streamId);
      if (!w) waiting.set(e.streamId, { author: data['authorId'], at });
      else if (w.author !== data['authorId']) {
        add(responses, `${e.streamId}|count`);
        add(responses, `${e.streamId}|ms`, at - w.at);
        add(roomHours, `${e.streamId}|${hour}|responses`);
        add(roomHours, `${e.streamId}|${hour}|ms`, at - w.at);
        waiting.set(e.streamId, { author: data['authorId'], at });
      }
    }
    if (e.type === 'AgentActivityStarted') started.set(e.streamId, at);
    if (e.type === 'AgentActivityCompleted' || e.type === 'AgentActivityFailed') {
      agents[e.streamId] = at - started.get(e.streamId)!;
      agents[`${e.streamId}|failed`] = e.type === 'AgentActivityFailed' ? 1 : 0;
    }
    if (e.type === 'ProjectCreated') created.set(projectId, at);
    if (e.type === 'MilestoneReached') {
      milestones[`${data['milestoneId']}|created`] = at - created.get(projectId)!;
      milestones[`${data['milestoneId']}|previous`] = at - (lastMilestone.get(projectId) ?? created.get(projectId)!);
      lastMilestone.set(projectId, at);
    }
    if (e.type === 'CheckCompleted') checks[e.streamId] = data['score'];
    if (e.type === 'LinterFinished') add(checks, `${e.streamId}|findings`, data['findings'].length);
  }
  return { byType, byArea, byActor, responses, roomHours, agents, milestones, checks };
}

/**
 * What the hour buckets and stream documents must hold: the direct counts, those by type, area and
 * person of the events that have hour buckets only (HOURLY_BUCKET_TYPES: churn and chat); every
 * event's are in the day documents (dayLevelCounts).
 */
function directCountsOfBuckets(events: readonly RecordedEvent[]): ReturnType<typeof directCounts> {
  const { byType, byArea, byActor } = directCounts(events.filter((e) => HOURLY_BUCKET_TYPES.has(e.type)));
  return { ...directCounts(events), byType, byArea, byActor };
}

/** The same figures, summed over the read model's documents. */
async function readModelCounts(store: ReadStore): Promise<ReturnType<typeof directCounts>> {
  const byType: Tally = {};
  const roomHours: Tally = {};
  const byArea: Tally = {};
  const byActor: Tally = {};
  const responses: Tally = {};
  const agents: Tally = {};
  const milestones: Tally = {};
  const checks: Tally = {};
  for (const b of (await store.find<AnalyticsBucketView>(AnalyticsReadModels.buckets)).map(bucketCounts)) {
    for (const [type, n] of Object.entries(b.types)) add(byType, `${b.projectId}|${b.hour}|${type}`, n);
    for (const [area, n] of Object.entries(b.areas)) add(byArea, `${b.projectId}|${b.hour}|${area}`, n);
    for (const [actor, n] of Object.entries(b.actors)) add(byActor, `${b.projectId}|${b.hour}|${actor}`, n);
    for (const [actor, areas] of Object.entries(b.actorAreas)) for (const [area, n] of Object.entries(areas)) add(byActor, `${b.projectId}|${b.hour}|${actor}|${area}`, n);
  }
  for (const m of await store.find<AnalyticsRoomMonthView>(AnalyticsReadModels.roomMonths)) {
    expect(m.id).toBe(`${m.streamId}|${m.month}`);
    for (const [key, h] of Object.entries(m.hours)) {
      // Keys name the hour within the month without a '.', which MongoDB refuses in field names.
      expect(key).toMatch(/^\d\dT\d\d$/);
      const hour = hourOfMonthKey(m.month, key);
      if (h.messages > 0) add(roomHours, `${m.streamId}|${hour}|messages`, h.messages);
      if (h.responses) {
        add(roomHours, `${m.streamId}|${hour}|responses`, h.responses.count);
        add(roomHours, `${m.streamId}|${hour}|ms`, h.responses.totalMs);
      }
    }
  }
  for (const s of await store.find<AnalyticsStreamView>(AnalyticsReadModels.streams)) {
    if (s.room && s.room.responses > 0) {
      responses[`${s.id}|count`] = s.room.responses;
      responses[`${s.id}|ms`] = s.room.responseTotalMs;
    }
    if (s.agent && s.agent.status !== 'running') {
      agents[s.id] = s.agent.durationMs!;
      agents[`${s.id}|failed`] = s.agent.status === 'failed' ? 1 : 0;
    }
    for (const m of s.project?.milestones ?? []) {
      milestones[`${m.milestoneId}|created`] = m.sinceCreatedMs;
      milestones[`${m.milestoneId}|previous`] = m.sincePreviousMs;
    }
    if (s.check) {
      if (s.check.score !== null) checks[s.id] = s.check.score;
      if (s.check.findings.length > 0) checks[`${s.id}|findings`] = s.check.findings.length;
    }
  }
  return { byType, byArea, byActor, responses, roomHours, agents, milestones, checks };
}

/** The counts by type, area and actor as the coarse level (per project and UTC day, hours inside) holds them. */
async function dayLevelCounts(store: ReadStore): Promise<Pick<ReturnType<typeof directCounts>, 'byType' | 'byArea' | 'byActor'>> {
  const byType: Tally = {};
  const byArea: Tally = {};
  const byActor: Tally = {};
  for (const d of await store.find<AnalyticsDayView>(AnalyticsReadModels.days)) {
    const hourOfDay = (h: string) => `${d.projectId}|${d.day.slice(0, 11)}${h}:00:00.000Z`;
    for (const [h, types] of Object.entries(d.types)) for (const [type, n] of Object.entries(types)) add(byType, `${hourOfDay(h)}|${type}`, n);
    for (const [h, areas] of Object.entries(d.areas)) for (const [area, n] of Object.entries(areas)) add(byArea, `${hourOfDay(h)}|${area}`, n);
    for (const [h, actors] of Object.entries(d.actors)) for (const [actor, n] of Object.entries(actors)) add(byActor, `${hourOfDay(h)}|${actor}`, n);
    for (const [h, actors] of Object.entries(d.actorAreas)) for (const [actor, areas] of Object.entries(actors)) for (const [area, n] of Object.entries(areas)) add(byActor, `${hourOfDay(h)}|${actor}|${area}`, n);
    for (const [h, total] of Object.entries(d.total)) expect(total).toBe(Object.values(d.areas[h] ?? {}).reduce((a, b) => a + b, 0));
  }
  return { byType, byArea, byActor };
}

async function churnFromReadModel(store: ReadStore): Promise<Tally> {
  const churn: Tally = {};
  for (const b of (await store.find<AnalyticsBucketView>(AnalyticsReadModels.buckets)).map(bucketCounts)) {
    for (const [fileId, byActor] of Object.entries(b.churn)) {
      for (const [actor, { inserted, removed }] of Object.entries(byActor)) {
        add(churn, `${fileId}|${actor}|inserted`, inserted);
        add(churn, `${fileId}|${actor}|removed`, removed);
      }
    }
  }
  return churn;
}

async function churnFromVersions(events: SqliteEventStore, all: readonly RecordedEvent[]): Promise<Tally> {
  const churn: Tally = {};
  for (const e of all.filter((x) => x.type === 'FileCreated')) {
    const { projectId, fileId } = e.data as { projectId: string; fileId: string };
    for (const v of await listFileVersions(events, (await readFileOrigin(events, projectId, fileId))!)) {
      add(churn, `${fileId}|${v.authorId}|inserted`, v.inserted);
      add(churn, `${fileId}|${v.authorId}|removed`, v.removed);
    }
  }
  return churn;
}

async function projectInRandomBatches(events: SqliteEventStore, store: ReadStore, seed: number): Promise<number> {
  const random = seededRandom(seed);
  const all = await events.readAll();
  let checkpoint = 0;
  for (let i = 0; i < all.length; ) {
    const size = 1 + Math.floor(random() * 60);
    // Deliver some events twice, as at-least-once delivery may.
    const from = Math.max(0, i - Math.floor(random() * 3));
    checkpoint = await applyBatch(store, analyticsProjection, checkpoint, all.slice(from, i + size));
    i += size;
  }
  return checkpoint;
}

const stores: [string, () => Promise<{ store: ReadStore; dispose: () => Promise<void> }>][] = [
  ['the SQLite document store', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-analytics-read-'));
    const store = new SqliteReadStore({ file: path.join(dir, 'read.sqlite') });
    return { store, dispose: async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }],
];
if (MONGO_URL) {
  stores.push(['MongoDB', async () => {
    const store = await MongoReadStore.connect({ url: MONGO_URL, database: `resoft_analytics_${randomBytes(5).toString('hex')}` });
    return { store, dispose: async () => { await store.database.dropDatabase(); await store.close(); } };
  }]);
}

describe.each(stores)('the analytics projection on %s', (_name, open) => {
  let dir: string;
  let events: SqliteEventStore;
  let store: ReadStore;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-analytics-'));
    events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    ({ store, dispose } = await open());
    for (const spec of analyticsProjection.collections) await store.ensureCollection(spec);
  });
  afterEach(async () => {
    await events.close();
    await dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([1, 2, 3])('equals a direct count over generated history %i, and again after a rebuild', async (seed) => {
    for (const { streamId, event } of generateHistory({ seed, projects: 3, events: 400 })) await events.append(streamId, [event], 'any');
    const all = await events.readAll();
    const expected = directCounts(all);
    const expectedOfBuckets = directCountsOfBuckets(all);
    expect(Object.keys(expectedOfBuckets.byType).length).toBeGreaterThan(10);
    expect(Object.keys(expected.roomHours).length).toBeGreaterThan(10);
    const expectedChurn = await churnFromVersions(events, all);
    expect(Object.keys(expected.byType).length).toBeGreaterThan(20);

    const checkpoint = await projectInRandomBatches(events, store, seed);
    expect(checkpoint).toBe(all[all.length - 1]!.position);
    expect(await readModelCounts(store)).toEqual(expectedOfBuckets);
    expect(await dayLevelCounts(store)).toEqual({ byType: expected.byType, byArea: expected.byArea, byActor: expected.byActor });
    expect(await churnFromReadModel(store)).toEqual(expectedChurn);

    const byId = { orderBy: [{ field: 'id', direction: 'asc' as const }] };
    const before = await store.find(AnalyticsReadModels.buckets, byId);
    const daysBefore = await store.find(AnalyticsReadModels.days, byId);
    await rebuildProjection(events, store, analyticsProjection);
    expect(await store.find(AnalyticsReadModels.buckets, byId)).toEqual(before);
    expect(await store.find(AnalyticsReadModels.days, byId)).toEqual(daysBefore);
    expect(await readModelCounts(store)).toEqual(expectedOfBuckets);
    expect(await dayLevelCounts(store)).toEqual({ byType: expected.byType, byArea: expected.byArea, byActor: expected.byActor });
    expect(await store.getCheckpoint(analyticsProjection.name)).toBe(checkpoint);
    // Generous: on MongoDB each random batch is a round trip, and the shared CI machine can be slow.
  }, 180_000);

  it('keeps every document to the events of one stream, and each day document to one writer', async () => {
    for (const { streamId, event } of generateHistory({ seed: 9, projects: 2, events: 200 })) await events.append(streamId, [event], 'any');
    await projectInRandomBatches(events, store, 9);
    const streams = new Set((await events.readAll()).map((e) => e.streamId));
    for (const b of await store.find<AnalyticsBucketView>(AnalyticsReadModels.buckets)) {
      expect(streams.has(streamOfBucket(b.id))).toBe(true);
      expect(b.id).toBe(`${streamOfBucket(b.id)}@${b.hour}`);
    }
    for (const s of await store.find<AnalyticsStreamView>(AnalyticsReadModels.streams)) expect(streams.has(s.id)).toBe(true);
    for (const m of await store.find<AnalyticsRoomMonthView>(AnalyticsReadModels.roomMonths)) {
      expect(streams.has(m.streamId)).toBe(true);
      expect(m.id).toBe(`${m.streamId}|${m.month}`);
    }
    // Two bus partitions' consumers write their own day documents beside the single writer's.
    const all = await events.readAll();
    for (const p of [0, 1]) await applyBatch(store, { ...analyticsProjection, name: `analytics@p${p}` }, 0, all.filter((_e, i) => i % 2 === p), { writer: `p${p}` });
    const days = await store.find<AnalyticsDayView>(AnalyticsReadModels.days);
    expect(new Set(days.map((d) => d.writer))).toEqual(new Set([null, 'p0', 'p1']));
    for (const d of days) expect(d.id).toBe(`${d.projectId}@${d.day.slice(0, 10)}${d.writer === null ? '' : `@${d.writer}`}`);
    const totals = (writer: string | null) => days.filter((d) => d.writer === writer).reduce((n, d) => n + Object.values(d.total).reduce((a, b) => a + b, 0), 0);
    expect(totals('p0') + totals('p1')).toBe(totals(null));
  });
});
