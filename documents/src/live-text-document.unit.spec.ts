import * as Automerge from '@automerge/automerge/next';
import { LiveTextDocument } from './live-text-document.js';
import { createTextDocument, type TextDoc } from './text-document.js';

/** A change that decodes, names the document's heads as its dependencies, and edits an object the document never had. */
function forgedChange(heads: string[]): Uint8Array {
  let elsewhere = Automerge.change(Automerge.init<{ obj?: { a: number } }>(), (d) => { d.obj = { a: 1 }; });
  elsewhere = Automerge.change(elsewhere, (d) => { d.obj!.a = 2; });
  const decoded = Automerge.decodeChange(Automerge.getLastLocalChange(elsewhere)!);
  return Automerge.encodeChange({ ...decoded, deps: heads, seq: 1 });
}

describe('LiveTextDocument', () => {
  it('applies an editor\'s changes one at a time and answers only the new ones', () => {
    const { doc } = createTextDocument('hello');
    const live = LiveTextDocument.fromDocument(doc);
    let editor = Automerge.clone(doc);
    for (let i = 0; i < 50; i += 1) {
      editor = Automerge.change(editor, (d: TextDoc) => Automerge.splice(d, ['text'], 0, 0, `${i % 10}`));
      const change = Automerge.getLastLocalChange(editor)!;
      expect(live.apply([change])).toHaveLength(1);
      expect(live.apply([change])).toHaveLength(0);
    }
    expect(live.text).toBe(editor.text);
    expect(live.heads()).toEqual(Automerge.getHeads(editor));
    live.release();
  });

  it('refuses, by throwing, a change that edits an object the document never had (applied silently, every replica would fail on it)', () => {
    const { doc } = createTextDocument('hello');
    const live = LiveTextDocument.fromDocument(doc);
    expect(() => live.apply([forgedChange(Automerge.getHeads(doc))])).toThrow();
    // After a reload the copy serves again.
    live.replace(doc);
    expect(live.text).toBe('hello');
    expect(() => live.apply([forgedChange(Automerge.getHeads(doc))])).toThrow();
    live.release();
  });
});
