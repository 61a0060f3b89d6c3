/**
 * The files projection's recorded text versions (checkpoint plus splices, no Automerge on the read
 * path) must give exactly the texts a full Automerge replay of the events gives, at any moment: edits
 * made concurrently by two editors, deletions, replacements, characters outside the BMP, events
 * holding several changes, files created, renamed and deleted mid-history — recorded event by event
 * (a live runner) and in a rebuild's large batches.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CURRENT_SCHEMA, documentStreamId, fileTreeStreamId, type AsOf, type NewEvent } from '@resoft/domain';
import { newId } from '@resoft/infra';
import { FILE_TEXT_VERSIONS, TEXT_CHECKPOINT_EVERY, fileTextAtVersion, type FileTextVersion, applyEncodedChanges, createTextDocument, loadTextDocument, projectFilesAsOf, replaceText, textOf, type TextDocument } from '@resoft/documents';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { applyBatch } from '../runtime/apply-batch.js';
import { rebuildProjections } from '../runtime/rebuild-projection.js';
import { filesProjection } from './files-projection.js';

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const PIECES = ['a', 'bc', 'def\n', ' ', '😀', 'é', 'line\n', '\t', 'x😀y'];

/** One random edit of the text: an insert, a deletion or a replacement somewhere. */
function edit(text: string, next: () => number): string {
  // Positions on code point boundaries, as an editor makes them.
  const points = [...text];
  const at = Math.floor(next() * (points.length + 1));
  const kind = next();
  const piece = PIECES[Math.floor(next() * PIECES.length)]!;
  if (kind < 0.5 || points.length === 0) return [...points.slice(0, at), piece, ...points.slice(at)].join('');
  const removed = 1 + Math.floor(next() * Math.min(12, points.length - at));
  return [...points.slice(0, at), ...(kind < 0.8 ? [] : [piece]), ...points.slice(at + removed)].join('');
}

const stamped = (type: string, data: Record<string, unknown>): NewEvent => ({
  id: newId(), type, data,
  metadata: { actor: 'u1', correlationId: newId(), causationId: null, occurredAt: new Date().toISOString(), schema: CURRENT_SCHEMA },
});

interface Editor {
  doc: TextDocument;
}

describe('as-of file texts from recorded versions', () => {
  let dir: string;
  let events: SqliteEventStore;
  let store: SqliteReadStore;
  const projectId = newId();
  const fileIds: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-text-versions-'));
    events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    const next = random(20261203);
    const tree = fileTreeStreamId(projectId);
    const files: { fileId: string; editors: Editor[]; sent: string[][] }[] = [];
    const create = async (n: number) => {
      const fileId = newId();
      const { doc, initial } = createTextDocument(`file ${n} 😀\nsecond line\n`);
      await events.append(tree, [stamped('FileCreated', { projectId, fileId, path: `src/f${n}.txt`, createdBy: 'u1', initialChange: initial.bytes, hash: initial.hash, size: 10 })], 'any');
      // Two editors working on their own copies: their changes are concurrent until they exchange them.
      files.push({ fileId, editors: [{ doc }, { doc: loadTextDocument(initial.bytes) }], sent: [[], []] });
      fileIds.push(fileId);
    };
    await create(0);
    await create(1);
    for (let step = 0; step < 330; step += 1) {
      if (step === 120) await create(2);
      if (step === 200) await events.append(tree, [stamped('FileRenamed', { projectId, fileId: fileIds[1]!, from: 'src/f1.txt', to: 'src/renamed.txt' })], 'any');
      if (step === 260) await events.append(tree, [stamped('FileDeleted', { projectId, fileId: fileIds[1]!, path: 'src/renamed.txt' })], 'any');
      const live = files.filter((f) => !(f.fileId === fileIds[1] && step >= 260));
      const file = live[step % 5 === 0 ? Math.floor(next() * live.length) : 0]!;
      const who = next() < 0.5 ? 0 : 1;
      const editor = file.editors[who]!;
      const changes: string[] = [];
      // Now and then an event holds two changes (one flush of several edits).
      for (let c = 0; c < (next() < 0.15 ? 2 : 1); c += 1) {
        const made = replaceText(editor.doc, edit(textOf(editor.doc), next));
        editor.doc = made.doc;
        if (made.change) changes.push(made.change.bytes);
      }
      if (changes.length === 0) continue;
      file.sent[who]!.push(...changes);
      await events.append(documentStreamId(file.fileId), [stamped('DocumentChanged', { projectId, fileId: file.fileId, authorId: 'u1', changes, hashes: changes.map((_, i) => `h${step}-${i}`) })], 'any');
      // Every few steps the editors exchange what they sent (merge), as the gateway's peers do.
      if (next() < 0.2) {
        const other = file.editors[1 - who]!;
        other.doc = applyEncodedChanges(other.doc, file.sent[who]!);
        editor.doc = applyEncodedChanges(editor.doc, file.sent[1 - who]!);
        file.sent = [[], []];
      }
    }
  }, 120_000);

  afterAll(async () => {
    await events.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    store = new SqliteReadStore({ file: path.join(dir, `read-${newId()}.sqlite`) });
    for (const spec of filesProjection.collections) await store.ensureCollection(spec);
  });
  afterEach(() => store.close());

  /** Compares the recorded versions' answers with full replays at the moments, and checks they came from the recorded versions. */
  async function expectSameAsReplay(moments: readonly AsOf[]): Promise<void> {
    for (const asOf of moments) {
      const replayed = await projectFilesAsOf(events, projectId, asOf);
      expect(await projectFilesAsOf(events, projectId, asOf, { textVersions: store })).toEqual(replayed);
      for (const file of replayed) expect(await fileTextAtVersion(store, file.fileId, file.version)).toBe(file.text);
    }
  }

  /** Ordinary edits are recorded as splices: whole texts only at version 0 and every TEXT_CHECKPOINT_EVERY versions. */
  async function expectCheckpointsOnlyEvery(): Promise<void> {
    const rows = await store.find<FileTextVersion>(FILE_TEXT_VERSIONS, { where: { fileId: fileIds[0]! } });
    const versions = Math.max(...rows.map((r) => r.version));
    expect(versions).toBeGreaterThan(2 * TEXT_CHECKPOINT_EVERY);
    expect(rows.filter((r) => r.checkpoint).map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: Math.floor(versions / TEXT_CHECKPOINT_EVERY) + 1 }, (_, i) => i * TEXT_CHECKPOINT_EVERY));
  }

  function moments(head: number, count: number): AsOf[] {
    const next = random(head);
    return [1, 2, head, ...Array.from({ length: count }, () => 1 + Math.floor(next() * head))].map((position) => ({ kind: 'position', position }));
  }

  it('answers like a full replay at random moments when recorded event by event (a live runner)', async () => {
    let checkpoint = 0;
    for (const event of await events.readAll()) checkpoint = await applyBatch(store, filesProjection, checkpoint, [event]);
    await expectSameAsReplay(moments(await events.headPosition(), 40));
    await expectCheckpointsOnlyEvery();
  }, 240_000);

  it('answers like a full replay at random moments and at a time when recorded by a rebuild, with a checkpoint only every TEXT_CHECKPOINT_EVERY versions', async () => {
    await rebuildProjections(events, store, [filesProjection]);
    const head = await events.headPosition();
    await expectSameAsReplay([...moments(head, 40), { kind: 'time', time: new Date().toISOString() }]);
    await expectCheckpointsOnlyEvery();
  }, 240_000);

  it('replays the files the recording does not cover (a read store from before it): same answers', async () => {
    const head = await events.headPosition();
    for (const asOf of moments(head, 5)) {
      expect(await projectFilesAsOf(events, projectId, asOf, { textVersions: store })).toEqual(await projectFilesAsOf(events, projectId, asOf));
    }
    expect(await fileTextAtVersion(store, fileIds[0]!, 3)).toBeNull();
  }, 120_000);
});
