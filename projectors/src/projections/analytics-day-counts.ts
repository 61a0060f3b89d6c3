/**
 * The analytics projection's coarse level: an event counted into its project's day document
 * (analytics-model.ts, AnalyticsDayView), one per project, UTC day and writer. A live batch gathers
 * its counts per project and hour first (a tally) and adds them into the day documents once, at the
 * batch's end: one document read per day and batch, not per event. A rebuild counts into day
 * documents it holds itself (analytics-rebuild-state.ts: hourOfDay and countIntoHour for one read
 * back, analytics-rebuilt-day.ts otherwise); the documents get the same sums.
 */
import type { ProjectionUnitOfWork } from '../runtime/projection.js';
import { AnalyticsReadModels, dayDocId, dayOfHour, type AnalyticsDayView } from './analytics-model.js';

/** A batch's counts for one project and UTC hour, added into the day document at the batch's end. */
interface HourTally extends EventCounts {
  readonly projectId: string;
  readonly hour: string;
}

/** What a batch has counted so far, per unit of work (one batch at a time). */
interface BatchDays {
  /** Tallies by project and hour. */
  readonly tallies: Map<string, HourTally>;
  /** The tally the previous event went to (a project's events come in runs). */
  lastTally: HourTally | null;
}

/** One hour's counts of a day document (its own objects: counting into them counts into the document). */
export interface HourOfDay {
  readonly h: string;
  readonly types: Record<string, number>;
  readonly areas: Record<string, number>;
  readonly actors: Record<string, number>;
  readonly actorAreas: Record<string, Record<string, number>>;
}

const batches = new WeakMap<ProjectionUnitOfWork, BatchDays>();

const bump = (counts: Record<string, number>, key: string, by = 1): void => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** The counts an hour tally keeps (those of a day document's hour). */
interface EventCounts {
  total: number;
  readonly types: Record<string, number>;
  readonly areas: Record<string, number>;
  readonly actors: Record<string, number>;
  readonly actorAreas: Record<string, Record<string, number>>;
}

/** Counts one event of `type`, `area` and `actor` into `counts`. */
function countEvent(counts: EventCounts, type: string, area: string, actor: string): void {
  counts.total += 1;
  bump(counts.types, type);
  bump(counts.areas, area);
  bump(counts.actors, actor);
  bump((counts.actorAreas[actor] ??= {}), area);
}

const addInto = (into: Record<string, number>, from: Record<string, number>): void => {
  for (const key in from) into[key] = (into[key] ?? 0) + from[key]!;
};

export const newDay = (id: string, projectId: string, hour: string, writer: string | null): AnalyticsDayView => ({
  id, projectId, day: dayOfHour(hour), writer, total: {}, types: {}, areas: {}, actors: {}, actorAreas: {},
});

function batchOf(unit: ProjectionUnitOfWork): BatchDays {
  let batch = batches.get(unit);
  if (!batch) batches.set(unit, (batch = { tallies: new Map(), lastTally: null }));
  return batch;
}

/** Counts an event of `hour` (`…T13:00:00.000Z`) for its project's day document. */
export function countForDay(unit: ProjectionUnitOfWork, projectId: string, hour: string, type: string, area: string, actor: string): void {
  tally(batchOf(unit), projectId, hour, type, area, actor);
}

/** The counts of `hour` (`…T13:00:00.000Z`) in a day document, made empty when it has none yet. */
export function hourOfDay(day: AnalyticsDayView, hour: string): HourOfDay {
  const h = hour.slice(11, 13);
  return { h, types: (day.types[h] ??= {}), areas: (day.areas[h] ??= {}), actors: (day.actors[h] ??= {}), actorAreas: (day.actorAreas[h] ??= {}) };
}

/** Counts one event of `type`, `area` and `actor` into a day document's hour (`counts`, from hourOfDay). */
export function countIntoHour(day: AnalyticsDayView, counts: HourOfDay, type: string, area: string, actor: string): void {
  day.total[counts.h] = (day.total[counts.h] ?? 0) + 1;
  bump(counts.types, type);
  bump(counts.areas, area);
  bump(counts.actors, actor);
  bump((counts.actorAreas[actor] ??= {}), area);
}

function tally(batch: BatchDays, projectId: string, hour: string, type: string, area: string, actor: string): void {
  let counts = batch.lastTally;
  if (!counts || counts.hour !== hour || counts.projectId !== projectId) {
    const key = `${projectId}@${hour}`;
    let found = batch.tallies.get(key);
    if (!found) batch.tallies.set(key, (found = { projectId, hour, total: 0, types: {}, areas: {}, actors: {}, actorAreas: {} }));
    batch.lastTally = counts = found;
  }
  countEvent(counts, type, area, actor);
}

/** At the batch's end: adds the tallies into their day documents (this writer's), in hour order, and puts every day document counted. */
export function writeDays(unit: ProjectionUnitOfWork): Promise<void> | void {
  const batch = batches.get(unit);
  if (!batch) return;
  batches.delete(unit);
  const days = new Map<string, AnalyticsDayView>();
  return (async () => {
    for (const counts of batch.tallies.values()) {
      if (!addToDay(unit, days, counts, undefined)) addToDay(unit, days, counts, await unit.get<AnalyticsDayView>(AnalyticsReadModels.days, dayIdOf(unit, counts)));
    }
    putDays(unit, days);
  })();
}

const dayIdOf = (unit: ProjectionUnitOfWork, counts: HourTally): string => dayDocId(counts.projectId, dayOfHour(counts.hour), unit.writer);

/**
 * Adds a tally into its day document: the one this batch already has in `days`, else `found` (the
 * unit's answer: the document or null). False when neither is known yet (`found` undefined).
 */
function addToDay(unit: ProjectionUnitOfWork, days: Map<string, AnalyticsDayView>, counts: HourTally, found: AnalyticsDayView | null | undefined): boolean {
  const id = dayIdOf(unit, counts);
  let doc = days.get(id);
  if (!doc) {
    if (found === undefined) return false;
    days.set(id, (doc = found ?? newDay(id, counts.projectId, counts.hour, unit.writer)));
  }
  const h = counts.hour.slice(11, 13);
  doc.total[h] = (doc.total[h] ?? 0) + counts.total;
  addInto((doc.types[h] ??= {}), counts.types);
  addInto((doc.areas[h] ??= {}), counts.areas);
  addInto((doc.actors[h] ??= {}), counts.actors);
  const actorAreas = (doc.actorAreas[h] ??= {});
  for (const actor in counts.actorAreas) addInto((actorAreas[actor] ??= {}), counts.actorAreas[actor]!);
  return true;
}

function putDays(unit: ProjectionUnitOfWork, days: Map<string, AnalyticsDayView>): void {
  for (const doc of days.values()) unit.put(AnalyticsReadModels.days, doc);
}
