/**
 * Test and benchmark fixture: files with long edit histories, as the log holds them — a
 * `FileCreated` in the project's file tree stream, then one `DocumentChanged` per flush in the
 * file's `doc-<id>` stream, each a real Automerge change that appends a line to the text.
 */
import { CURRENT_SCHEMA, documentStreamId, fileTreeStreamId, type NewEvent } from '@resoft/domain';
import { createTextDocument, newId, replaceText, textOf } from '@resoft/infra';
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

/** One file of `projectId` created by `author`, then changed `changes` times. */
export function fileHistory(projectId: string, author: string, changes: number, path = `src/file-${newId()}.py`): FileHistory {
  const fileId = newId();
  const created = createTextDocument('# start\n');
  const steps: MixStep[] = [
    {
      streamId: fileTreeStreamId(projectId),
      events: [stamped('FileCreated', { projectId, fileId, path, createdBy: author, initialChange: created.initial.bytes, hash: created.initial.hash, size: 8 }, author)],
    },
  ];
  let doc = created.doc;
  for (let n = 0; n < changes; n += 1) {
    const next = replaceText(doc, `${textOf(doc)}line ${n}: print(${n})\n`);
    doc = next.doc;
    const change = next.change!;
    steps.push({
      streamId: documentStreamId(fileId),
      events: [stamped('DocumentChanged', { projectId, fileId, authorId: author, changes: [change.bytes], hashes: [change.hash] }, author)],
    });
  }
  return { fileId, steps, text: textOf(doc) };
}
