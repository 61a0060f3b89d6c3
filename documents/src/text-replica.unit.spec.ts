import * as Automerge from '@automerge/automerge/next';
import { applySplices } from './file-text-versions.js';
import { TextReplica } from './text-replica.js';

type Doc = { text: string };

/** A small seeded generator, so a failure names a reproducible case. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const ALPHABET = ['a', 'b', ' ', '\n', 'é', '中', '😀', '👩‍💻', '\t'];
const pick = (next: () => number, length: number): string => Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');

/** Replays `changes` (in a causal order) into a replica and into Automerge, checking the text and the edits after each. */
function replayAndCompare(changes: readonly Uint8Array[]): TextReplica {
  const replica = new TextReplica();
  let doc = Automerge.init<Doc>();
  for (const change of changes) {
    const before = replica.currentText;
    const splices = replica.apply(change);
    expect(splices).not.toBeNull();
    [doc] = Automerge.applyChanges(doc, [change]);
    expect(replica.currentText).toBe(doc.text);
    expect(applySplices(before, splices!)).toBe(doc.text);
  }
  return replica;
}

describe('TextReplica', () => {
  it('replays concurrent edits of several writers as Automerge orders them (same place inserts, deletes of one element, text beyond the BMP)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = random(seed);
      const base = Automerge.from<Doc>({ text: pick(next, 20) });
      const writers = ['aa', 'bb', 'cc'].map((actor) => Automerge.clone(base, { actor: actor + '0'.repeat(30) }));
      for (let round = 0; round < 60; round += 1) {
        const w = Math.floor(next() * writers.length);
        writers[w] = Automerge.change(writers[w]!, (d) => {
          const length = d.text.length;
          const at = Math.floor(next() * (length + 1));
          // Split surrogate pairs are not positions an editor sends; keep to code point boundaries.
          const safe = at > 0 && at < length && /[\uDC00-\uDFFF]/.test(d.text[at]!) ? at - 1 : at;
          if (next() < 0.4 && length > 0) Automerge.splice(d, ['text'], Math.min(safe, length - 1), 1);
          else Automerge.splice(d, ['text'], safe, 0, pick(next, 1 + Math.floor(next() * 4)));
        });
        // Now and then two writers sync: later edits build on both.
        if (next() < 0.2) {
          const other = (w + 1) % writers.length;
          writers[w] = Automerge.merge(writers[w]!, writers[other]!);
        }
      }
      const merged = writers.reduce((a, b) => Automerge.merge(a, b));
      replayAndCompare(Automerge.getAllChanges(merged));
    }
  });

  it('orders two writers inserting at the same place, and counts a deleted element once when both delete it', () => {
    const base = Automerge.from<Doc>({ text: 'ab' }, { actor: '01' });
    const ana = Automerge.change(Automerge.clone(base, { actor: 'aa' }), (d) => {
      Automerge.splice(d, ['text'], 1, 1, 'XY😀');
    });
    const ben = Automerge.change(Automerge.clone(base, { actor: 'bb' }), (d) => {
      Automerge.splice(d, ['text'], 1, 1, 'Z');
    });
    // One writer's changes, each on the one before: a linear history.
    expect(replayAndCompare(Automerge.getAllChanges(ana)).linear).toBe(true);
    const replica = replayAndCompare(Automerge.getAllChanges(Automerge.merge(ana, ben)));
    expect(replica.currentText).toBe(Automerge.merge(ben, ana).text);
    // Two changes on one base: not a linear history (the rebuild checks such files against Automerge).
    expect(replica.linear).toBe(false);
  });

  it('answers null for a change it does not understand (another field), a duplicate, or one whose dependency it has not seen', () => {
    const base = Automerge.from<Doc & { n?: number }>({ text: 'ab' });
    const [initial] = Automerge.getAllChanges(base);
    const other = Automerge.change(Automerge.clone(base), (d) => {
      d.n = 1;
    });
    const typed = Automerge.change(Automerge.clone(base), (d) => {
      Automerge.splice(d, ['text'], 2, 0, 'c');
    });
    const replica = new TextReplica();
    expect(replica.apply(initial!)).toEqual([[0, 0, 'ab']]);
    expect(new TextReplica().apply(Automerge.getLastLocalChange(typed)!)).toBeNull();
    expect(replica.apply(initial!)).toBeNull();
    const again = new TextReplica();
    again.apply(initial!);
    expect(again.apply(Automerge.getLastLocalChange(other)!)).toBeNull();
  });
});
