/**
 * The gateway's copy of a file with real Automerge peers (each behaves as the typed client does:
 * receive a sync message, then generate one and send it when there is one), over in-order links
 * delivered in random interleavings. Peers converge, and a change reaches in-sync peers as the same
 * bytes (encoded once).
 */
import * as Automerge from '@automerge/automerge/next';
import { createTextDocument, LiveTextDocument, summarizeSyncMessage } from '@resoft/documents';
import type { Connection } from '../connection.js';
import { decodeSyncFrame } from '../protocol/protocol.js';
import { OpenDocument } from './open-document.js';

type TextDoc = { text: string };

interface SimPeer {
  connection: Connection;
  doc: Automerge.Doc<TextDoc>;
  sync: Automerge.SyncState;
  /** Server → peer, in order. */
  inbox: Uint8Array[];
  /** Peer → server, in order. */
  outbox: Uint8Array[];
  received: Uint8Array[];
}

function setup(peers: number, text = 'start\n') {
  const { doc } = createTextDocument(text);
  const stored: Uint8Array[][] = [];
  const document = new OpenDocument('00000000-0000-4000-8000-000000000001', 'project', 'a.txt', null, LiveTextDocument.fromDocument(doc), {
    store: async (_userId, changes) => {
      stored.push(changes);
      return { position: stored.length };
    },
    share: () => undefined,
  }, 5, () => undefined, () => undefined);
  const sims: SimPeer[] = [];
  for (let i = 0; i < peers; i += 1) {
    const sim = { doc: Automerge.init<TextDoc>(), sync: Automerge.initSyncState(), inbox: [], outbox: [], received: [] } as unknown as SimPeer;
    sim.connection = {
      id: `c${i}`, user: { id: `u${i}`, username: `user${i}` }, color: 'red',
      sendBinary: (bytes: Uint8Array) => {
        sim.inbox.push(decodeSyncFrame(bytes)!.payload);
        sim.received.push(bytes);
      },
      send: () => undefined,
      sendEncoded: () => undefined,
    } as unknown as Connection;
    sims.push(sim);
    document.addPeer(sim.connection, 'editor');
  }
  return { document, sims, stored };
}

/** What the typed client does after a local change or a received message. */
function flush(sim: SimPeer): void {
  const [sync, message] = Automerge.generateSyncMessage(sim.doc, sim.sync);
  sim.sync = sync;
  if (message) sim.outbox.push(message);
}

/** Delivers one message on a random non-empty link; false when every link is empty. */
function step(document: OpenDocument, sims: SimPeer[]): boolean {
  const links = sims.flatMap((sim) => [...(sim.inbox.length ? [{ sim, toPeer: true }] : []), ...(sim.outbox.length ? [{ sim, toPeer: false }] : [])]);
  if (links.length === 0) return false;
  const { sim, toPeer } = links[Math.floor(Math.random() * links.length)]!;
  if (toPeer) {
    [sim.doc, sim.sync] = Automerge.receiveSyncMessage(sim.doc, sim.sync, sim.inbox.shift()!);
    flush(sim);
  } else {
    document.receive(sim.connection, sim.outbox.shift()!);
  }
  return true;
}

function settle(document: OpenDocument, sims: SimPeer[]): void {
  for (let i = 0; i < 100_000 && step(document, sims); i += 1);
}

describe('an open document with several peers', () => {
  it('brings every joining peer to the server\'s text', () => {
    const { document, sims } = setup(3);
    settle(document, sims);
    for (const sim of sims) expect(sim.doc.text).toBe('start\n');
  });

  it('converges when peers type at once, in any interleaving, and stores every change', async () => {
    for (let trial = 0; trial < 3; trial += 1) {
      const { document, sims, stored } = setup(4);
      settle(document, sims);
      for (let round = 0; round < 20; round += 1) {
        for (const [i, sim] of sims.entries()) {
          if (Math.random() < 0.6) {
            sim.doc = Automerge.change(sim.doc, (d) => Automerge.splice(d, ['text'], Math.floor(Math.random() * (sim.doc.text.length + 1)), 0, `<${i}.${round}>`));
            flush(sim);
          }
        }
        for (let k = 0; k < 5; k += 1) step(document, sims);
      }
      settle(document, sims);
      for (const sim of sims) expect(sim.doc.text).toBe(document.text);
      for (const sim of sims) expect(Automerge.hasOurChanges(sim.doc, sim.sync)).toBe(true);
      await document.flush();
      const storedCount = stored.flat().length;
      const made = sims.reduce((n, sim) => n + Automerge.getAllChanges(sim.doc).length, 0) / sims.length - 1;
      expect(storedCount).toBe(made);
    }
  });

  it('sends one change to every in-sync peer as the same bytes, and their acknowledgements need no answer', () => {
    const { document, sims } = setup(5);
    settle(document, sims);
    for (const sim of sims) sim.received.length = 0;
    const [author, ...others] = sims as [SimPeer, ...SimPeer[]];
    author.doc = Automerge.change(author.doc, (d) => Automerge.splice(d, ['text'], 0, 0, 'hello '));
    flush(author);
    document.receive(author.connection, author.outbox.shift()!);
    const updates = others.map((o) => o.received[0]);
    for (const update of updates) expect(update).toBe(updates[0]);
    expect(summarizeSyncMessage(others[0]!.inbox[0]!)!.changes).toBe(1);
    // Each peer applies the update and answers with its heads only: the gateway sends nothing back.
    for (const other of others) {
      [other.doc, other.sync] = Automerge.receiveSyncMessage(other.doc, other.sync, other.inbox.shift()!);
      flush(other);
      other.received.length = 0;
      document.receive(other.connection, other.outbox.shift()!);
      expect(other.received).toHaveLength(0);
      expect(other.doc.text).toBe('hello start\n');
    }
    settle(document, sims);
    for (const sim of sims) expect(sim.doc.text).toBe('hello start\n');
  });
});
