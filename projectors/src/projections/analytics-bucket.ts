/**
 * The hour bucket's lean stored form (analytics-model.ts, AnalyticsBucketView): counting an event
 * into it, and reading its counts back whole (`bucketCounts`) for the answers, from either format.
 */
import { areaOf } from './analytics-areas.js';
import type { AnalyticsBucketCounts, AnalyticsBucketView, ChurnCounts, ResponseCounts } from './analytics-model.js';

/** Counts left out of a document read (one shared empty object: readers only read it). */
const NONE: Record<string, never> = Object.freeze({});
const NO_RESPONSES: ResponseCounts = Object.freeze({ count: 0, totalMs: 0, maxMs: 0 });

/** The area of a bucket's events when they are all of one area: that of any of its types. */
function areaOfTypes(types: Readonly<Record<string, number>>): string | undefined {
  for (const type in types) return areaOf(type);
  return undefined;
}

/** Every person's count under the one area all of them were of. */
function underOneArea(actors: Readonly<Record<string, number>>, area: string | undefined): Record<string, Record<string, number>> {
  const byActor: Record<string, Record<string, number>> = {};
  if (area === undefined) return byActor;
  for (const actor in actors) byActor[actor] = { [area]: actors[actor]! };
  return byActor;
}

/** Counts one event of `type`, `area` and `actor` into the bucket. */
export function countIntoBucket(bucket: AnalyticsBucketView, type: string, area: string, actor: string): void {
  const types = bucket.types;
  const seen = types[type];
  if (seen === undefined) {
    // The first event of another area than the bucket's so far: from now on the counts by person and area are kept.
    if (bucket.actorAreas === undefined && bucket.total > 0) {
      const before = areaOfTypes(types);
      if (before !== area) bucket.actorAreas = underOneArea(bucket.actors, before);
    }
    types[type] = 1;
  } else {
    types[type] = seen + 1;
  }
  bucket.total += 1;
  const actors = bucket.actors;
  actors[actor] = (actors[actor] ?? 0) + 1;
  if (bucket.actorAreas !== undefined) {
    const areas = (bucket.actorAreas[actor] ??= {});
    areas[area] = (areas[area] ?? 0) + 1;
  }
}

/** Adds one change of a file by a person to the bucket's churn. */
export function addChurn(bucket: AnalyticsBucketView, fileId: string, actor: string, inserted: number, removed: number): void {
  const byActor = ((bucket.churn ??= {})[fileId] ??= {});
  const counts: ChurnCounts | undefined = byActor[actor];
  if (counts) {
    counts.inserted += inserted;
    counts.removed += removed;
    counts.changes += 1;
  } else {
    byActor[actor] = { inserted, removed, changes: 1 };
  }
}

/** Adds a first response in a room, given after `waitedMs`, to a bucket or a room's hour. */
export function addResponse(bucket: { responses?: ResponseCounts }, waitedMs: number): void {
  const responses = (bucket.responses ??= { count: 0, totalMs: 0, maxMs: 0 });
  responses.count += 1;
  responses.totalMs += waitedMs;
  responses.maxMs = Math.max(responses.maxMs, waitedMs);
}

/**
 * A bucket of the first format (streamId, areas, empty churn and zero responses stored) made lean in
 * place, when a live batch counts into one: what it had is kept, what can be worked out is dropped.
 */
export function leanBucket(bucket: AnalyticsBucketView): AnalyticsBucketView {
  const first = bucket as AnalyticsBucketView & { streamId?: string; areas?: unknown };
  delete first.streamId;
  delete first.areas;
  if (bucket.churn && Object.keys(bucket.churn).length === 0) delete bucket.churn;
  if (bucket.responses && bucket.responses.count === 0) delete bucket.responses;
  return bucket;
}

/** The bucket's stream: its id less `@<hour>`. */
export const streamOfBucket = (bucketId: string): string => bucketId.slice(0, bucketId.lastIndexOf('@'));

/**
 * A stored bucket's counts with every field there, from either format, of a document read whole or
 * less some fields (those it reads absent: counts left out are empty; the areas need the types, the
 * counts by person and area the types and the actors: BUCKET_FIELDS_READ).
 */
export function bucketCounts(doc: AnalyticsBucketView): AnalyticsBucketCounts {
  const types = doc.types ?? NONE;
  const actors = doc.actors ?? NONE;
  let areas: Record<string, number> = NONE;
  for (const type in types) {
    const area = areaOf(type);
    if (area === undefined) continue;
    if (areas === NONE) areas = {};
    areas[area] = (areas[area] ?? 0) + types[type]!;
  }
  return {
    id: doc.id, projectId: doc.projectId, streamId: streamOfBucket(doc.id), hour: doc.hour, total: doc.total,
    types, areas, actors,
    actorAreas: doc.actorAreas ?? (doc.actors && doc.types ? underOneArea(actors, areaOfTypes(types)) : NONE),
    churn: doc.churn ?? NONE,
    responses: doc.responses ?? NO_RESPONSES,
  };
}

/** A field of `bucketCounts` a reader may not need. */
export type BucketCountsField = 'types' | 'areas' | 'actors' | 'actorAreas' | 'churn' | 'responses';

/** The stored fields each of `bucketCounts`' fields is worked out from. */
export const BUCKET_FIELDS_READ: Readonly<Record<BucketCountsField, readonly string[]>> = {
  types: ['types'],
  areas: ['types'],
  actors: ['actors'],
  actorAreas: ['actorAreas', 'actors', 'types'],
  churn: ['churn'],
  responses: ['responses'],
};

/** Stored fields a read may leave out when it needs only `wanted` of the counts (the first format's `streamId` and `areas` always). */
export function bucketFieldsToOmit(wanted: Iterable<BucketCountsField>): string[] {
  const needed = new Set<string>();
  for (const field of wanted) for (const stored of BUCKET_FIELDS_READ[field]) needed.add(stored);
  return ['streamId', 'areas', 'types', 'actors', 'actorAreas', 'churn', 'responses'].filter((f) => !needed.has(f));
}
