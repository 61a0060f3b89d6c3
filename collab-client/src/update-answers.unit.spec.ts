/**
 * A replica in sync answers the gateway's updates (its one message for every peer in sync) late:
 * with its next own change, or once after a short while, never once per update. Every other sync
 * message is answered at once, and a replica holding changes the gateway lacks sends them at once.
 * The gateway is simulated at the transport boundary: an Automerge copy that answers the protocol
 * as the real one does, and builds updates as `LiveTextDocument.updateMessage` does.
 */
import * as Automerge from '@automerge/automerge/next';
import { ClientDocument, type DocumentTransport } from './client-document.js';
import { readUpdate, replyHeads } from './update-message.js';

type TextDoc = { text: string };

class SimulatedGateway {
  doc: Automerge.Doc<TextDoc>;
  private syncState = Automerge.initSyncState();
  /** Every sync message the client sent, in order. */
  readonly received: Uint8Array[] = [];
  online = true;
  /** While joining, the protocol answers every message; once in sync, the gateway only reads them. */
  joining = true;
  private client: ClientDocument | null = null;
  private waiter: (() => void) | null = null;

  constructor(text: string) {
    this.doc = Automerge.from<TextDoc>({ text });
  }

  transport(): DocumentTransport {
    return {
      sendSync: (_fileId, message) => {
        if (!this.online) return false;
        this.received.push(message);
        this.waiter?.();
        queueMicrotask(() => this.receive(message));
        return true;
      },
      sendCursor: () => undefined,
      reopen: () => undefined,
    };
  }

  connect(client: ClientDocument): void {
    this.client = client;
    this.syncState = Automerge.initSyncState();
    client.opened({ type: 'collaboration:opened', fileId: 'f', projectId: 'p', path: 'a.txt', lockedBy: null, canEdit: true });
    this.sendProtocol(client);
  }

  /** Another peer typed: the gateway applies its change and sends the client the shared update. */
  otherPeerTypes(client: ClientDocument, text: string): void {
    const other = Automerge.change(Automerge.clone(this.doc), (d) => Automerge.splice(d, ['text'], 0, 0, text));
    const change = Automerge.getLastLocalChange(other)!;
    [this.doc] = Automerge.applyChanges(this.doc, [change]);
    const heads = Automerge.getHeads(this.doc);
    client.queueSync(Automerge.encodeSyncMessage({ heads, need: [], have: [{ lastSync: heads, bloom: new Uint8Array(0) }], changes: [change] }));
  }

  /** The gateway's reply to a client message that carried changes while in sync (as `LiveTextDocument.replyMessage`): its heads, and that it has the client's. */
  replyTo(client: ClientDocument, message: Uint8Array): void {
    const peerHeads = Automerge.decodeSyncMessage(message).heads;
    client.receiveSync(Automerge.encodeSyncMessage({ heads: Automerge.getHeads(this.doc), need: [], have: [{ lastSync: [...peerHeads].sort(), bloom: new Uint8Array(0) }], changes: [] }));
  }

  /** Resolves at the client's next message (or at once if one arrived since `count`). */
  nextMessage(count: number): Promise<void> {
    if (this.received.length > count) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = () => ((this.waiter = null), resolve())));
  }

  private receive(message: Uint8Array): void {
    [this.doc, this.syncState] = Automerge.receiveSyncMessage(this.doc, this.syncState, message);
    if (this.joining && this.client) this.sendProtocol(this.client);
  }

  private sendProtocol(client: ClientDocument): void {
    const [state, message] = Automerge.generateSyncMessage(this.doc, this.syncState);
    this.syncState = state;
    if (message) queueMicrotask(() => client.receiveSync(message));
  }

  /** Runs the protocol until neither side has anything to say (as while joining or catching up). */
  async settleProtocol(client: ClientDocument): Promise<void> {
    this.joining = true;
    this.sendProtocol(client);
    for (let round = 0; round < 10; round += 1) await settle();
    this.joining = false;
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function openOn(gateway: SimulatedGateway): Promise<ClientDocument> {
  const doc = new ClientDocument('p', 'f', () => 'me', gateway.transport());
  gateway.connect(doc);
  await doc.ready;
  await settle();
  await gateway.settleProtocol(doc);
  return doc;
}

describe('which sync messages are updates', () => {
  const isUpdate = (message: Uint8Array): boolean => readUpdate(message) !== null;
  const doc = Automerge.change(Automerge.from<TextDoc>({ text: 'a' }), (d) => Automerge.splice(d, ['text'], 1, 0, 'b'));
  const heads = Automerge.getHeads(doc);
  const change = Automerge.getLastLocalChange(doc)!;

  it('is an update: changes, nothing asked, everything had up to its own heads', () => {
    const update = Automerge.encodeSyncMessage({ heads, need: [], have: [{ lastSync: heads, bloom: new Uint8Array(0) }], changes: [change] });
    expect(readUpdate(update)?.heads).toEqual(heads);
    expect(readUpdate(update)?.changes).toEqual([change]);
  });

  it('is not an update: a protocol message, an answer without changes, a need, other heads, or not a sync message', () => {
    const [, first] = Automerge.generateSyncMessage(doc, Automerge.initSyncState());
    expect(isUpdate(first!)).toBe(false);
    expect(isUpdate(Automerge.encodeSyncMessage({ heads, need: [], have: [{ lastSync: heads, bloom: new Uint8Array(0) }], changes: [] }))).toBe(false);
    expect(isUpdate(Automerge.encodeSyncMessage({ heads, need: heads, have: [{ lastSync: heads, bloom: new Uint8Array(0) }], changes: [change] }))).toBe(false);
    const older = Automerge.getHeads(Automerge.from<TextDoc>({ text: 'x' }));
    expect(isUpdate(Automerge.encodeSyncMessage({ heads, need: [], have: [{ lastSync: older, bloom: new Uint8Array(0) }], changes: [change] }))).toBe(false);
    expect(isUpdate(new Uint8Array([0x42, 5, 1, 2]))).toBe(false);
    expect(isUpdate(new Uint8Array(0))).toBe(false);
  });
});

describe('a replica in sync answers updates late', () => {
  it('shows the update at once and sends no answer in the same turn', async () => {
    const gateway = new SimulatedGateway('start\n');
    const doc = await openOn(gateway);
    const sent = gateway.received.length;
    gateway.otherPeerTypes(doc, 'one ');
    gateway.otherPeerTypes(doc, 'two ');
    await settle();
    expect(doc.text).toBe('two one start\n');
    expect(gateway.received.length).toBe(sent);
  });

  it('answers once after a while when it types nothing, and the gateway then knows its heads', async () => {
    const gateway = new SimulatedGateway('start\n');
    const doc = await openOn(gateway);
    const sent = gateway.received.length;
    gateway.otherPeerTypes(doc, 'one ');
    await settle();
    gateway.otherPeerTypes(doc, 'two ');
    await gateway.nextMessage(sent);
    await settle();
    expect(gateway.received.length).toBe(sent + 1);
    expect(Automerge.decodeSyncMessage(gateway.received[sent]!).heads).toEqual(Automerge.getHeads(gateway.doc));
  });

  it('lets its next own change carry the answer: no separate answer follows, and the change reaches the gateway', async () => {
    const gateway = new SimulatedGateway('start\n');
    const doc = await openOn(gateway);
    const sent = gateway.received.length;
    gateway.otherPeerTypes(doc, 'one ');
    await settle();
    doc.insert(0, 'mine ');
    expect(gateway.received.length).toBe(sent + 1);
    await settle();
    expect(gateway.doc.text).toBe('mine one start\n');
    // Still nothing more once the answer's delay has passed (a later update is answered on its own).
    gateway.otherPeerTypes(doc, 'three ');
    await gateway.nextMessage(sent + 1);
    await settle();
    expect(gateway.received.length).toBe(sent + 2);
    expect(gateway.doc.text).toBe('three mine one start\n');
    expect(doc.text).toBe(gateway.doc.text);
  });

  it('sends at once the changes the gateway lacks when an update arrives (typed while offline)', async () => {
    const gateway = new SimulatedGateway('start\n');
    const doc = await openOn(gateway);
    gateway.online = false;
    doc.insert(0, 'offline ');
    gateway.online = true;
    const sent = gateway.received.length;
    gateway.otherPeerTypes(doc, 'one ');
    await settle();
    expect(gateway.received.length).toBe(sent + 1);
    await settle();
    await gateway.settleProtocol(doc);
    expect(gateway.doc.text).toBe(doc.text);
    expect(doc.text).toContain('offline ');
    expect(doc.text).toContain('one ');
  });
});

describe('the sync state hears of updates and replies when it is next needed', () => {
  it('tells replies from other messages', () => {
    const doc = Automerge.change(Automerge.from<TextDoc>({ text: 'a' }), (d) => Automerge.splice(d, ['text'], 1, 0, 'b'));
    const heads = Automerge.getHeads(doc);
    const change = Automerge.getLastLocalChange(doc)!;
    const older = Automerge.getHeads(Automerge.from<TextDoc>({ text: 'x' }));
    expect(replyHeads(Automerge.encodeSyncMessage({ heads, need: [], have: [{ lastSync: older, bloom: new Uint8Array(0) }], changes: [] }))).toEqual(heads);
    expect(replyHeads(Automerge.encodeSyncMessage({ heads, need: [], have: [{ lastSync: [], bloom: new Uint8Array(0) }], changes: [] }))).toEqual(heads);
    expect(replyHeads(Automerge.encodeSyncMessage({ heads, need: [], have: [{ lastSync: heads, bloom: new Uint8Array(0) }], changes: [change] }))).toBeNull();
    expect(replyHeads(Automerge.encodeSyncMessage({ heads, need: heads, have: [{ lastSync: heads, bloom: new Uint8Array(0) }], changes: [] }))).toBeNull();
    const [, first] = Automerge.generateSyncMessage(doc, Automerge.initSyncState());
    expect(replyHeads(first!)).toBeNull();
    expect(replyHeads(new Uint8Array(0))).toBeNull();
  });

  it('sends, with the next own change, only that change and the gateway\'s latest heads as what the two share', async () => {
    const gateway = new SimulatedGateway('start\n');
    const doc = await openOn(gateway);
    const sent = gateway.received.length;
    for (const word of ['one ', 'two ', 'three ']) {
      gateway.otherPeerTypes(doc, word);
      await settle();
    }
    expect(doc.text).toBe('three two one start\n');
    const shared = Automerge.getHeads(gateway.doc);
    doc.insert(0, 'mine ');
    expect(gateway.received.length).toBe(sent + 1);
    const message = Automerge.decodeSyncMessage(gateway.received[sent]!);
    // A sync state that missed the updates would send them back, or describe everything since the join.
    expect(message.changes).toHaveLength(1);
    expect(message.need).toEqual([]);
    expect(message.have.map((h) => [...h.lastSync].sort())).toEqual([[...shared].sort()]);
    await settle();
    expect(gateway.doc.text).toBe('mine three two one start\n');
  });

  it('takes the gateway\'s reply to an own change without answering it, and counts the change synced once stored', async () => {
    const gateway = new SimulatedGateway('start\n');
    const doc = await openOn(gateway);
    const sent = gateway.received.length;
    const pending = new Promise<string>((resolve) => doc.on('pending', (p) => p.added[0] && resolve(p.added[0].hash)));
    doc.insert(0, 'mine ');
    const hash = await pending;
    await settle();
    gateway.replyTo(doc, gateway.received[sent]!);
    await settle();
    expect(gateway.received.length).toBe(sent + 1);
    doc.stored(7, [hash]);
    expect(doc.synced).toBe(true);
    // Then the next update and the next own change go on as before.
    gateway.otherPeerTypes(doc, 'one ');
    await settle();
    doc.insert(0, 'again ');
    await settle();
    expect(Automerge.decodeSyncMessage(gateway.received[sent + 1]!).changes).toHaveLength(1);
    expect(gateway.doc.text).toBe('again one mine start\n');
    expect(doc.text).toBe(gateway.doc.text);
  });

  it('answers at once a reply naming heads it lacks', async () => {
    const gateway = new SimulatedGateway('start\n');
    const doc = await openOn(gateway);
    const sent = gateway.received.length;
    doc.insert(0, 'mine ');
    await settle();
    // The gateway has a change the client never got: the reply names it, and the client asks for it.
    [gateway.doc] = Automerge.applyChanges(gateway.doc, [Automerge.getLastLocalChange(Automerge.change(Automerge.clone(gateway.doc), (d) => Automerge.splice(d, ['text'], 0, 0, 'lost ')))!]);
    gateway.replyTo(doc, gateway.received[sent]!);
    await settle();
    expect(gateway.received.length).toBe(sent + 2);
    expect(Automerge.decodeSyncMessage(gateway.received[sent + 1]!).need).toHaveLength(1);
  });
});
