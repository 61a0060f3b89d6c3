/**
 * The `analytics` projection: per stream and UTC hour, the file churn (HOURLY_BUCKET_TYPES: the other
 * events' counts by type, area and person are in the day documents only); per stream, what the
 * analysts' views need (room, agent activity, check, milestones); per room stream and UTC month, the
 * room's chat per hour (AnalyticsRoomMonthView). Those documents hold only the event's own stream. The coarse level (per
 * project, UTC day and writer, the day's hours inside) gathers a project's streams, so each writer
 * (bus partition) keeps its own (analytics-model.ts, AnalyticsDayView; counted in analytics-day-counts.ts).
 */
import type { AgentActivityEvent, CheckEvent, DocumentEvent, FileTreeEvent, ProjectEvent, RecordedEvent, RoomEvent } from '@resoft/domain';
import { changeChurn } from '@resoft/documents';
import type { Projection, ProjectionUnitOfWork } from '../runtime/projection.js';
import { ANALYTICS_EVENT_TYPES, areaOf } from './analytics-areas.js';
import { addChurn, addResponse, countIntoBucket, leanBucket } from './analytics-bucket.js';
import { countForDay, writeDays } from './analytics-day-counts.js';
import {
  AnalyticsReadModels, HOURLY_BUCKET_TYPES, SYSTEM_ACTOR, bucketDocId, hourInMonth, hourOf, monthOfHour, roomMonthDocId, streamKindOf,
  type AnalyticsBucketView, type AnalyticsRoomMonthView, type AnalyticsStreamView, type FindingKey, type RoomHour,
} from './analytics-model.js';

type Fact = ProjectEvent | RoomEvent | AgentActivityEvent | CheckEvent | FileTreeEvent | DocumentEvent;

const since = (from: string, to: string): number => Math.max(0, Date.parse(to) - Date.parse(from));

const newBucket = (projectId: string, id: string, hour: string): AnalyticsBucketView => ({
  id, projectId, hour, total: 0, types: {}, actors: {}, lastPosition: 0,
});
const newRoomMonth = (projectId: string, id: string, streamId: string, hour: string): AnalyticsRoomMonthView => ({
  id, projectId, streamId, month: monthOfHour(hour), hours: {},
});
const newStream = (event: RecordedEvent, projectId: string): AnalyticsStreamView => ({
  id: event.streamId, projectId, kind: streamKindOf(event.streamId), firstPosition: event.position, lastPosition: 0, events: 0,
});

/** Chat first responses: a run of messages by one person waits until someone else writes. */
function recordMessage(stream: AnalyticsStreamView, inHour: RoomHour | null, authorId: string, at: string): void {
  const room = stream.room;
  if (!room) return;
  room.messages += 1;
  if (inHour) inHour.messages += 1;
  if (room.waiting && room.waiting.authorId !== authorId) {
    const waited = since(room.waiting.at, at);
    room.responses += 1;
    room.responseTotalMs += waited;
    if (inHour) addResponse(inHour, waited);
    room.waiting = { authorId, at };
  } else if (!room.waiting) {
    room.waiting = { authorId, at };
  }
}

/** `bucket`: the event's hour bucket, for the events of HOURLY_BUCKET_TYPES (null for the others); `inHour`: a room stream's hour. */
function applyFact(fact: Fact, recorded: RecordedEvent, stream: AnalyticsStreamView, inHour: RoomHour | null, bucket: AnalyticsBucketView | null, actor: string): void {
  const at = recorded.metadata.occurredAt;
  switch (fact.type) {
    case 'ProjectCreated':
      stream.project = { createdAt: at, milestones: [] };
      break;
    case 'MilestoneReached': {
      const project = (stream.project ??= { createdAt: null, milestones: [] });
      const created = project.createdAt ?? at;
      const previous = project.milestones[project.milestones.length - 1]?.reachedAt ?? created;
      project.milestones.push({
        milestoneId: fact.data.milestoneId, name: fact.data.name, reachedAt: at, reachedBy: recorded.metadata.actor,
        sinceCreatedMs: since(created, at), sincePreviousMs: since(previous, at),
      });
      break;
    }
    case 'RoomCreated':
      stream.room = { name: fact.data.name, messages: 0, waiting: null, responses: 0, responseTotalMs: 0 };
      break;
    case 'ChatMessagePosted':
      stream.room ??= { name: '', messages: 0, waiting: null, responses: 0, responseTotalMs: 0 };
      recordMessage(stream, inHour, fact.data.authorId, at);
      break;
    case 'FileCreated': {
      const { inserted, removed } = changeChurn([fact.data.initialChange]);
      if (bucket) addChurn(bucket, fact.data.fileId, actor, inserted, removed);
      break;
    }
    case 'DocumentChanged': {
      const { inserted, removed } = changeChurn(fact.data.changes);
      if (bucket) addChurn(bucket, fact.data.fileId, fact.data.authorId, inserted, removed);
      break;
    }
    case 'AgentActivityStarted':
      stream.agent = { agent: fact.data.agent, title: fact.data.title, startedBy: fact.data.startedBy, startedAt: at, endedAt: null, status: 'running', durationMs: null };
      break;
    case 'AgentActivityCompleted':
    case 'AgentActivityFailed':
      if (stream.agent) {
        stream.agent = { ...stream.agent, endedAt: at, status: fact.type === 'AgentActivityCompleted' ? 'completed' : 'failed', durationMs: since(stream.agent.startedAt, at) };
      }
      break;
    case 'CheckRequested':
      stream.check = { requestedBy: fact.data.requestedBy, requestedAt: at, status: 'requested', completedAt: null, score: null, grade: null, linters: {}, findings: [] };
      break;
    case 'LinterFinished':
      if (stream.check) {
        stream.check.linters[fact.data.linter] = fact.data.status;
        stream.check.findings.push(...fact.data.findings.map((f): FindingKey => ({ fingerprint: f.fingerprint, linter: f.tool, ruleId: f.ruleId })));
      }
      break;
    case 'CheckCompleted':
      if (stream.check) stream.check = { ...stream.check, status: 'completed', completedAt: at, score: fact.data.score, grade: fact.data.grade };
      break;
    case 'CheckFailed':
      if (stream.check) stream.check = { ...stream.check, status: 'failed', completedAt: at };
      break;
    default:
      break;
  }
}

/** `roomMonth`: the month document of a room stream's event (null for the other streams). */
function count(recorded: RecordedEvent, unit: ProjectionUnitOfWork, projectId: string, area: string, hour: string, bucket: AnalyticsBucketView | null, stream: AnalyticsStreamView, roomMonth: AnalyticsRoomMonthView | null): void {
  const actor = recorded.metadata.actor ?? SYSTEM_ACTOR;
  if (bucket) {
    countIntoBucket(bucket, recorded.type, area, actor);
    bucket.lastPosition = recorded.position;
  }
  countForDay(unit, projectId, hour, recorded.type, area, actor);
  stream.events += 1;
  stream.lastPosition = recorded.position;
  // A room's hours, in its month document: one entry for every hour with an event of the room (as its hour buckets were).
  const inHour = roomMonth ? (roomMonth.hours[hourInMonth(hour)] ??= { messages: 0 }) : null;
  applyFact(recorded as unknown as Fact, recorded, stream, inHour, bucket, actor);
  if (bucket) unit.put(AnalyticsReadModels.buckets, bucket);
  if (roomMonth) unit.put(AnalyticsReadModels.roomMonths, roomMonth);
  unit.put(AnalyticsReadModels.streams, stream);
}

export const analyticsProjection: Projection = {
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
    // Only the file churn is read per stream and hour: the other events have no hour bucket.
    const bucketId = HOURLY_BUCKET_TYPES.has(recorded.type) ? bucketDocId(recorded.streamId, hour) : null;
    // A room's chat per hour is kept per room and UTC month (a bounded document, rewritten by live chat).
    const monthId = streamKindOf(recorded.streamId) === 'room' ? roomMonthDocId(recorded.streamId, monthOfHour(hour)) : null;
    // In a rebuild the unit holds (or knows absent) nearly every document: counted without a promise.
    const bucket = bucketId === null ? null : unit.held?.<AnalyticsBucketView>(AnalyticsReadModels.buckets, bucketId);
    const stream = unit.held?.<AnalyticsStreamView>(AnalyticsReadModels.streams, recorded.streamId);
    const month = monthId === null ? null : unit.held?.<AnalyticsRoomMonthView>(AnalyticsReadModels.roomMonths, monthId);
    if (bucket !== undefined && stream !== undefined && month !== undefined) {
      count(
        recorded, unit, projectId, area, hour, bucketId === null ? null : (bucket ?? newBucket(projectId, bucketId, hour)), stream ?? newStream(recorded, projectId),
        monthId === null ? null : (month ?? newRoomMonth(projectId, monthId, recorded.streamId, hour)),
      );
      return;
    }
    return (async () => {
      const [storedBucket, storedStream, storedMonth] = await Promise.all([
        bucket === undefined && bucketId !== null ? unit.get<AnalyticsBucketView>(AnalyticsReadModels.buckets, bucketId) : bucket,
        stream === undefined ? unit.get<AnalyticsStreamView>(AnalyticsReadModels.streams, recorded.streamId) : stream,
        month === undefined && monthId !== null ? unit.get<AnalyticsRoomMonthView>(AnalyticsReadModels.roomMonths, monthId) : month,
      ]);
      // Documents from the unit are this batch's own copies: changing them in place is safe. One
      // stored in the first format (by a version before the lean buckets) is made lean as it is counted into.
      const counted = bucketId === null ? null : storedBucket ? leanBucket(storedBucket) : newBucket(projectId, bucketId, hour);
      const roomMonth = monthId === null ? null : (storedMonth ?? newRoomMonth(projectId, monthId, recorded.streamId, hour));
      count(recorded, unit, projectId, area, hour, counted, storedStream ?? newStream(recorded, projectId), roomMonth);
    })();
  },
  finishBatch: writeDays,
};
