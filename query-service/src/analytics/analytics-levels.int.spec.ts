/**
 * The timeline reads the coarse level (one document per project, UTC day and writer); its answers
 * must be exactly those summed from each event's own hour (counted straight from the events here:
 * the hour buckets per stream hold file churn only), for random histories, periods, zones
 * (whole-hour, half-hour and 45-minute offsets, daylight-saving changes), intervals, groupings and
 * people filters, with one writer or with several (bus partitions); so must the contributors'
 * answers, which read the same level, and the rooms' answers, read from the rooms' month documents.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecordedEvent } from '@resoft/domain';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { ANALYTICS_AREAS, AnalyticsReadModels, SYSTEM_ACTOR, analyticsProjection, applyBatch, areaOf, generateHistory, hourOf, seededRandom, type AnalyticsDayView } from '@resoft/projectors';
import { activeContributorsTable, contributorsTable, roomsTable, roomVolumeTable, timelineTable, type HourCounts, type RoomHourCounts, type TimelineGroup } from './analytics-answers.js';
import { loadBuckets, loadRoomHours, loadStreams, loadTimelineHours, timelineOmits } from './analytics-data.js';
import { narrowToPeople } from './people-filter.js';
import { bucketStarts, type Interval } from './time-buckets.js';
import type { Row } from './tabular-output.js';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns'];
const GROUPS: TimelineGroup[] = ['type', 'area', 'actor', undefined];
const HOUR = 3_600_000;

/** One project's rooms' chat per UTC hour whose start is in [since, until) (since rounded down): an entry for every hour with an event of the room, counted from the events. */
function eventRoomHours(events: readonly RecordedEvent[], projectId: string, since: number, until: number): RoomHourCounts[] {
  const from = `${new Date(since).toISOString().slice(0, 13)}:00:00.000Z`;
  const to = new Date(until).toISOString();
  const waiting = new Map<string, { author: string; at: number }>();
  const hours = new Map<string, { streamId: string; hour: string; messages: number; responses: { count: number; totalMs: number; maxMs: number } }>();
  for (const e of events) {
    const data = e.data as { projectId?: unknown; authorId?: string };
    if (data.projectId !== projectId || !e.streamId.startsWith('room-') || !areaOf(e.type)) continue;
    const hour = hourOf(e.metadata.occurredAt);
    const at = Date.parse(e.metadata.occurredAt);
    let h = hours.get(`${e.streamId}|${hour}`);
    if (!h) hours.set(`${e.streamId}|${hour}`, (h = { streamId: e.streamId, hour, messages: 0, responses: { count: 0, totalMs: 0, maxMs: 0 } }));
    if (e.type !== 'ChatMessagePosted') continue;
    h.messages += 1;
    const w = waiting.get(e.streamId);
    if (!w) waiting.set(e.streamId, { author: data.authorId!, at });
    else if (w.author !== data.authorId) {
      const waited = Math.max(0, at - w.at);
      h.responses.count += 1;
      h.responses.totalMs += waited;
      h.responses.maxMs = Math.max(h.responses.maxMs, waited);
      waiting.set(e.streamId, { author: data.authorId!, at });
    }
  }
  return [...hours.values()].filter((h) => h.hour >= from && h.hour < to);
}

/** One project's counts per UTC hour (of each event, as one stream's hour) whose start is in [since, until), since rounded down to its hour: counted from the events. */
function eventHours(events: readonly RecordedEvent[], projectId: string, since: number, until: number): HourCounts[] {
  const from = `${new Date(since).toISOString().slice(0, 13)}:00:00.000Z`;
  const to = new Date(until).toISOString();
  const hours = new Map<string, { projectId: string; hour: string; total: number; types: Record<string, number>; areas: Record<string, number>; actors: Record<string, number>; actorAreas: Record<string, Record<string, number>> }>();
  const bump = (counts: Record<string, number>, key: string) => { counts[key] = (counts[key] ?? 0) + 1; };
  for (const e of events) {
    const area = areaOf(e.type);
    if ((e.data as { projectId?: unknown }).projectId !== projectId || !area) continue;
    const hour = hourOf(e.metadata.occurredAt);
    if (hour < from || hour >= to) continue;
    const key = `${e.streamId}@${hour}`;
    let h = hours.get(key);
    if (!h) hours.set(key, (h = { projectId, hour, total: 0, types: {}, areas: {}, actors: {}, actorAreas: {} }));
    const actor = e.metadata.actor ?? SYSTEM_ACTOR;
    h.total += 1;
    bump(h.types, e.type);
    bump(h.areas, area);
    bump(h.actors, actor);
    bump((h.actorAreas[actor] ??= {}), area);
  }
  return [...hours.values()];
}

/** Projects in random batches (some events delivered twice), as one writer or as `writers` bus partitions splitting the streams. */
async function project(events: readonly RecordedEvent[], store: SqliteReadStore, seed: number, writers: number): Promise<void> {
  const random = seededRandom(seed);
  const partitionOf = (streamId: string): number => [...streamId].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % writers;
  for (let p = 0; p < writers; p++) {
    const mine = writers === 1 ? events : events.filter((e) => partitionOf(e.streamId) === p);
    const projection = writers === 1 ? analyticsProjection : { ...analyticsProjection, name: `analytics@p${p}` };
    let checkpoint = 0;
    for (let i = 0; i < mine.length; ) {
      const size = 1 + Math.floor(random() * 80);
      const from = Math.max(0, i - Math.floor(random() * 3));
      checkpoint = await applyBatch(store, projection, checkpoint, mine.slice(from, i + size), { writer: writers === 1 ? null : `p${p}` });
      i += size;
    }
  }
}

describe('the timeline from the coarse level', () => {
  let dir: string;
  let eventStore: SqliteEventStore;
  let store: SqliteReadStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-analytics-levels-'));
    eventStore = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    store = new SqliteReadStore({ file: path.join(dir, 'read.sqlite') });
    for (const spec of analyticsProjection.collections) await store.ensureCollection(spec);
  });
  afterEach(async () => {
    await eventStore.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [1, 1, 40],
    [2, 3, 180],
    [3, 2, 600],
  ])('answers as the hourly documents do (seed %i, %i writer(s), clock steps up to %i minutes)', async (seed, writers, stepMinutes) => {
    const history = generateHistory({ seed, projects: 3, events: 1500, realEdits: false, maxStepMs: stepMinutes * 60_000, tag: `levels${seed}` });
    for (const { streamId, event } of history) await eventStore.append(streamId, [event], 'any');
    const events = await eventStore.readAll();
    await project(events, store, seed, writers);
    const projectIds = history.filter((a) => a.event.type === 'ProjectCreated').map((a) => (a.event.data as { projectId: string }).projectId);
    const days = await store.find<AnalyticsDayView>(AnalyticsReadModels.days);
    expect(new Set(days.map((d) => d.writer)).size).toBe(writers);

    const first = Date.parse(events[0]!.metadata.occurredAt);
    const last = Date.parse(events[events.length - 1]!.metadata.occurredAt);
    const random = seededRandom(seed * 7919);
    let compared = 0;
    let roomPeriods = 0;
    let monthsCrossed = 0;
    let nonEmpty = 0;
    for (let round = 0; round < 60; round++) {
      const interval = (['hour', 'day', 'week'] as const)[round % 3]! as Interval;
      const tz = ZONES[Math.floor(random() * ZONES.length)]!;
      const groupBy = GROUPS[Math.floor(random() * GROUPS.length)];
      const projectId = projectIds[Math.floor(random() * projectIds.length)]!;
      // Periods start and end anywhere (minutes included), some before or after the history.
      const since = first - 2 * 24 * HOUR + Math.floor(random() * (last - first + 2 * 24 * HOUR));
      const span = interval === 'hour' ? Math.floor(random() * 60 * 24 * HOUR) : Math.floor(random() * (last - since + 30 * 24 * HOUR));
      const until = since + Math.max(HOUR / 2, span);
      const starts = bucketStarts(since, until, interval, tz, 2000)!;
      const b = { interval, tz, starts };
      const periodStart = starts[0]!;
      // Someone's events (or `system`'s, or a stranger's) narrow the areas and people groupings.
      const fine = eventHours(events, projectId, periodStart, until);
      const actors = [...new Set(fine.flatMap((d) => Object.keys(d.actors)))];
      const people = groupBy !== 'type' && random() < 0.4 ? [actors[Math.floor(random() * actors.length)] ?? 'system', 'system', 'no-one'] : undefined;
      const coarse = await loadTimelineHours(store, projectId, periodStart, until, timelineOmits(groupBy, Boolean(people)));
      const narrow = <D extends HourCounts>(docs: D[]): D[] => (people ? narrowToPeople(docs, people) : docs);
      const expected = timelineTable(narrow(fine), b, groupBy);
      expect({ interval, tz, groupBy, people, since, until, table: timelineTable(narrow(coarse), b, groupBy) }).toEqual({ interval, tz, groupBy, people, since, until, table: expected });
      // Contributors read the same hours (and the hour buckets' churn, the same either way).
      const churn = await loadBuckets(store, projectId, periodStart, until, ['types', 'areas', 'actors', 'actorAreas', 'responses']);
      const allHours = await loadTimelineHours(store, projectId, periodStart, until);
      const names = new Map<string, string>();
      expect(contributorsTable(allHours, churn, b, names, ANALYTICS_AREAS)).toEqual(contributorsTable(fine, churn, b, names, ANALYTICS_AREAS));
      expect(activeContributorsTable(allHours, b)).toEqual(activeContributorsTable(fine, b));
      // The rooms' answers read the rooms' month documents overlapping the period.
      const rooms = await loadStreams(store, projectId, 'room');
      const roomHours = await loadRoomHours(store, projectId, periodStart, until, rooms);
      const directRoomHours = eventRoomHours(events, projectId, periodStart, until);
      expect(roomsTable(roomHours, rooms)).toEqual(roomsTable(directRoomHours, rooms));
      expect(roomVolumeTable(roomHours, b, rooms)).toEqual(roomVolumeTable(directRoomHours, b, rooms));
      if (directRoomHours.some((h) => h.messages > 0)) roomPeriods += 1;
      if (new Set(directRoomHours.map((h) => h.hour.slice(0, 7))).size > 1) monthsCrossed += 1;
      compared += 1;
      if ((expected.rows as Row[]).some((r) => (r['total'] as number) > 0)) nonEmpty += 1;
    }
    expect(compared).toBe(60);
    // Most periods hold events, or the comparison proves little.
    expect(nonEmpty).toBeGreaterThan(30);
    expect(roomPeriods).toBeGreaterThan(10);
    if (stepMinutes >= 180) expect(monthsCrossed).toBeGreaterThan(5);
  }, 180_000);

  it('reads one document per project and UTC day with events, not one per stream and hour with events', async () => {
    const history = generateHistory({ seed: 4, projects: 1, events: 2000, realEdits: false, maxStepMs: 30 * 60_000, tag: 'levels4' });
    for (const { streamId, event } of history) await eventStore.append(streamId, [event], 'any');
    await project(await eventStore.readAll(), store, 4, 1);
    const projectId = (history[0]!.event.data as { projectId: string }).projectId;
    const hourly = eventHours(await eventStore.readAll(), projectId, 0, Date.parse('9999-01-01T00:00:00Z'));
    const daily = await store.find<AnalyticsDayView>(AnalyticsReadModels.days, { where: { projectId } });
    const daysWithEvents = new Set(hourly.map((d) => d.hour.slice(0, 10)));
    expect(daily.map((d) => d.day.slice(0, 10)).sort()).toEqual([...daysWithEvents].sort());
    expect(daily.length * 5).toBeLessThan(hourly.length);
  }, 120_000);
});
