/**
 * What one event changes in the analytics documents of its own stream: its hour bucket (file churn),
 * its stream document and its room's month document. Shared by the live projection
 * (analytics-projection.ts, documents read and written through the unit of work) and the rebuild
 * (analytics-rebuild-state.ts, documents held in memory and written once).
 */
import type { AgentActivityEvent, CheckEvent, DocumentEvent, FileTreeEvent, ProjectEvent, RecordedEvent, RoomEvent } from '@resoft/domain';
import { changeChurn } from '@resoft/documents';
import { addChurn, addResponse, countIntoBucket } from './analytics-bucket.js';
import {
  SYSTEM_ACTOR, hourInMonth, monthOfHour, streamKindOf,
  type AnalyticsBucketView, type AnalyticsRoomMonthView, type AnalyticsStreamView, type FindingKey, type RoomHour,
} from './analytics-model.js';

type Fact = ProjectEvent | RoomEvent | AgentActivityEvent | CheckEvent | FileTreeEvent | DocumentEvent;

const since = (from: string, to: string): number => Math.max(0, Date.parse(to) - Date.parse(from));

export const newBucket = (projectId: string, id: string, hour: string): AnalyticsBucketView => ({
  id, projectId, hour, total: 0, types: {}, actors: {}, lastPosition: 0,
});
export const newRoomMonth = (projectId: string, id: string, streamId: string, hour: string): AnalyticsRoomMonthView => ({
  id, projectId, streamId, month: monthOfHour(hour), hours: {},
});
export const newStream = (event: RecordedEvent, projectId: string): AnalyticsStreamView => ({
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

/**
 * Counts an event (its `area` and UTC `hour`) into its stream's documents: `bucket`, its hour bucket
 * (events of HOURLY_BUCKET_TYPES, else null), `stream`, and `roomMonth`, a room stream's month
 * document (null for the other streams). Answers the actor it was counted under. The day level is
 * counted by the caller.
 */
export function countIntoStreamDocuments(recorded: RecordedEvent, area: string, hour: string, bucket: AnalyticsBucketView | null, stream: AnalyticsStreamView, roomMonth: AnalyticsRoomMonthView | null): string {
  const actor = recorded.metadata.actor ?? SYSTEM_ACTOR;
  if (bucket) {
    countIntoBucket(bucket, recorded.type, area, actor);
    bucket.lastPosition = recorded.position;
  }
  stream.events += 1;
  stream.lastPosition = recorded.position;
  // A room's hours, in its month document: one entry for every hour with an event of the room (as its hour buckets were).
  const inHour = roomMonth ? (roomMonth.hours[hourInMonth(hour)] ??= { messages: 0 }) : null;
  applyFact(recorded as unknown as Fact, recorded, stream, inHour, bucket, actor);
  return actor;
}
