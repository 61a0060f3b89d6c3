import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { CURRENT_SCHEMA, documentStreamId, fileTreeStreamId, type NewEvent } from '@resoft/domain';
import { applyEncodedChanges, createTextDocument, fileTextAtVersion, replaceText, saveTextDocument, textOf, type TextDocument } from '@resoft/documents';
import { newId } from '@resoft/infra';
import { applyBatch } from '../runtime/apply-batch.js';
import { rebuildProjections } from '../runtime/rebuild-projection.js';
import { appendSteps, type MixStep } from '../testing/event-mix.fixture.js';
import { filesProjection, loadFileDocument, type ProjectFileView } from './files-projection.js';
import { ReadModels } from './read-model-names.js';

const event = (type: string, data: Record<string, unknown>): NewEvent => ({
  id: newId(), type, data,
  metadata: { actor: 'u1', correlationId: newId(), causationId: null, occurredAt: new Date(Date.UTC(2026, 0, 5, 9)).toISOString(), schema: CURRENT_SCHEMA },
});

/**
 * A file edited by writers who did not see each other's changes: two insert at the same place, two
 * delete the same characters (text beyond the BMP among them), and (`redelivered`) one change is
 * delivered twice, which the rebuild's replica leaves to Automerge; then edits build on all of it.
 * Each flush is one `DocumentChanged` event, in the order the server stored them.
 */
function concurrentHistory(redelivered: boolean): { fileId: string; steps: MixStep[]; text: string } {
  const fileId = newId();
  const created = createTextDocument('ab😀cd\n');
  const changes: string[] = [];
  const edit = (doc: TextDocument, text: string): TextDocument => {
    const next = replaceText(doc, text);
    changes.push(next.change!.bytes);
    return next.doc;
  };
  const base = created.doc;
  const ana = edit(base, 'aXXb😀cd\n');
  edit(base, 'aYb😀cd\n');
  edit(base, 'abcd\n');
  edit(base, 'ab😀\n');
  if (redelivered) changes.push(changes[1]!);
  let merged = applyEncodedChanges(ana, changes.slice(1, 4));
  for (let n = 0; n < 5; n += 1) merged = edit(merged, `${textOf(merged)}line ${n} 👩‍💻\n`);
  const steps: MixStep[] = [
    { streamId: fileTreeStreamId('p1'), events: [event('FileCreated', { projectId: 'p1', fileId, path: 'a.txt', createdBy: 'u1', initialChange: created.initial.bytes, hash: created.initial.hash, size: 8 })] },
    ...changes.map((change) => ({ streamId: documentStreamId(fileId), events: [event('DocumentChanged', { projectId: 'p1', fileId, authorId: 'u1', changes: [change], hashes: [] })] })),
  ];
  return { fileId, steps, text: textOf(merged) };
}

describe('files projection: a rebuild without Automerge per change', () => {
  let dir: string;
  let events: SqliteEventStore;
  const stores: SqliteReadStore[] = [];
  const readStore = async (name: string) => {
    const store = new SqliteReadStore({ file: path.join(dir, `${name}.sqlite`) });
    stores.push(store);
    for (const spec of filesProjection.collections) await store.ensureCollection(spec);
    return store;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-files-rebuild-'));
    events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await events.close();
    for (const store of stores.splice(0)) await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** What readers see of a file: its view, the document it loads to, and its text at every version. */
  async function asReadersSeeIt(store: SqliteReadStore, fileId: string) {
    const { snapshot: _s, docRevision: _r, pendingChanges: _c, pendingEvents: _e, ...view } = (await store.get<ProjectFileView>(ReadModels.projectFiles, fileId))!;
    const document = saveTextDocument(loadFileDocument((await store.get<ProjectFileView>(ReadModels.projectFiles, fileId))!));
    const texts: (string | null)[] = [];
    for (let version = 0; version <= view.version; version += 1) texts.push(await fileTextAtVersion(store, fileId, version));
    return { view, document, texts };
  }

  it.each([false, true])('gives readers what live batches give for concurrent edits, same-place inserts, deletes of the same text (a change delivered twice: %s)', async (redelivered) => {
    const history = concurrentHistory(redelivered);
    await appendSteps(events, history.steps);
    const all = await events.readAll();
    const live = await readStore('live');
    let checkpoint = 0;
    for (const e of all) checkpoint = await applyBatch(live, filesProjection, checkpoint, [e]);
    for (const pageSize of [3, 1000]) {
      const rebuilt = await readStore(`rebuilt-${pageSize}`);
      await rebuildProjections(events, rebuilt, [filesProjection], () => undefined, { pageSize });
      const seen = await asReadersSeeIt(rebuilt, history.fileId);
      expect(seen).toEqual(await asReadersSeeIt(live, history.fileId));
      expect(seen.view.text).toBe(history.text);
      expect(seen.texts.every((text) => text !== null)).toBe(true);
    }
  });
});
