/**
 * The analysts' figures, summed from the analytics read models: pure functions from documents to
 * tables, so the same sums serve JSON, CSV, NDJSON and the cross-project timeline.
 */
import type { AnalyticsBucketCounts, AnalyticsStreamView, FindingKey, ResponseCounts } from '@resoft/projectors';
import { bucketStart, localIso, type Interval } from './time-buckets.js';
import type { Row, Table } from './tabular-output.js';

export interface Buckets {
  readonly interval: Interval;
  readonly tz: string;
  /** Bucket starts, ascending (every bucket of the period, empty ones too). */
  readonly starts: readonly number[];
}

/** A project's (or one stream's) counts of one UTC hour: what a timeline sums. */
export type HourCounts = Pick<AnalyticsBucketCounts, 'projectId' | 'hour' | 'total' | 'types' | 'areas' | 'actors' | 'actorAreas'>;

/** A room's chat in one UTC hour, as the rooms' answers sum it. */
export interface RoomHourCounts {
  readonly streamId: string;
  readonly hour: string;
  readonly messages: number;
  readonly responses: ResponseCounts;
}

/** The bucket of each document's hour, worked out once per distinct hour. */
function bucketOf(buckets: Buckets): (doc: HourCounts) => number {
  const startOfHour = new Map<string, number>();
  return (doc) => {
    let start = startOfHour.get(doc.hour);
    if (start === undefined) startOfHour.set(doc.hour, (start = bucketStart(Date.parse(doc.hour), buckets.interval, buckets.tz)));
    return start;
  };
}

/** Sums `value(doc)` per bucket and column key. */
function perBucket<D extends HourCounts>(docs: readonly D[], buckets: Buckets, keysOf: (doc: D) => Record<string, number>, startOf = bucketOf(buckets)): Map<number, Map<string, number>> {
  const sums = new Map<number, Map<string, number>>(buckets.starts.map((s) => [s, new Map()]));
  for (const doc of docs) {
    const row = sums.get(startOf(doc));
    if (!row) continue;
    for (const [key, n] of Object.entries(keysOf(doc))) row.set(key, (row.get(key) ?? 0) + n);
  }
  return sums;
}

export type TimelineGroup = 'type' | 'area' | 'actor' | 'project' | undefined;

const groupKeys = (groupBy: TimelineGroup) => (doc: HourCounts): Record<string, number> => {
  switch (groupBy) {
    case 'type':
      return doc.types;
    case 'area':
      return doc.areas;
    case 'actor':
      return doc.actors;
    case 'project':
      return { [doc.projectId]: doc.total };
    default:
      return {};
  }
};

/** One row per bucket: its local start, the total, and a column per group key (zero when none). */
export function timelineTable(docs: readonly HourCounts[], buckets: Buckets, groupBy: TimelineGroup, fixedKeys: readonly string[] = []): Table {
  const startOf = bucketOf(buckets);
  const keysOf = groupKeys(groupBy);
  // One pass, no entry arrays: a year of a busy project is thousands of hours (docs/performance.md).
  const totals = new Map<number, number>(buckets.starts.map((s) => [s, 0]));
  const groups = new Map<number, Map<string, number>>(buckets.starts.map((s) => [s, new Map()]));
  for (const doc of docs) {
    const start = startOf(doc);
    const row = groups.get(start);
    if (!row) continue;
    totals.set(start, totals.get(start)! + doc.total);
    const counts = keysOf(doc);
    for (const key in counts) row.set(key, (row.get(key) ?? 0) + counts[key]!);
  }
  const keys = [...new Set([...fixedKeys, ...[...groups.values()].flatMap((m) => [...m.keys()])])].sort();
  const rows: Row[] = buckets.starts.map((start) => {
    const row: Row = { bucket: localIso(start, buckets.tz), total: totals.get(start) ?? 0 };
    for (const key of keys) row[key] = groups.get(start)?.get(key) ?? 0;
    return row;
  });
  return { columns: ['bucket', 'total', ...keys], rows };
}

/**
 * One row per person: what they did in the period, by area (from the project's hours: the day level,
 * `hours`), with their file churn (from the hour buckets, `churnDocs`) and active buckets.
 */
export function contributorsTable(hours: readonly HourCounts[], churnDocs: readonly Pick<AnalyticsBucketCounts, 'hour' | 'churn'>[], buckets: Buckets, names: ReadonlyMap<string, string>, areas: readonly string[]): Table {
  interface Person { events: number; areas: Record<string, number>; inserted: number; removed: number; first: string; last: string; periods: Set<number> }
  const people = new Map<string, Person>();
  const person = (id: string, hour: string): Person => {
    let p = people.get(id);
    if (!p) people.set(id, (p = { events: 0, areas: {}, inserted: 0, removed: 0, first: hour, last: hour, periods: new Set() }));
    if (hour < p.first) p.first = hour;
    if (hour > p.last) p.last = hour;
    return p;
  };
  const startOf = bucketOf(buckets);
  for (const doc of hours) {
    const start = startOf(doc);
    for (const [actor, n] of Object.entries(doc.actors)) {
      const p = person(actor, doc.hour);
      p.events += n;
      p.periods.add(start);
      for (const [area, count] of Object.entries(doc.actorAreas[actor] ?? {})) p.areas[area] = (p.areas[area] ?? 0) + count;
    }
  }
  for (const doc of churnDocs) {
    for (const byActor of Object.values(doc.churn)) {
      for (const [actor, counts] of Object.entries(byActor)) {
        const p = person(actor, doc.hour);
        p.inserted += counts.inserted;
        p.removed += counts.removed;
      }
    }
  }
  const rows: Row[] = [...people]
    // Ties by person id: the order the documents are read in (two sources) decides nothing.
    .sort(([ida, a], [idb, b]) => b.events - a.events || (ida < idb ? -1 : ida > idb ? 1 : 0))
    .map(([id, p]) => ({
      actorId: id, username: names.get(id) ?? null, events: p.events,
      ...Object.fromEntries(areas.map((area) => [area, p.areas[area] ?? 0])),
      inserted: p.inserted, removed: p.removed, activePeriods: p.periods.size, firstActive: p.first, lastActive: p.last,
    }));
  return { columns: ['actorId', 'username', 'events', ...areas, 'inserted', 'removed', 'activePeriods', 'firstActive', 'lastActive'], rows };
}

/** Active contributors (people with at least one event) per bucket. */
export function activeContributorsTable(docs: readonly HourCounts[], buckets: Buckets): Table {
  const active = perBucket(docs, buckets, (doc) => Object.fromEntries(Object.keys(doc.actors).map((a) => [a, 1])));
  return { columns: ['bucket', 'activeContributors'], rows: buckets.starts.map((start) => ({ bucket: localIso(start, buckets.tz), activeContributors: active.get(start)?.size ?? 0 })) };
}

/** Hot files: characters inserted and removed per file (or per file and person), most churn first. */
export function filesTable(docs: readonly AnalyticsBucketCounts[], paths: ReadonlyMap<string, string>, names: ReadonlyMap<string, string>, by: 'file' | 'person', limit: number): Table {
  const sums = new Map<string, { fileId: string; actorId: string | null; inserted: number; removed: number; changes: number; people: Set<string> }>();
  for (const doc of docs) {
    for (const [fileId, byActor] of Object.entries(doc.churn)) {
      for (const [actor, counts] of Object.entries(byActor)) {
        const key = by === 'file' ? fileId : `${fileId}|${actor}`;
        let sum = sums.get(key);
        if (!sum) sums.set(key, (sum = { fileId, actorId: by === 'file' ? null : actor, inserted: 0, removed: 0, changes: 0, people: new Set() }));
        sum.inserted += counts.inserted;
        sum.removed += counts.removed;
        sum.changes += counts.changes;
        sum.people.add(actor);
      }
    }
  }
  const rows: Row[] = [...sums.values()]
    .sort((a, b) => b.inserted + b.removed - (a.inserted + a.removed) || a.fileId.localeCompare(b.fileId) || (a.actorId ?? '').localeCompare(b.actorId ?? ''))
    .slice(0, limit)
    .map((s) => ({
      fileId: s.fileId, path: paths.get(s.fileId) ?? null,
      ...(by === 'person' ? { actorId: s.actorId, username: names.get(s.actorId ?? '') ?? null } : { people: s.people.size }),
      inserted: s.inserted, removed: s.removed, churn: s.inserted + s.removed, changes: s.changes,
    }));
  const columns = by === 'person' ? ['fileId', 'path', 'actorId', 'username', 'inserted', 'removed', 'churn', 'changes'] : ['fileId', 'path', 'people', 'inserted', 'removed', 'churn', 'changes'];
  return { columns, rows };
}

const findingKey = (f: FindingKey): string => `${f.fingerprint}\u0000${f.linter}\u0000${f.ruleId}`;

/**
 * Code quality over time: each finished check with its score, and the findings introduced (not in
 * the project's previous completed check) and fixed (in the previous one, gone now). `checks` must
 * be every check of the project; rows are kept for those finished in the period.
 */
export function qualityTables(checks: readonly AnalyticsStreamView[], inPeriod: (at: string) => boolean): { checks: Table; rules: Table } {
  const finished = checks
    .filter((s) => s.check && s.check.completedAt !== null)
    .sort((a, b) => a.check!.completedAt!.localeCompare(b.check!.completedAt!) || a.lastPosition - b.lastPosition);
  let previous = new Map<string, FindingKey>();
  const checkRows: Row[] = [];
  const rules = new Map<string, { linter: string; ruleId: string; findings: number; introduced: number; fixed: number }>();
  const rule = (f: FindingKey) => {
    const key = `${f.linter}/${f.ruleId}`;
    let r = rules.get(key);
    if (!r) rules.set(key, (r = { linter: f.linter, ruleId: f.ruleId, findings: 0, introduced: 0, fixed: 0 }));
    return r;
  };
  for (const stream of finished) {
    const check = stream.check!;
    const counted = inPeriod(check.completedAt!);
    if (check.status !== 'completed') {
      if (counted) checkRows.push({ checkId: stream.id.slice('check-'.length), completedAt: check.completedAt, status: check.status, score: null, grade: null, findings: null, introduced: null, fixed: null });
      continue;
    }
    const current = new Map(check.findings.map((f) => [findingKey(f), f]));
    const introduced = [...current].filter(([k]) => !previous.has(k)).map(([, f]) => f);
    const fixed = [...previous].filter(([k]) => !current.has(k)).map(([, f]) => f);
    if (counted) {
      checkRows.push({ checkId: stream.id.slice('check-'.length), completedAt: check.completedAt, status: 'completed', score: check.score, grade: check.grade, findings: current.size, introduced: introduced.length, fixed: fixed.length });
      for (const f of current.values()) rule(f).findings += 1;
      for (const f of introduced) rule(f).introduced += 1;
      for (const f of fixed) rule(f).fixed += 1;
    }
    previous = current;
  }
  return {
    checks: { columns: ['checkId', 'completedAt', 'status', 'score', 'grade', 'findings', 'introduced', 'fixed'], rows: checkRows },
    rules: { columns: ['linter', 'ruleId', 'findings', 'introduced', 'fixed'], rows: [...rules.values()].sort((a, b) => b.findings - a.findings || a.linter.localeCompare(b.linter) || a.ruleId.localeCompare(b.ruleId)) },
  };
}

const roomIdOf = (streamId: string): string => streamId.slice('room-'.length);

/** Chat per room over the period: messages, first responses and their mean and longest wait. */
export function roomsTable(docs: readonly RoomHourCounts[], rooms: readonly AnalyticsStreamView[]): Table {
  const sums = new Map<string, { messages: number; responses: number; totalMs: number; maxMs: number }>(rooms.map((r) => [r.id, { messages: 0, responses: 0, totalMs: 0, maxMs: 0 }]));
  for (const doc of docs) {
    const sum = sums.get(doc.streamId);
    if (!sum) continue;
    sum.messages += doc.messages;
    sum.responses += doc.responses.count;
    sum.totalMs += doc.responses.totalMs;
    sum.maxMs = Math.max(sum.maxMs, doc.responses.maxMs);
  }
  const rows: Row[] = rooms
    .map((r) => {
      const s = sums.get(r.id)!;
      return { roomId: roomIdOf(r.id), name: r.room?.name ?? null, messages: s.messages, responses: s.responses, averageFirstResponseMs: s.responses ? Math.round(s.totalMs / s.responses) : null, maxFirstResponseMs: s.responses ? s.maxMs : null };
    })
    .sort((a, b) => b.messages - a.messages || a.roomId.localeCompare(b.roomId));
  return { columns: ['roomId', 'name', 'messages', 'responses', 'averageFirstResponseMs', 'maxFirstResponseMs'], rows };
}

/** Chat volume per room and bucket (rows only where something was said). */
export function roomVolumeTable(docs: readonly RoomHourCounts[], buckets: Buckets, rooms: readonly AnalyticsStreamView[]): Table {
  const names = new Map(rooms.map((r) => [r.id, r.room?.name ?? null]));
  const sums = new Map<string, { start: number; streamId: string; messages: number; responses: number; totalMs: number }>();
  const first = buckets.starts[0] ?? 0;
  for (const doc of docs) {
    if (!names.has(doc.streamId)) continue;
    const start = bucketStart(Date.parse(doc.hour), buckets.interval, buckets.tz);
    if (start < first) continue;
    const key = `${start}|${doc.streamId}`;
    let s = sums.get(key);
    if (!s) sums.set(key, (s = { start, streamId: doc.streamId, messages: 0, responses: 0, totalMs: 0 }));
    s.messages += doc.messages;
    s.responses += doc.responses.count;
    s.totalMs += doc.responses.totalMs;
  }
  const rows: Row[] = [...sums.values()]
    .sort((a, b) => a.start - b.start || a.streamId.localeCompare(b.streamId))
    .map((s) => ({ bucket: localIso(s.start, buckets.tz), roomId: roomIdOf(s.streamId), name: names.get(s.streamId) ?? null, messages: s.messages, responses: s.responses, averageFirstResponseMs: s.responses ? Math.round(s.totalMs / s.responses) : null }));
  return { columns: ['bucket', 'roomId', 'name', 'messages', 'responses', 'averageFirstResponseMs'], rows };
}

/** Agent activities started in the period, per agent: how many, how they ended, how long they took. */
export function agentsTable(activities: readonly AnalyticsStreamView[]): Table {
  const sums = new Map<string, { activities: number; completed: number; failed: number; running: number; totalMs: number; ended: number; maxMs: number }>();
  for (const { agent } of activities) {
    if (!agent) continue;
    let s = sums.get(agent.agent);
    if (!s) sums.set(agent.agent, (s = { activities: 0, completed: 0, failed: 0, running: 0, totalMs: 0, ended: 0, maxMs: 0 }));
    s.activities += 1;
    s[agent.status] += 1;
    if (agent.durationMs !== null) {
      s.ended += 1;
      s.totalMs += agent.durationMs;
      s.maxMs = Math.max(s.maxMs, agent.durationMs);
    }
  }
  const rows: Row[] = [...sums]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([agent, s]) => ({
      agent, activities: s.activities, completed: s.completed, failed: s.failed, running: s.running,
      failureRate: s.ended ? Math.round((s.failed / s.ended) * 10_000) / 10_000 : null,
      averageDurationMs: s.ended ? Math.round(s.totalMs / s.ended) : null, maxDurationMs: s.ended ? s.maxMs : null,
    }));
  return { columns: ['agent', 'activities', 'completed', 'failed', 'running', 'failureRate', 'averageDurationMs', 'maxDurationMs'], rows };
}

/** Milestones reached in the period with their lead times. */
export function milestonesTable(project: AnalyticsStreamView | null, inPeriod: (at: string) => boolean, names: ReadonlyMap<string, string>): Table {
  const rows: Row[] = (project?.project?.milestones ?? [])
    .filter((m) => inPeriod(m.reachedAt))
    .map((m) => ({ milestoneId: m.milestoneId, name: m.name, reachedAt: m.reachedAt, reachedBy: m.reachedBy, username: names.get(m.reachedBy ?? '') ?? null, sinceCreatedMs: m.sinceCreatedMs, sincePreviousMs: m.sincePreviousMs }));
  return { columns: ['milestoneId', 'name', 'reachedAt', 'reachedBy', 'username', 'sinceCreatedMs', 'sincePreviousMs'], rows };
}
