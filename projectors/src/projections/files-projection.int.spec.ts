import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { applyEncodedChanges, loadSavedTextDocument, readDocumentChanges, textOf } from '@resoft/documents';
import { applyBatch } from '../runtime/apply-batch.js';
import { rebuildProjections } from '../runtime/rebuild-projection.js';
import { appendSteps } from '../testing/event-mix.fixture.js';
import { fileHistory } from '../testing/file-history.fixture.js';
import { SNAPSHOT_EVERY, filesProjection, loadFileDocument, type ProjectFileView } from './files-projection.js';
import { ReadModels } from './read-model-names.js';

describe('files projection across snapshots', () => {
  let dir: string;
  let events: SqliteEventStore;
  let store: SqliteReadStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-files-projection-'));
    events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    store = new SqliteReadStore({ file: path.join(dir, 'read.sqlite') });
    for (const spec of filesProjection.collections) await store.ensureCollection(spec);
  });
  afterEach(async () => {
    await events.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const changes = 2 * SNAPSHOT_EVERY + 5;

  it('keeps the text current after every change while saving a snapshot only every SNAPSHOT_EVERY changes', async () => {
    const history = fileHistory('p1', 'u1', changes);
    await appendSteps(events, history.steps);
    // Event by event, as a live runner applies them.
    let checkpoint = 0;
    for (const event of await events.readAll()) checkpoint = await applyBatch(store, filesProjection, checkpoint, [event]);

    const file = (await store.get<ProjectFileView>(ReadModels.projectFiles, history.fileId))!;
    expect(file.text).toBe(history.text);
    expect(file.version).toBe(changes);
    expect(file.pendingEvents).toBe(5);
    // The snapshot includes the 2 × SNAPSHOT_EVERY-th change: doc stream revisions count from 0.
    expect(file.docRevision).toBe(2 * SNAPSHOT_EVERY - 1);
  });

  it('loads the same document from the snapshot plus later changes as from the whole history, for a fresh process', async () => {
    const history = fileHistory('p1', 'u1', changes);
    await appendSteps(events, history.steps);
    await rebuildProjections(events, store, [filesProjection]);
    const file = (await store.get<ProjectFileView>(ReadModels.projectFiles, history.fileId))!;

    expect(textOf(loadFileDocument(file))).toBe(history.text);
    // What the gateway does: snapshot + the doc stream's events after `docRevision`.
    const later = await readDocumentChanges(events, history.fileId, file.docRevision + 1);
    expect(later).toHaveLength(file.pendingEvents);
    expect(textOf(applyEncodedChanges(loadSavedTextDocument(file.snapshot), later.flatMap((e) => e.data.changes)))).toBe(history.text);
  });

  it('gives the same file whether changes arrive one by one or in one rebuild, and after a redelivered batch', async () => {
    const history = fileHistory('p1', 'u1', SNAPSHOT_EVERY + 3);
    await appendSteps(events, history.steps);
    const all = await events.readAll();
    let checkpoint = 0;
    for (const event of all) checkpoint = await applyBatch(store, filesProjection, checkpoint, [event]);
    expect(await applyBatch(store, filesProjection, checkpoint, all)).toBe(checkpoint);
    const live = await store.get<ProjectFileView>(ReadModels.projectFiles, history.fileId);

    const other = new SqliteReadStore({ file: path.join(dir, 'rebuilt.sqlite') });
    try {
      await rebuildProjections(events, other, [filesProjection]);
      const rebuilt = await other.get<ProjectFileView>(ReadModels.projectFiles, history.fileId);
      // Where the snapshot falls depends on the batches (a snapshot is saved at a batch's end); what
      // the file holds and the document it loads to do not.
      const stored = ({ snapshot: _s, docRevision: _r, pendingChanges: _c, pendingEvents: _e, ...rest }: ProjectFileView) => rest;
      expect(stored(rebuilt!)).toEqual(stored(live!));
      expect(textOf(loadFileDocument(rebuilt!))).toBe(history.text);
      expect(textOf(loadFileDocument(live!))).toBe(history.text);
    } finally {
      await other.close();
    }
  });

  it('applies a change to a file whose working copy is gone (another process wrote the view)', async () => {
    const history = fileHistory('p1', 'u1', 10);
    await appendSteps(events, history.steps);
    const all = await events.readAll();
    const checkpoint = await applyBatch(store, filesProjection, 0, all.slice(0, 6));
    // A second store over the same file starts without this process's working copies of its views.
    const other = new SqliteReadStore({ file: path.join(dir, 'read.sqlite') });
    try {
      const copy = (await other.get<ProjectFileView>(ReadModels.projectFiles, history.fileId))!;
      await other.write({ ops: [{ kind: 'put', collection: ReadModels.projectFiles, doc: { ...copy, changeEventId: 'written-elsewhere' } }] });
    } finally {
      await other.close();
    }
    await applyBatch(store, filesProjection, checkpoint, all.slice(6));
    expect((await store.get<ProjectFileView>(ReadModels.projectFiles, history.fileId))!.text).toBe(history.text);
  });
});
