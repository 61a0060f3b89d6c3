/**
 * The client document's own changes are "pending" until the gateway acknowledges them as stored:
 * the saved state waits for the ack, and pending changes taken to a new page (a reload) reach the
 * gateway from there. The gateway is simulated at the transport boundary by an Automerge copy that
 * answers sync messages as the real one does and acknowledges what it stores when told to.
 */
import * as Automerge from '@automerge/automerge/next';
import { ClientDocument, type DocumentTransport, type PendingUpdate } from './client-document.js';

type TextDoc = { text: string };

/** The gateway's copy of one file and its sync state with one client. */
class SimulatedGateway {
  doc: Automerge.Doc<TextDoc>;
  private syncState = Automerge.initSyncState();
  /** Hashes received and not acknowledged yet. */
  private unstored: string[] = [];
  online = true;
  client: ClientDocument | null = null;

  constructor(text: string) {
    this.doc = Automerge.from<TextDoc>({ text });
  }

  transport(): DocumentTransport {
    return {
      sendSync: (_fileId, message) => {
        if (!this.online) return false;
        queueMicrotask(() => this.receive(message));
        return true;
      },
      sendCursor: () => undefined,
      reopen: () => undefined,
    };
  }

  /** A new connection: sync starts afresh (as after `opened`). */
  connect(client: ClientDocument): void {
    this.client = client;
    this.syncState = Automerge.initSyncState();
    client.opened({ type: 'collaboration:opened', fileId: 'f', projectId: 'p', path: 'a.txt', lockedBy: null, canEdit: true });
    this.send();
  }

  /** Stores what arrived since the last call and acknowledges it, as a flush does (the ack is lost when the connection is down). */
  store(position: number): void {
    const changes = this.unstored.splice(0);
    if (changes.length > 0 && this.online) this.client?.stored(position, changes);
  }

  private receive(message: Uint8Array): void {
    const before = Automerge.getHeads(this.doc);
    [this.doc, this.syncState] = Automerge.receiveSyncMessage(this.doc, this.syncState, message);
    const fresh = Automerge.getChanges(Automerge.view(this.doc, before), this.doc);
    this.unstored.push(...fresh.map((c) => Automerge.decodeChange(c).hash));
    this.send();
  }

  private send(): void {
    const [state, message] = Automerge.generateSyncMessage(this.doc, this.syncState);
    this.syncState = state;
    if (message && this.online) queueMicrotask(() => this.client?.receiveSync(message));
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function openOn(gateway: SimulatedGateway): Promise<ClientDocument> {
  const doc = new ClientDocument('p', 'f', () => 'me', gateway.transport());
  gateway.connect(doc);
  await doc.ready;
  await settle();
  return doc;
}

describe('own changes are saved only once stored', () => {
  it('stays unsynced after the gateway has the change and turns synced with the stored ack', async () => {
    const gateway = new SimulatedGateway('start\n');
    const doc = await openOn(gateway);
    expect(doc.synced).toBe(true);
    doc.insert(0, 'A');
    await settle();
    expect(Automerge.toJS(gateway.doc).text).toBe('Astart\n');
    expect(doc.synced).toBe(false);
    gateway.store(7);
    expect(doc.synced).toBe(true);
    expect(doc.storedPosition).toBe(7);
    expect(doc.pendingChanges).toEqual([]);
  });

  it('announces pending changes as they are made and as they are stored', async () => {
    const gateway = new SimulatedGateway('');
    const doc = await openOn(gateway);
    const updates: PendingUpdate[] = [];
    doc.on('pending', (u) => updates.push(u));
    doc.insert(0, 'x');
    doc.delete(0, 0); // no change: nothing pending
    await settle();
    gateway.store(3);
    expect(updates).toHaveLength(2);
    expect(updates[0]!.added).toHaveLength(1);
    expect(updates[1]!.removed).toEqual([updates[0]!.added[0]!.hash]);
  });
});

describe('edits typed offline survive a reload', () => {
  it('restores never-sent changes on a new page and sends them, where they are stored', async () => {
    const gateway = new SimulatedGateway('line\n');
    const first = await openOn(gateway);
    gateway.online = false;
    first.insert(5, 'offline 1\n');
    first.insert(15, 'offline 2\n');
    expect(first.synced).toBe(false);
    const kept = first.pendingChanges; // what the page keeps in the browser's storage
    expect(kept).toHaveLength(2);

    // The page reloads: a new document, the gateway reachable again.
    gateway.online = true;
    const second = await openOn(gateway);
    expect(second.text).toBe('line\n');
    second.restorePending(kept);
    expect(second.text).toBe('line\noffline 1\noffline 2\n');
    await settle();
    expect(Automerge.toJS(gateway.doc).text).toBe('line\noffline 1\noffline 2\n');
    expect(second.synced).toBe(false);
    gateway.store(9);
    expect(second.synced).toBe(true);
  });

  it('counts changes the gateway already holds as done, without sending them again', async () => {
    const gateway = new SimulatedGateway('');
    const first = await openOn(gateway);
    first.insert(0, 'sent');
    await settle();
    const kept = first.pendingChanges; // the page went away before the ack
    gateway.store(4);
    const second = await openOn(gateway);
    const updates: PendingUpdate[] = [];
    second.on('pending', (u) => updates.push(u));
    second.restorePending(kept);
    expect(updates).toEqual([{ added: [], removed: [Automerge.decodeChange(kept[0]!).hash] }]);
    expect(second.synced).toBe(true);
    expect(second.text).toBe('sent');
  });

  it('confirms changes whose ack was lost with the old connection once the gateway\'s copy holds them', async () => {
    const gateway = new SimulatedGateway('');
    const doc = await openOn(gateway);
    doc.insert(0, 'x');
    await settle();
    gateway.online = false; // the connection drops before the ack
    gateway.store(2);
    gateway.online = true;
    doc.stored(0, []); // (an ack for nothing of this document)
    expect(doc.synced).toBe(false);
    gateway.connect(doc); // reconnect: the gateway reopens the file
    await settle();
    await settle();
    expect(doc.synced).toBe(true);
  });
});
