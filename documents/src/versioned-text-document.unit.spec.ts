import * as Automerge from '@automerge/automerge/next';
import { applySplices } from './file-text-versions.js';
import { createTextDocument, encodeChange, loadTextDocument, textOf, type TextDoc, type TextDocument } from './text-document.js';
import { VersionedTextDocument } from './versioned-text-document.js';

/** Each version is one change by a new author (as the gateway's flushes are), editing the text as `edit` says. */
function versions(start: TextDocument, edits: readonly ((d: TextDoc, text: string) => void)[]): { changes: string[][]; texts: string[] } {
  let doc = start;
  const changes: string[][] = [];
  const texts: string[] = [];
  for (const edit of edits) {
    doc = Automerge.change(Automerge.clone(doc), (d) => edit(d, textOf(doc)));
    changes.push([encodeChange(Automerge.getLastLocalChange(doc)!).bytes]);
    texts.push(textOf(doc));
  }
  return { changes, texts };
}

describe('VersionedTextDocument', () => {
  it('answers each version\'s text and the edits that lead to it from the version before, as Automerge holds them', () => {
    const { doc, initial } = createTextDocument('# start\n');
    const edits = Array.from({ length: 60 }, (_, i) => (d: TextDoc, text: string) => {
      if (i % 5 === 4) Automerge.splice(d, ['text'], 2, 3);
      else if (i % 7 === 6) Automerge.updateText(d, ['text'], text.replace(/line/g, 'row 🙂'));
      else Automerge.splice(d, ['text'], text.length, 0, `line ${i}: é́ print(${i})\n`);
    });
    const { changes, texts } = versions(doc, edits);
    const versioned = VersionedTextDocument.adopt(loadTextDocument(initial.bytes));
    // Two calls, as two batches would make them.
    const applied = [...versioned.applyVersions(changes.slice(0, 25)), ...versioned.applyVersions(changes.slice(25))];
    let text = '# start\n';
    for (const [i, version] of applied.entries()) {
      expect(version.text).toBe(texts[i]);
      expect(version.splices).not.toBeNull();
      text = applySplices(text, version.splices!);
      expect(text).toBe(texts[i]);
    }
    expect(versioned.currentText).toBe(texts.at(-1));
    expect(textOf(Automerge.load<TextDoc>(Buffer.from(versioned.save(), 'base64')))).toBe(texts.at(-1));
  });

  it('answers the whole text without edits for a version that replaces the text field itself', () => {
    const { doc, initial } = createTextDocument('old text');
    const { changes, texts } = versions(doc, [
      (d, text) => Automerge.splice(d, ['text'], text.length, 0, '!'),
      (d) => { d.text = 'a new text object'; },
      (d) => Automerge.splice(d, ['text'], 0, 0, '> '),
    ]);
    const applied = VersionedTextDocument.adopt(loadTextDocument(initial.bytes)).applyVersions(changes);
    expect(applied.map((v) => v.text)).toEqual(texts);
    expect(applied[0]!.splices).toEqual([[8, 0, '!']]);
    expect(applied[1]!.splices).toBeNull();
    expect(applied[2]!.splices).toEqual([[0, 0, '> ']]);
  });

  it('answers nothing for a batch without versions and keeps its text', () => {
    const { doc } = createTextDocument('same');
    const versioned = VersionedTextDocument.adopt(doc);
    expect(versioned.applyVersions([])).toEqual([]);
    expect(versioned.currentText).toBe('same');
  });
});
