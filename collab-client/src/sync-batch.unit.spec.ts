/**
 * Sync messages that wait together are applied as one: the client ends with the same text and the
 * same view of the gateway as when it applies them one by one, pays for one Automerge apply, tells
 * its listeners once and answers once. Messages that ask for something keep their place.
 */
import * as Automerge from '@automerge/automerge/next';
import { ClientDocument } from './client-document.js';
import { mergeSyncMessages } from './sync-batch.js';

type TextDoc = { text: string };

/** The gateway's update to in-sync peers (as the gateway encodes it): its heads, "I have up to my heads", the new changes. */
function updateMessage(doc: Automerge.Doc<TextDoc>, changes: Uint8Array[]): Uint8Array {
  const heads = Automerge.getHeads(doc);
  return Automerge.encodeSyncMessage({ heads, need: [], have: [{ lastSync: heads, bloom: new Uint8Array(0) }], changes });
}

/** A gateway copy with `count` edits by other members after `base`, and the update message of each. */
function editsAfter(base: Automerge.Doc<TextDoc>, count: number): { gateway: Automerge.Doc<TextDoc>; updates: Uint8Array[] } {
  let gateway = Automerge.clone(base);
  const updates: Uint8Array[] = [];
  for (let i = 0; i < count; i += 1) {
    const author = Automerge.change(Automerge.clone(gateway), (d) => Automerge.splice(d, ['text'], 0, 0, `#${i};`));
    const change = Automerge.getLastLocalChange(author)!;
    [gateway] = Automerge.applyChanges(gateway, [change]);
    updates.push(updateMessage(gateway, [change]));
  }
  return { gateway, updates };
}

/** A client document synced with `gateway` through a transport that records what it sends. */
async function syncedClient(gateway: Automerge.Doc<TextDoc>): Promise<{ client: ClientDocument; sent: Uint8Array[] }> {
  const sent: Uint8Array[] = [];
  const client = new ClientDocument('p', 'f', () => 'me', { sendSync: (_f, m) => (sent.push(m), true), sendCursor: () => undefined, reopen: () => undefined });
  let state = Automerge.initSyncState();
  let doc = gateway;
  client.resetSync();
  for (let round = 0; round < 10 && sent.length > 0; round += 1) {
    for (const message of sent.splice(0)) [doc, state] = Automerge.receiveSyncMessage(doc, state, message);
    const [next, reply] = Automerge.generateSyncMessage(doc, state);
    state = next;
    if (reply) client.receiveSync(reply);
  }
  await client.ready;
  sent.length = 0;
  return { client, sent };
}

describe('sync messages that wait together', () => {
  it('merges a run of updates into one message that leaves the replica where the run would', () => {
    const base = Automerge.from<TextDoc>({ text: 'start' });
    const { gateway, updates } = editsAfter(base, 5);
    const merged = mergeSyncMessages(updates);
    expect(merged).toHaveLength(1);
    expect(Automerge.decodeSyncMessage(merged[0]!).changes).toHaveLength(5);

    let oneByOne = Automerge.clone(base);
    let oneState = Automerge.initSyncState();
    for (const message of updates) [oneByOne, oneState] = Automerge.receiveSyncMessage(oneByOne, oneState, message);
    const [together, togetherState] = Automerge.receiveSyncMessage(Automerge.clone(base), Automerge.initSyncState(), merged[0]!);
    expect(together.text).toBe(gateway.text);
    expect(together.text).toBe(oneByOne.text);
    expect(togetherState.theirHeads).toEqual(oneState.theirHeads);
    // Its next message to the gateway is the same as after the run one by one.
    const [, fromTogether] = Automerge.generateSyncMessage(together, togetherState);
    const [, fromOneByOne] = Automerge.generateSyncMessage(oneByOne, oneState);
    expect(fromTogether && Automerge.decodeSyncMessage(fromTogether).heads).toEqual(fromOneByOne && Automerge.decodeSyncMessage(fromOneByOne).heads);
  });

  it('joins the messages as bytes into what Automerge would encode for the merged run', () => {
    const base = Automerge.from<TextDoc>({ text: 'start' });
    const { updates } = editsAfter(base, 3);
    const decoded = updates.map((m) => Automerge.decodeSyncMessage(m));
    const last = decoded[decoded.length - 1]!;
    const expected = Automerge.encodeSyncMessage({ heads: last.heads, need: [], have: last.have, changes: decoded.flatMap((m) => m.changes) });
    expect(mergeSyncMessages(updates)).toEqual([expected]);
  });

  it('keeps a message that asks for changes, or starts an exchange, in its place', () => {
    const base = Automerge.from<TextDoc>({ text: 'start' });
    const { gateway, updates } = editsAfter(base, 4);
    const asking = Automerge.encodeSyncMessage({ heads: Automerge.getHeads(gateway), need: [Automerge.getHeads(base)[0]!], have: [{ lastSync: [], bloom: new Uint8Array(0) }], changes: [] });
    const fresh = Automerge.encodeSyncMessage({ heads: Automerge.getHeads(gateway), need: [], have: [], changes: [] });
    const merged = mergeSyncMessages([updates[0]!, updates[1]!, asking, updates[2]!, fresh, updates[3]!]);
    expect(merged).toHaveLength(5);
    expect(Automerge.decodeSyncMessage(merged[0]!).changes).toHaveLength(2);
    expect(merged[1]).toBe(asking);
    expect(merged[2]).toBe(updates[2]);
    expect(merged[3]).toBe(fresh);
    expect(merged[4]).toBe(updates[3]);
  });

  it('applies the gateway messages of one turn once: one change event, one answer, the gateway text', async () => {
    const base = Automerge.from<TextDoc>({ text: 'start' });
    const { client, sent } = await syncedClient(base);
    const { gateway, updates } = editsAfter(base, 6);
    const texts: string[] = [];
    client.on('change', (text) => texts.push(text));
    for (const message of updates) client.queueSync(message);
    expect(texts).toEqual([]);
    await Promise.resolve();
    expect(texts).toEqual([gateway.text]);
    expect(client.text).toBe(gateway.text);
    expect(sent.length).toBeLessThanOrEqual(1);
  });

  it('applies queued messages before a local edit, so the edit lands in the text the user sees', () => {
    const base = Automerge.from<TextDoc>({ text: 'start' });
    return syncedClient(base).then(({ client }) => {
      const { gateway, updates } = editsAfter(base, 2);
      for (const message of updates) client.queueSync(message);
      client.insert(gateway.text.length, '!');
      expect(client.text).toBe(`${gateway.text}!`);
    });
  });
});
