import * as Automerge from '@automerge/automerge/next';
import { churnByDecoding } from './change-churn.js';
import { churnFromChangeColumns } from './change-columns.js';

/** A small seeded generator, so a failure names a reproducible case. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const ALPHABET = ['a', 'b', ' ', '\n', 'é', 'ß', '中', '😀', '👩‍💻', '\t', '"', '\\'];

function text(next: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i += 1) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return s;
}

describe('churnFromChangeColumns', () => {
  it('counts what Automerge decoding counts, for random edits by several people (small and pasted, inserts and deletes in one change, other values)', () => {
    const next = random(7);
    let checked = 0;
    let ana = Automerge.from<{ text: string; n?: number; tags?: string[] }>({ text: text(next, 40) });
    let ben = Automerge.clone(ana);
    for (let round = 0; round < 120; round += 1) {
      const writer = next() < 0.5 ? 'ana' : 'ben';
      const doc = writer === 'ana' ? ana : ben;
      const changed = Automerge.change(doc, (d) => {
        for (let edits = 1 + Math.floor(next() * 4); edits > 0; edits -= 1) {
          const length = d.text.length;
          const at = Math.floor(next() * (length + 1));
          const kind = next();
          // Pastes of a few thousand characters: long runs in every column.
          if (kind < 0.1) Automerge.splice(d, ['text'], at, 0, text(next, 1500 + Math.floor(next() * 3000)));
          else if (kind < 0.5) Automerge.splice(d, ['text'], at, 0, text(next, 1 + Math.floor(next() * 12)));
          else if (kind < 0.8) Automerge.splice(d, ['text'], at, Math.min(length - at, Math.floor(next() * 30)));
          else if (kind < 0.9) Automerge.splice(d, ['text'], at, Math.min(length - at, 5), text(next, 3));
          else if (kind < 0.95) d.n = Math.floor(next() * 1000);
          else (d.tags ??= []).push(text(next, 4));
        }
      });
      const [change] = Automerge.getChanges(doc, changed);
      // An edit that changed nothing (a delete of nothing) makes no change.
      if (!change) continue;
      if (writer === 'ana') [ana, ben] = [changed, Automerge.applyChanges(ben, [change!])[0]];
      else [ben, ana] = [changed, Automerge.applyChanges(ana, [change!])[0]];
      const read = churnFromChangeColumns(change!);
      expect(read).not.toBeNull();
      expect(read).toEqual(churnByDecoding(change!));
      checked += 1;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('answers null for bytes that are not a change, so the caller decodes with Automerge', () => {
    expect(churnFromChangeColumns(new Uint8Array([1, 2, 3]))).toBeNull();
    const [change] = Automerge.getAllChanges(Automerge.from({ text: 'hello' }));
    expect(churnFromChangeColumns(change!.subarray(0, change!.length - 5))).toBeNull();
    // A chunk type other than an uncompressed change (a compressed change is 2).
    const compressed = new Uint8Array(change!);
    compressed[8] = 2;
    expect(churnFromChangeColumns(compressed)).toBeNull();
  });
});
