import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../events/envelope.js';
import { CURRENT_SCHEMA, upcast } from '../events/schema-versions.js';
import type { CheckRequestedData } from './check-decider.js';
import { checkDecider } from './check-decider.js';
import { applyCheckEvent } from './check-report.js';
import { checkedFile, lineCount, textAddress } from './checked-file.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A `CheckRequested` as schema 1 recorded it: each file's text inline. */
const schemaOne = (files: { path: string; content: string; language: 'python'; origin?: { fileId: string; version: number } }[]): RecordedEvent => ({
  id: 'e-1', type: 'CheckRequested', streamId: 'check-c-1', revision: 0, position: 7,
  data: { checkId: 'c-1', projectId: null, requestedBy: 'u-1', source: 'upload', linters: ['ruff'], files, ignoredFiles: [] },
  metadata: { actor: 'u-1', correlationId: 'c', causationId: null, occurredAt: '2026-11-29T00:00:00.000Z', schema: 1, prevHash: '0'.repeat(64), hash: '1'.repeat(64) },
});

describe('what a check records of a submitted file', () => {
  it('records the SHA-256 and UTF-8 size of the text, its lines and origin, and never the text', () => {
    const content = 'é = 1\nprint(é)\n';
    const file = checkedFile({ path: 'a.py', content, language: 'python', origin: { fileId: 'f-1', version: 3 } }, textAddress(content));
    expect(file).toEqual({ path: 'a.py', language: 'python', sha256: sha256(content), bytes: Buffer.byteLength(content), lines: 2, origin: { fileId: 'f-1', version: 3 } });
    expect(file).not.toHaveProperty('content');
  });

  it('counts lines as an editor shows them', () => {
    expect([lineCount(''), lineCount('x'), lineCount('x\n'), lineCount('x\ny'), lineCount('x\n\n')]).toEqual([0, 1, 1, 2, 2]);
  });

  it('the decider drops any text passed along with a file, so the event stays small', () => {
    const content = 'x = 1\n'.repeat(10_000);
    const file = { ...checkedFile({ path: 'a.py', content, language: 'python' }, textAddress(content)), content };
    const [event] = checkDecider.decide({ type: 'RequestCheck', checkId: 'c-1', actorId: 'u-1', project: null, source: 'paste', linters: ['ruff'], files: [file], ignoredFiles: [] }, checkDecider.initialState());
    expect(JSON.stringify(event).length).toBeLessThan(500);
  });
});

describe('checks recorded before the text moved to the source store', () => {
  it('are upcast to the current shape with the text kept inline', () => {
    const content = 'import os\nx = 1\n';
    const lifted = upcast<CheckRequestedData>(schemaOne([{ path: 'app.py', content, language: 'python', origin: { fileId: 'f-1', version: 0 } }]));
    expect(CURRENT_SCHEMA).toBeGreaterThan(1);
    expect(lifted.data.files).toEqual([{ path: 'app.py', language: 'python', sha256: sha256(content), bytes: 16, lines: 2, origin: { fileId: 'f-1', version: 0 }, content }]);
  });

  it('read into the same report as a new check', () => {
    const content = 'a = 1\nb = 2\nc = 3\n';
    const lifted = upcast<CheckRequestedData>(schemaOne([{ path: 'app.py', content, language: 'python' }]));
    const report = applyCheckEvent(null, { event: { type: 'CheckRequested', data: lifted.data }, occurredAt: '2026-11-29T00:00:00.000Z', position: 7 });
    expect(report?.files).toEqual([{ path: 'app.py', language: 'python', lines: 3 }]);
  });

  it('leave events already in the current shape as they are', () => {
    const event = { ...schemaOne([]), metadata: { ...schemaOne([]).metadata, schema: CURRENT_SCHEMA } };
    expect(upcast(event)).toEqual(event);
  });
});
