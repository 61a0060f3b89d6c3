/**
 * Test fixture for the relay and bus pipeline specs: a realistic mix of user, project, room, chat and
 * agent-activity events appended straight to an event store (interleaved across projects, the way a
 * busy log looks), and helpers to compare read models with a rebuild from the event store.
 */
import { CURRENT_SCHEMA, type AgentActivityEvent, type NewEvent, type ProjectEvent, type RoomEvent, type UserEvent } from '@resoft/domain';
import { newId } from '@resoft/infra';
import { type EventStore, type ReadStore } from '@resoft/ports';
import type { Projection } from '../runtime/projection.js';
import { AnalyticsReadModels, dayDocId, type AnalyticsDayView } from '../projections/analytics-model.js';
import { rebuildProjections } from '../runtime/rebuild-projection.js';

type Fact = UserEvent | ProjectEvent | RoomEvent | AgentActivityEvent;

/** One append: events for one stream, by one actor. */
export interface MixStep {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
}

export interface EventMix {
  readonly steps: readonly MixStep[];
  /** How many `ChatMessagePosted` events the mix holds. */
  readonly postedMessages: number;
}

let clock = Date.UTC(2026, 0, 5, 9, 0, 0);

function stamp(actor: string, facts: readonly Fact[]): NewEvent[] {
  return facts.map((fact) => ({
    id: newId(),
    type: fact.type,
    data: fact.data,
    metadata: { actor, correlationId: newId(), causationId: null, occurredAt: new Date((clock += 1000)).toISOString(), schema: CURRENT_SCHEMA },
  }));
}

/** The life of one project: three people, a room with chat, a milestone, an agent activity, a departure. */
function projectSteps(prefix: string, n: number): MixStep[] {
  const tag = `${prefix}${n}`;
  const [owner, editor, viewer] = ['owner', 'editor', 'viewer'].map((role) => ({ id: `${tag}-${role}`, name: `${tag}${role}` })) as [
    { id: string; name: string },
    { id: string; name: string },
    { id: string; name: string },
  ];
  const projectId = `${tag}-project`;
  const roomId = `${tag}-room`;
  const activityId = `${tag}-activity`;
  const user = (u: { id: string }) => `user-${u.id}`;
  const project = `project-${projectId}`;
  const room = `room-${roomId}`;
  const step = (streamId: string, actor: string, ...facts: Fact[]): MixStep => ({ streamId, events: stamp(actor, facts) });
  const steps: MixStep[] = [];
  for (const u of [owner, editor, viewer]) {
    steps.push(step(user(u), u.id, { type: 'UserRegistered', data: { userId: u.id, email: `${u.name}@example.com`, username: u.name, displayName: u.name, passwordHash: 'x' } }));
  }
  steps.push(
    step(project, owner.id, { type: 'ProjectCreated', data: { projectId, name: `Project ${tag}`, description: 'a project', ownerId: owner.id, ownerUsername: owner.name } }),
    step(
      project,
      owner.id,
      { type: 'ProjectMemberAdded', data: { projectId, userId: editor.id, username: editor.name, role: 'editor' } },
      { type: 'ProjectMemberAdded', data: { projectId, userId: viewer.id, username: viewer.name, role: 'viewer' } },
    ),
    step(project, owner.id, { type: 'ProjectDetailsChanged', data: { projectId, description: 'renamed once' } }),
    step(project, owner.id, { type: 'ProjectMemberRoleChanged', data: { projectId, userId: viewer.id, role: 'editor' } }),
    step(room, editor.id, { type: 'RoomCreated', data: { roomId, projectId, name: 'General', description: '', createdBy: editor.id } }),
  );
  for (const u of [owner, editor, viewer]) steps.push(step(room, u.id, { type: 'RoomJoined', data: { roomId, projectId, userId: u.id } }));
  const messages: string[] = [];
  for (let i = 0; i < 8; i++) {
    const author = [owner, editor, viewer][i % 3]!;
    const messageId = `${tag}-m${i}`;
    messages.push(messageId);
    steps.push(step(room, author.id, { type: 'ChatMessagePosted', data: { roomId, projectId, messageId, authorId: author.id, text: `note ${i} for @${owner.name}`, mentions: [owner.name], codeBlocks: [] } }));
  }
  steps.push(
    step(room, owner.id, { type: 'ChatMessageEdited', data: { roomId, projectId, messageId: messages[0]!, text: 'edited', mentions: [], codeBlocks: [] } }),
    step(room, editor.id, { type: 'ChatMessageDeleted', data: { roomId, projectId, messageId: messages[1]! } }),
    step(room, viewer.id, { type: 'RoomLeft', data: { roomId, projectId, userId: viewer.id } }),
    step(project, editor.id, { type: 'MilestoneReached', data: { projectId, milestoneId: `${tag}-mvp`, name: 'MVP', description: 'first cut' } }),
    step(`agent-${activityId}`, editor.id, { type: 'AgentActivityStarted', data: { activityId, projectId, agent: 'architect', title: 'Design', startedBy: editor.id } }),
    step(`agent-${activityId}`, editor.id, { type: 'AgentActivityProgressed', data: { activityId, projectId, progress: 40, message: 'drafting' } }),
    step(`agent-${activityId}`, editor.id, { type: 'AgentActivityCompleted', data: { activityId, projectId, summary: 'done' } }),
    step(user(owner), owner.id, { type: 'UserProfileUpdated', data: { userId: owner.id, bio: 'I own things' } }),
    step(user(editor), editor.id, { type: 'UserSignedIn', data: { userId: editor.id, sessionId: `${tag}-session` } }),
    step(project, owner.id, { type: 'ProjectMemberRemoved', data: { projectId, userId: viewer.id } }),
  );
  return steps;
}

/** `projects` project lives, their steps interleaved round-robin so the log mixes many streams. */
export function eventMix(prefix: string, projects: number): EventMix {
  const lives = Array.from({ length: projects }, (_, n) => projectSteps(prefix, n));
  const steps: MixStep[] = [];
  for (let i = 0; i < Math.max(...lives.map((life) => life.length)); i++) {
    for (const life of lives) if (life[i]) steps.push(life[i]!);
  }
  const postedMessages = steps.flatMap((s) => s.events).filter((e) => e.type === 'ChatMessagePosted').length;
  return { steps, postedMessages };
}

/** Appends the steps one after the other; returns the position of the last event. */
export async function appendSteps(store: EventStore, steps: readonly MixStep[]): Promise<number> {
  let position = 0;
  for (const { streamId, events } of steps) position = (await store.append(streamId, events, 'any')).position;
  return position;
}

type Counts = { [key: string]: number | Counts };
const addCounts = (into: Counts, from: Counts): void => {
  for (const [key, value] of Object.entries(from)) {
    if (typeof value === 'number') into[key] = ((into[key] as number | undefined) ?? 0) + value;
    else addCounts((into[key] ??= {}) as Counts, value);
  }
};

/**
 * The analytics day documents as one writer would have made them: bus consumers keep one per
 * partition (AnalyticsDayView.writer), a rebuild one per project and day, and readers sum them.
 */
function foldDayWriters(docs: readonly AnalyticsDayView[]): AnalyticsDayView[] {
  const folded = new Map<string, AnalyticsDayView>();
  for (const doc of docs) {
    const id = dayDocId(doc.projectId, doc.day, null);
    let one = folded.get(id);
    if (!one) folded.set(id, (one = { id, projectId: doc.projectId, day: doc.day, writer: null, total: {}, types: {}, areas: {}, actors: {}, actorAreas: {} }));
    for (const field of ['total', 'types', 'areas', 'actors', 'actorAreas'] as const) addCounts(one[field] as Counts, doc[field] as Counts);
  }
  return [...folded.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** Every document of every collection of the projections, sorted by id (the analytics day documents folded over their writers). */
export async function snapshotCollections(store: ReadStore, projections: readonly Projection[]): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const projection of projections) {
    for (const { name } of projection.collections) {
      const docs = await store.find(name, { orderBy: [{ field: 'id', direction: 'asc' }] });
      snapshot[name] = name === AnalyticsReadModels.days ? foldDayWriters(docs as AnalyticsDayView[]) : docs;
    }
  }
  return snapshot;
}

/** Rebuilds every projection from the event store into `store`, in one pass over the log. */
export async function rebuildAll(events: EventStore, store: ReadStore, projections: readonly Projection[]): Promise<void> {
  await rebuildProjections(events, store, projections);
}

/** Polls `done` every 10 ms until it holds; fails after `deadlineMs`. */
export async function waitUntil(done: () => boolean | Promise<boolean>, what: string, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${deadlineMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
