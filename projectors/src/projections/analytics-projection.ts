/**
 * The `analytics` projection: per stream and UTC hour, the file churn (HOURLY_BUCKET_TYPES: the other
 * events' counts by type, area and person are in the day documents only); per stream, what the
 * analysts' views need (room, agent activity, check, milestones); per room stream and UTC month, the
 * room's chat per hour (AnalyticsRoomMonthView). Those documents hold only the event's own stream. The coarse level (per
 * project, UTC day and writer, the day's hours inside) gathers a project's streams, so each writer
 * (bus partition) keeps its own (analytics-model.ts, AnalyticsDayView; counted in analytics-day-counts.ts).
 */
import type { RecordedEvent } from '@resoft/domain';
import type { Projection, ProjectionUnitOfWork } from '../runtime/projection.js';
import { ANALYTICS_EVENT_TYPES, areaOf } from './analytics-areas.js';
import { leanBucket } from './analytics-bucket.js';
import { countForDay, writeDays } from './analytics-day-counts.js';
import { countIntoStreamDocuments, newBucket, newRoomMonth, newStream } from './analytics-facts.js';
import {
  AnalyticsReadModels, HOURLY_BUCKET_TYPES, bucketDocId, hourOf, monthOfHour, roomMonthDocId, streamKindOf,
  type AnalyticsBucketView, type AnalyticsRoomMonthView, type AnalyticsStreamView,
} from './analytics-model.js';
import { AnalyticsRebuild, REBUILD_HELD_PERIOD_DOCUMENTS, REBUILD_HELD_STREAMS } from './analytics-rebuild-state.js';

/** `roomMonth`: the month document of a room stream's event (null for the other streams). */
function count(recorded: RecordedEvent, unit: ProjectionUnitOfWork, projectId: string, area: string, hour: string, bucket: AnalyticsBucketView | null, stream: AnalyticsStreamView, roomMonth: AnalyticsRoomMonthView | null): void {
  const actor = countIntoStreamDocuments(recorded, area, hour, bucket, stream, roomMonth);
  countForDay(unit, projectId, hour, recorded.type, area, actor);
  if (bucket) unit.put(AnalyticsReadModels.buckets, bucket);
  if (roomMonth) unit.put(AnalyticsReadModels.roomMonths, roomMonth);
  unit.put(AnalyticsReadModels.streams, stream);
}

export interface AnalyticsProjectionOptions {
  /** In a rebuild, the period documents held before the oldest are written out (REBUILD_HELD_PERIOD_DOCUMENTS). */
  readonly rebuildHeldPeriodDocuments?: number;
  /** In a rebuild, the stream documents held before the idle ones are written out (REBUILD_HELD_STREAMS). */
  readonly rebuildHeldStreams?: number;
}

/** The analytics projection; `analyticsProjection` is the one with the default options. */
export function createAnalyticsProjection(options: AnalyticsProjectionOptions = {}): Projection {
  /** A rebuild's counts (analytics-rebuild-state.ts), by the rebuild's unit: the same unit is handed every page. */
  const rebuilds = new WeakMap<ProjectionUnitOfWork, AnalyticsRebuild>();
  const rebuildOf = (unit: ProjectionUnitOfWork): AnalyticsRebuild | null => {
    if (!unit.rebuilding) return null;
    let rebuild = rebuilds.get(unit);
    if (!rebuild) rebuilds.set(unit, (rebuild = new AnalyticsRebuild(options.rebuildHeldPeriodDocuments ?? REBUILD_HELD_PERIOD_DOCUMENTS, options.rebuildHeldStreams ?? REBUILD_HELD_STREAMS)));
    return rebuild;
  };
  return {
    name: 'analytics',
    collections: [
      { name: AnalyticsReadModels.buckets, indexes: [['projectId', 'hour']] },
      { name: AnalyticsReadModels.streams, indexes: [['projectId', 'kind']] },
      { name: AnalyticsReadModels.days, indexes: [['projectId', 'day']] },
      { name: AnalyticsReadModels.roomMonths, indexes: [['projectId', 'month']] },
    ],
    handles: ANALYTICS_EVENT_TYPES,
    apply(recorded: RecordedEvent, unit: ProjectionUnitOfWork): Promise<void> | void {
      const projectId = (recorded.data as { projectId?: unknown }).projectId;
      const area = areaOf(recorded.type);
      // A personal check (projectId null) belongs to no project.
      if (typeof projectId !== 'string' || !area) return;
      const hour = hourOf(recorded.metadata.occurredAt);
      const rebuild = rebuildOf(unit);
      if (rebuild) return rebuild.count(recorded, unit, projectId, area, hour);
      return countLive(recorded, unit, projectId, area, hour);
    },
    finishBatch(unit: ProjectionUnitOfWork): Promise<void> | void {
      const rebuild = rebuildOf(unit);
      if (rebuild) return rebuild.letGoOfIdle(unit);
      return writeDays(unit);
    },
    async finishRebuild(unit: ProjectionUnitOfWork): Promise<void> {
      const rebuild = rebuilds.get(unit);
      rebuilds.delete(unit);
      await rebuild?.finish(unit);
    },
  };
}

export const analyticsProjection: Projection = createAnalyticsProjection();

/** Live: the event's documents read through the unit, counted into, and put back. */
async function countLive(recorded: RecordedEvent, unit: ProjectionUnitOfWork, projectId: string, area: string, hour: string): Promise<void> {
  // Only the file churn is read per stream and hour: the other events have no hour bucket.
  const bucketId = HOURLY_BUCKET_TYPES.has(recorded.type) ? bucketDocId(recorded.streamId, hour) : null;
  // A room's chat per hour is kept per room and UTC month (a bounded document, rewritten by live chat).
  const monthId = streamKindOf(recorded.streamId) === 'room' ? roomMonthDocId(recorded.streamId, monthOfHour(hour)) : null;
  const [storedBucket, storedStream, storedMonth] = await Promise.all([
    bucketId === null ? null : unit.get<AnalyticsBucketView>(AnalyticsReadModels.buckets, bucketId),
    unit.get<AnalyticsStreamView>(AnalyticsReadModels.streams, recorded.streamId),
    monthId === null ? null : unit.get<AnalyticsRoomMonthView>(AnalyticsReadModels.roomMonths, monthId),
  ]);
  // Documents from the unit are this batch's own copies: changing them in place is safe. One
  // stored in the first format (by a version before the lean buckets) is made lean as it is counted into.
  const counted = bucketId === null ? null : storedBucket ? leanBucket(storedBucket) : newBucket(projectId, bucketId, hour);
  const roomMonth = monthId === null ? null : (storedMonth ?? newRoomMonth(projectId, monthId, recorded.streamId, hour));
  count(recorded, unit, projectId, area, hour, counted, storedStream ?? newStream(recorded, projectId), roomMonth);
}
