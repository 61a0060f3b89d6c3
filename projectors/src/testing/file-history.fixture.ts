/**
 * Test and benchmark fixture: files with long edit histories, as the log holds them — a
 * `FileCreated` in the project's file tree stream, then one `DocumentChanged` per flush in the
 * file's `doc-<id>` stream, each a real Automerge change that appends a line to the text.
 */
import { CURRENT_SCHEMA, documentStreamId, fileTreeStreamId, type NewEvent } from '@resoft/domain';
import { newId } from '@resoft/infra';
import { createTextDocument, replaceText, textOf, type EncodedChange } from '@resoft/documents';
import type { MixStep } from './event-mix.fixture.js';

export interface FileHistory {
  readonly fileId: string;
  readonly steps: readonly MixStep[];
  /** The text after the last change. */
  readonly text: string;
}

const stamped = (type: string, data: Record<string, unknown>, actor: string): NewEvent => ({
  id: newId(),
  type,
  data,
  metadata: { actor, correlationId: newId(), causationId: null, occurredAt: new Date(Date.UTC(2026, 0, 5, 9)).toISOString(), schema: CURRENT_SCHEMA },
});

interface EditScript {
  readonly initial: EncodedChange;
  readonly changes: readonly EncodedChange[];
  readonly text: string;
}

/** Making the changes costs more the longer the history, so each length is made once and reused (a file's changes do not name the file). */
const scripts = new Map<number, EditScript>();

function editScript(length: number): EditScript {
  let script = scripts.get(length);
  if (!script) {
    const created = createTextDocument('# start\n');
    let doc = created.doc;
    const changes: EncodedChange[] = [];
    for (let n = 0; n < length; n += 1) {
      const next = replaceText(doc, `${textOf(doc)}line ${n}: print(${n})\n`);
      doc = next.doc;
      changes.push(next.change!);
    }
    scripts.set(length, (script = { initial: created.initial, changes, text: textOf(doc) }));
  }
  return script;
}

/** One file of `projectId` created by `author`, then changed `changes` times. */
export function fileHistory(projectId: string, author: string, changes: number, path = `src/file-${newId()}.py`): FileHistory {
  const fileId = newId();
  const script = editScript(changes);
  const steps: MixStep[] = [
    {
      streamId: fileTreeStreamId(projectId),
      events: [stamped('FileCreated', { projectId, fileId, path, createdBy: author, initialChange: script.initial.bytes, hash: script.initial.hash, size: 8 }, author)],
    },
  ];
  for (const change of script.changes) {
    steps.push({
      streamId: documentStreamId(fileId),
      events: [stamped('DocumentChanged', { projectId, fileId, authorId: author, changes: [change.bytes], hashes: [change.hash] }, author)],
    });
  }
  return { fileId, steps, text: script.text };
}
