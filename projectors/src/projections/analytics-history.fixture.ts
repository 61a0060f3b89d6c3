/**
 * Generated project histories for the analytics tests and benchmark: a seeded random mix of every
 * kind of project event (members, milestones, rooms and chat, files with single-region edits,
 * checks with findings, agent activities, template runs, personal checks that belong to no
 * project), with a clock that moves in random steps across hour, day and week edges. Each append
 * is one event, in the order a busy log would interleave them.
 */
import { CURRENT_SCHEMA, type NewEvent } from '@resoft/domain';
import { createTextDocument, replaceText, textOf, type TextDocument } from '@resoft/documents';

export interface GeneratedAppend {
  readonly streamId: string;
  readonly event: NewEvent;
}

export interface HistoryOptions {
  readonly seed: number;
  readonly projects: number;
  readonly events: number;
  /** First event time (ms); default 2026-03-27T20:00Z, so histories cross the March DST change. */
  readonly start?: number;
  /** Largest step of the clock between two events, ms; default 40 minutes. */
  readonly maxStepMs?: number;
  /**
   * Whether each file is a real Automerge document edited change by change (slower); default true.
   * Otherwise files take their initial and later changes from a small pool of real changes, so
   * churn is still counted from real change bytes, at a fraction of the cost.
   */
  readonly realEdits?: boolean;
  /** A prefix for ids, so several histories can share one store. */
  readonly tag?: string;
  /** The user who creates (and so owns) every project; default a generated id. */
  readonly owner?: string;
}

/** A small fast PRNG (mulberry32): the same seed gives the same history. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AGENTS = ['architect', 'developer', 'test_engineer', 'quality_expert'] as const;
const RULES = [['pylint', 'C0114'], ['pylint', 'W0611'], ['ruff', 'F401'], ['mypy', 'name-defined'], ['eslint', 'no-unused-vars']] as const;

interface ProjectState {
  id: string;
  people: string[];
  rooms: string[];
  files: { id: string; doc: TextDocument | null; length: number }[];
  agents: string[];
  checks: number;
  milestones: number;
  templateRuns: number;
}

/** Ids look like UUIDs (the HTTP layer validates them): the tag's hash, then a counter. */
const uuidFor = (tag: string, n: number): string => {
  let hash = 2166136261;
  for (const char of tag) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return `${hash.toString(16).padStart(8, '0')}-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
};

let pool: { initial: string; edits: string[] } | null = null;

/** A few real changes: a created file and edits of it, reused by histories without real edits. */
function changePool(): { initial: string; edits: string[] } {
  if (pool) return pool;
  let { doc, initial } = createTextDocument('def main():\n    return 0\n');
  const edits: string[] = [];
  for (const next of ['def main():\n    return 1\n', 'def main():\n    print("x")\n    return 1\n', 'x = 1\n', 'def f(a, b):\n    return a + b\n']) {
    const replaced = replaceText(doc, next);
    doc = replaced.doc;
    if (replaced.change) edits.push(replaced.change.bytes);
  }
  return (pool = { initial: initial.bytes, edits });
}

export function generateHistory(options: HistoryOptions): GeneratedAppend[] {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const tag = options.tag ?? `h${options.seed}`;
  let counter = 0;
  const id = (): string => uuidFor(tag, (counter += 1));
  let clock = options.start ?? Date.UTC(2026, 2, 27, 20, 0, 0);
  const maxStep = options.maxStepMs ?? 40 * 60_000;
  const realEdits = options.realEdits ?? true;
  const out: GeneratedAppend[] = [];
  const emit = (streamId: string, type: string, data: Record<string, unknown>, actor: string | null): void => {
    clock += Math.floor(random() * maxStep);
    out.push({ streamId, event: { id: id(), type, data, metadata: { actor, correlationId: id(), causationId: null, occurredAt: new Date(clock).toISOString(), schema: CURRENT_SCHEMA } } });
  };

  const projects: ProjectState[] = [];
  for (let p = 0; p < options.projects; p++) {
    const project: ProjectState = { id: id(), people: [options.owner ?? id()], rooms: [], files: [], agents: [], checks: 0, milestones: 0, templateRuns: 0 };
    projects.push(project);
    emit(`project-${project.id}`, 'ProjectCreated', { projectId: project.id, name: `P${p}`, description: '', ownerId: project.people[0], ownerUsername: `owner${p}` }, project.people[0]!);
  }

  while (out.length < options.events) {
    const project = pick(projects);
    const projectId = project.id;
    const person = pick(project.people);
    const roll = random();
    if (roll < 0.05 && project.people.length < 6) {
      const userId = id();
      project.people.push(userId);
      emit(`project-${projectId}`, 'ProjectMemberAdded', { projectId, userId, username: `u${counter}`, role: 'editor' }, project.people[0]!);
    } else if (roll < 0.07) {
      project.milestones += 1;
      emit(`project-${projectId}`, 'MilestoneReached', { projectId, milestoneId: id(), name: `M${project.milestones}`, description: '' }, person);
    } else if (roll < 0.1 || project.rooms.length === 0) {
      const roomId = id();
      project.rooms.push(roomId);
      emit(`room-${roomId}`, 'RoomCreated', { roomId, projectId, name: `Room ${project.rooms.length}`, description: '', createdBy: person }, person);
    } else if (roll < 0.4) {
      const roomId = pick(project.rooms);
      emit(`room-${roomId}`, 'ChatMessagePosted', { roomId, projectId, messageId: id(), authorId: person, text: 'hi', mentions: [], codeBlocks: [] }, person);
    } else if (roll < 0.45) {
      const roomId = pick(project.rooms);
      emit(`room-${roomId}`, random() < 0.5 ? 'RoomJoined' : 'RoomLeft', { roomId, projectId, userId: person }, person);
    } else if (roll < 0.5 || project.files.length === 0) {
      const fileId = id();
      const text = 'x'.repeat(1 + Math.floor(random() * 40));
      const created = realEdits ? createTextDocument(text) : null;
      project.files.push({ id: fileId, doc: created?.doc ?? null, length: text.length });
      emit(`files-${projectId}`, 'FileCreated', { projectId, fileId, path: `src/f${counter}.py`, createdBy: person, initialChange: created?.initial.bytes ?? changePool().initial, hash: created?.initial.hash ?? '', size: text.length }, person);
    } else if (roll < 0.7) {
      const file = pick(project.files);
      let changes: string[] = realEdits ? [] : [pick(changePool().edits)];
      if (realEdits && file.doc) {
        // One region: keep a prefix and a suffix, replace what lies between with a character the
        // text has never held, so the edit has one smallest form (the version list counts it so too).
        const before = textOf(file.doc);
        const from = Math.floor(random() * (before.length + 1));
        const to = from + Math.floor(random() * (before.length - from + 1));
        const fresh = String.fromCharCode(0x4e00 + (counter % 20000));
        const next = before.slice(0, from) + fresh.repeat(Math.floor(random() * 12)) + before.slice(to);
        const replaced = replaceText(file.doc, next);
        file.doc = replaced.doc;
        changes = replaced.change ? [replaced.change.bytes] : [];
      }
      emit(`doc-${file.id}`, 'DocumentChanged', { projectId, fileId: file.id, authorId: person, changes, hashes: [] }, person);
    } else if (roll < 0.8) {
      const checkId = id();
      const stream = `check-${checkId}`;
      const personal = random() < 0.1;
      const owner = personal ? null : projectId;
      emit(stream, 'CheckRequested', { checkId, projectId: owner, requestedBy: person, source: 'paste', linters: ['pylint', 'ruff'], files: [], ignoredFiles: [] }, person);
      emit(stream, 'CheckStarted', { checkId, projectId: owner, runnerId: 'r', leaseUntil: 0 }, null);
      for (const linter of ['pylint', 'ruff']) {
        const findings = RULES.filter(() => random() < 0.4).map(([tool, ruleId]) => ({ tool, ruleId, fingerprint: `${tool}:${ruleId}:${Math.floor(random() * 3)}`, severity: 'warning' }));
        emit(stream, 'LinterFinished', { checkId, projectId: owner, linter, status: 'ok', findings }, null);
      }
      if (random() < 0.85) {
        const score = Math.round(random() * 1000) / 10;
        emit(stream, 'CheckCompleted', { checkId, projectId: owner, score, grade: score >= 90 ? 'A' : score >= 80 ? 'B' : 'C', formulaVersion: 1, breakdown: [], counts: { error: 0, warning: 0, info: 0 } }, null);
      } else {
        emit(stream, 'CheckFailed', { checkId, projectId: owner, reason: 'no linter' }, null);
      }
    } else if (roll < 0.92) {
      const activityId = id();
      const stream = `agent-${activityId}`;
      emit(stream, 'AgentActivityStarted', { activityId, projectId, agent: pick(AGENTS), title: 'Work', startedBy: person }, person);
      emit(stream, 'AgentActivityProgressed', { activityId, projectId, progress: 50, message: 'half' }, person);
      const end = random();
      if (end < 0.6) emit(stream, 'AgentActivityCompleted', { activityId, projectId, summary: 'ok' }, person);
      else if (end < 0.85) emit(stream, 'AgentActivityFailed', { activityId, projectId, summary: 'no' }, person);
    } else if (roll < 0.95) {
      const runId = id();
      emit(`template-run-${runId}`, 'TemplateRunStarted', { runId, projectId, templateId: 'microservice', templateVersion: '1', variables: {}, fileCount: 1, overwrite: false, startedBy: person }, person);
      emit(`template-run-${runId}`, 'TemplateRunCompleted', { runId, projectId, fileCount: 1, totalBytes: 10 }, person);
    } else {
      emit(`user-${person}`, 'UserSignedIn', { userId: person, sessionId: id() }, person);
    }
  }
  return out;
}
