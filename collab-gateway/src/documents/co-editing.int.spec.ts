/**
 * Real Automerge clients editing one file through the gateway: they converge to the same text,
 * the event store holds the same document, viewers are refused, and offline edits merge.
 */
import { SqliteEventStore } from '@resoft/adapter-sqlite';
import { loadDocumentAt, readFileOrigin, textOf } from '@resoft/documents';
import type { ClientDocument, CollabClient } from '@resoft/collab-client';
import { collabFixture, connectClient, until, type CollabFixture, startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;
let fixture: CollabFixture;
const clients: CollabClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  fixture = await collabFixture(server.baseUrl, { editors: 10 });
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});
afterAll(() => server.stop());

async function openAs(session: { accessToken: string }, fileId = fixture.fileId, options: { minReconnectDelayMs?: number } = {}): Promise<ClientDocument> {
  const client = await connectClient(server.baseUrl, session, options);
  clients.push(client);
  const doc = await client.open(fixture.projectId, fileId);
  await doc.ready;
  return doc;
}

async function newFile(path: string, content: string): Promise<string> {
  const created = await fixture.api.post(`/api/projects/${fixture.projectId}/files`, { path, content }, fixture.owner.accessToken);
  return created.body.id;
}

/** Each client makes `edits` random inserts and deletes, interleaved with the others'. */
async function editConcurrently(docs: readonly ClientDocument[], edits: number): Promise<void> {
  for (let round = 0; round < edits; round += 1) {
    for (const [i, doc] of docs.entries()) {
      const length = doc.text.length;
      if (round % 4 === 3 && length > 4) doc.delete(Math.floor(Math.random() * (length - 2)), 2);
      else doc.insert(Math.floor(Math.random() * (length + 1)), `<${i}.${round}>`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
  }
}

async function storedText(fileId: string): Promise<string> {
  const store = new SqliteEventStore({ file: server.config.eventStoreFile });
  try {
    const origin = await readFileOrigin(store, fixture.projectId, fileId);
    return textOf((await loadDocumentAt(store, origin!)).doc);
  } finally {
    await store.close();
  }
}

describe('co-editing one file', () => {
  it.each([2, 10])('%i clients editing at once converge to one text, and the event store rebuilds it', async (count) => {
    const fileId = await newFile(`converge-${count}.txt`, 'start\n');
    const docs = await Promise.all(fixture.editors.slice(0, count).map((e) => openAs(e, fileId)));
    await editConcurrently(docs, 13);
    await until(() => docs.every((d) => d.synced && d.text === docs[0]!.text));
    const text = docs[0]!.text;
    // The last round only inserts, and nothing deletes after it: each client's last insert is in the text.
    for (let i = 0; i < count; i += 1) expect(text).toContain(`<${i}.12>`);
    // The stored history (once the gateway has flushed) rebuilds the same text.
    let stored = '';
    for (let attempt = 0; attempt < 100 && stored !== text; attempt += 1) {
      stored = await storedText(fileId);
      if (stored !== text) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(stored).toBe(text);
    const served = await fixture.api.get(`/api/projects/${fixture.projectId}/files/${fileId}?after=${await headPosition()}`, fixture.owner.accessToken);
    expect(served.body.text).toBe(text);
  }, 120_000);

  it('merges edits two clients made while offline, losing nothing', async () => {
    const fileId = await newFile('offline.txt', 'shared line\n');
    const [a, b] = await Promise.all([openAs(fixture.editors[0]!, fileId, { minReconnectDelayMs: 400 }), openAs(fixture.editors[1]!, fileId, { minReconnectDelayMs: 400 })]);
    const [clientA, clientB] = clients.slice(-2) as [CollabClient, CollabClient];
    clientA.dropConnection();
    clientB.dropConnection();
    await until(() => clientA.state !== 'open' && clientB.state !== 'open');
    a.insert(0, 'from A offline\n');
    b.insert(b.text.length, 'from B offline\n');
    expect(a.text).not.toBe(b.text);
    await until(() => clientA.state === 'open' && clientB.state === 'open');
    await until(() => a.text === b.text && a.synced && b.synced);
    expect(a.text).toBe('from A offline\nshared line\nfrom B offline\n');
  });

  it('refuses a viewer\'s edits and tells the viewer; the others never see them', async () => {
    const fileId = await newFile('read-only.txt', 'stable\n');
    const editor = await openAs(fixture.editors[0]!, fileId);
    const viewer = await openAs(fixture.viewer, fileId);
    expect(viewer.canEdit).toBe(false);
    const refused = new Promise<{ code: string }>((resolve) => viewer.on('refused', resolve));
    viewer.insert(0, 'vandalism ');
    expect((await refused).code).toBe('read_only');
    editor.insert(editor.text.length, 'edited\n');
    await until(() => viewer.text.includes('edited'));
    expect(editor.text).toBe('stable\nedited\n');
  });

  it('keeps versions of live edits with their authors; a restore reaches open editors as a new change', async () => {
    const fileId = await newFile('history.txt', 'v0\n');
    const a = await openAs(fixture.editors[0]!, fileId);
    const b = await openAs(fixture.editors[1]!, fileId);
    a.insert(a.text.length, 'by a\n');
    await until(() => b.text === 'v0\nby a\n' && a.synced);
    await new Promise((resolve) => setTimeout(resolve, 50)); // two flush windows apart: two versions
    b.insert(b.text.length, 'by b\n');
    await until(() => a.text === 'v0\nby a\nby b\n' && b.synced);
    const base = `/api/projects/${fixture.projectId}/files/${fileId}`;
    let versions: any[] = [];
    while (versions.length < 3) {
      versions = (await fixture.api.get(`${base}/versions`, fixture.owner.accessToken)).body.items;
      if (versions.length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(versions.map((v) => [v.version, v.authorId])).toEqual([[0, fixture.owner.userId], [1, fixture.editors[0]!.userId], [2, fixture.editors[1]!.userId]]);
    expect((await fixture.api.get(`${base}?version=1`, fixture.owner.accessToken)).body.text).toBe('v0\nby a\n');

    const restored = await fixture.api.post(`${base}/restore`, { version: 1 }, fixture.owner.accessToken);
    expect(restored.status).toBe(200);
    await until(() => a.text === 'v0\nby a\n' && b.text === 'v0\nby a\n');
    a.insert(0, 'after restore\n');
    await until(() => b.text === 'after restore\nv0\nby a\n');
  });

  it('refuses edits to a locked file from anyone but the member who locked it', async () => {
    const fileId = await newFile('locked.txt', 'locked\n');
    const holder = await openAs(fixture.editors[0]!, fileId);
    const other = await openAs(fixture.editors[1]!, fileId);
    await fixture.api.post(`/api/projects/${fixture.projectId}/files/${fileId}/lock`, {}, fixture.editors[0]!.accessToken);
    const refused = new Promise<{ code: string }>((resolve) => other.on('refused', resolve));
    // The lock reaches the gateway through the event log; keep trying until it is in force.
    const started = Date.now();
    let outcome: { code: string } | null = null;
    refused.then((r) => (outcome = r), () => undefined);
    while (!outcome && Date.now() - started < 5000) {
      other.insert(0, '!');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(outcome).toEqual(expect.objectContaining({ code: 'file_locked' }));
    holder.insert(holder.text.length, 'holder\n');
    await until(() => other.text.endsWith('holder\n'));
  });

  it('shares cursors anchored to the text, with the user\'s name and colour', async () => {
    const fileId = await newFile('cursors.txt', 'abcdef');
    const a = await openAs(fixture.editors[0]!, fileId);
    const b = await openAs(fixture.editors[1]!, fileId);
    a.setCursor(3);
    await until(() => b.cursors().some((c) => c.index === 3));
    const seen = b.cursors().find((c) => c.userId === fixture.editors[0]!.userId)!;
    expect(seen).toMatchObject({ username: fixture.editors[0]!.username, color: expect.stringMatching(/^hsl\(/), index: 3 });
    // An insert before the cursor moves it: it is anchored to the character, not the offset.
    b.insert(0, 'XY');
    await until(() => a.text === 'XYabcdef');
    expect(b.cursors().find((c) => c.userId === fixture.editors[0]!.userId)?.index).toBe(5);
  });

  it('shares a selection, which the other client sees with its range and which moves with an insert before it', async () => {
    const fileId = await newFile('selection.txt', 'hello world');
    const a = await openAs(fixture.editors[2]!, fileId);
    const b = await openAs(fixture.editors[3]!, fileId);
    const ofA = () => b.cursors().find((c) => c.userId === fixture.editors[2]!.userId);
    // Selected backwards ("world", head before anchor): the range still reads from < to.
    a.setCursor(6, { anchor: 11, head: 6 });
    await until(() => (ofA()?.selections.length ?? 0) > 0);
    expect(ofA()).toMatchObject({ index: 6, selections: [{ from: 6, to: 11 }] });
    expect(b.text.slice(6, 11)).toBe('world');
    b.insert(0, '>> ');
    await until(() => a.text === '>> hello world');
    expect(ofA()?.selections).toEqual([{ from: 9, to: 14 }]);
    // A caret without a selection clears it.
    a.setCursor(2);
    await until(() => ofA()?.index === 2);
    expect(ofA()?.selections).toEqual([]);
  });
});

async function headPosition(): Promise<number> {
  const store = new SqliteEventStore({ file: server.config.eventStoreFile });
  try {
    return await store.headPosition();
  } finally {
    await store.close();
  }
}
