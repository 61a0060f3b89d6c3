/**
 * A relaying server takes a live author's changes without applying them at once (issue 19): the
 * heads move at once, as Automerge would move them, and the content and every peer's sync state
 * see the changes once they are applied (before anything reads them). What it cannot place — a
 * change depending on one it lacks — it leaves to the ordinary apply.
 */
import * as Automerge from '@automerge/automerge';
import { LiveTextDocument, syncMessageChanges } from './live-text-document.js';
import { createTextDocument, type TextDoc } from './text-document.js';

function typed(doc: Automerge.Doc<TextDoc>, text: string, at = 0): { doc: Automerge.Doc<TextDoc>; change: Uint8Array } {
  const next = Automerge.change(doc, (d) => Automerge.splice(d, ['text'], at, 0, text));
  return { doc: next, change: Automerge.getLastLocalChange(next)! };
}

describe('LiveTextDocument.accept', () => {
  it('moves the heads as Automerge does and shows the text once applied, in one call', () => {
    const { doc: base } = createTextDocument('hello');
    const live = LiveTextDocument.fromDocument(base);
    const reference = LiveTextDocument.fromDocument(base);
    let alice = Automerge.clone(base);
    let bob = Automerge.clone(base);
    const changes: Uint8Array[] = [];
    for (let i = 0; i < 3; i += 1) {
      ({ doc: alice, change: changes[changes.length] } = typed(alice, `a${i}`));
    }
    // A concurrent branch: two heads afterwards.
    ({ doc: bob, change: changes[changes.length] } = typed(bob, 'B', 5));
    for (const change of changes) {
      expect(live.accept([change])).toEqual([change]);
      reference.apply([change]);
      expect([...live.heads()].sort()).toEqual([...reference.heads()].sort());
    }
    expect(live.deferredCount).toBe(4);
    expect(live.hasChanges(reference.heads())).toBe(true);
    // Already here: nothing new.
    expect(live.accept([changes[0]!])).toEqual([]);
    expect(live.text).toBe(reference.text);
    expect(live.deferredCount).toBe(0);
    expect([...live.heads()].sort()).toEqual([...reference.heads()].sort());
  });

  it('leaves a change whose dependency is missing to the ordinary apply', () => {
    const { doc: base } = createTextDocument('x');
    const live = LiveTextDocument.fromDocument(base);
    const first = typed(Automerge.clone(base), '1');
    const second = typed(first.doc, '2');
    expect(live.accept([second.change])).toBeNull();
    expect(live.deferredCount).toBe(0);
    expect(live.accept([first.change, second.change])).toHaveLength(2);
    expect(live.text).toBe('21x');
  });

  it('applies accepted changes before a peer is synced, so the peer gets them', () => {
    const { doc: base } = createTextDocument('start');
    const live = LiveTextDocument.fromDocument(base);
    const edit = typed(Automerge.clone(base), 'new ');
    live.accept([edit.change]);
    const peer = live.newPeer();
    let replica = Automerge.init<TextDoc>();
    let state = Automerge.initSyncState();
    for (let round = 0; round < 10; round += 1) {
      const message = live.generate(peer);
      if (!message) break;
      [replica, state] = Automerge.receiveSyncMessage(replica, state, message);
      const [next, reply] = Automerge.generateSyncMessage(replica, state);
      state = next;
      if (reply) live.receive(peer, reply);
    }
    expect(replica.text).toBe('new start');
  });
});

describe('what a live author sends', () => {
  it('leaves bytes that do not decode as a change to the ordinary apply, which refuses them', () => {
    const { doc: base } = createTextDocument('abc');
    const live = LiveTextDocument.fromDocument(base);
    const good = typed(Automerge.clone(base), 'x');
    const broken = Uint8Array.from(good.change);
    broken[broken.length - 1] = broken[broken.length - 1]! ^ 0xff;
    expect(live.accept([broken])).toBeNull();
    expect(live.accept([new Uint8Array([1, 2, 3])])).toBeNull();
    expect(live.deferredCount).toBe(0);
    expect(live.settle()).toEqual([]);
    expect(live.text).toBe('abc');
  });

  it('reads the changes a sync message carries', () => {
    const { doc: base } = createTextDocument('abc');
    const one = typed(Automerge.clone(base), 'x');
    const two = typed(one.doc, 'y');
    const heads = Automerge.getHeads(two.doc);
    const message = Automerge.encodeSyncMessage({ heads, need: [], have: [{ lastSync: Automerge.getHeads(base), bloom: new Uint8Array(0) }], changes: [one.change, two.change] });
    expect(syncMessageChanges(message)).toEqual([one.change, two.change]);
    expect(syncMessageChanges(new Uint8Array([7, 7]))).toBeNull();
  });
});
