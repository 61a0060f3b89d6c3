/**
 * Issue 12, items 1 and 9: a lock, an unlock or a role change reaches every open editor at once as
 * a permissions frame; changes the gateway refuses are taken out of the client's document and
 * offered back (never lost, never poisoning later edits); stored edits are acknowledged with a
 * position an HTTP `?after=` read honours; cursors and selections are independent, carry the
 * connection id and are not echoed to their sender; errors name the file they answer.
 */
import type { ClientDocument, CollabClient } from '@resoft/collab-client';
import type { ServerFrame } from '@resoft/contracts';
import { encodeSyncFrame } from '@resoft/contracts';
import * as Automerge from '@automerge/automerge/next';
import { collabFixture, connectClient, until, type CollabFixture, startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;
let fixture: CollabFixture;
const clients: CollabClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  fixture = await collabFixture(server.baseUrl, { editors: 2 });
}, 60_000);
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});
afterAll(() => server.stop());

async function connectAs(session: { accessToken: string }): Promise<CollabClient> {
  const client = await connectClient(server.baseUrl, session);
  clients.push(client);
  return client;
}

async function openAs(session: { accessToken: string }, fileId: string): Promise<{ client: CollabClient; doc: ClientDocument }> {
  const client = await connectAs(session);
  const doc = await client.open(fixture.projectId, fileId);
  await doc.ready;
  return { client, doc };
}

async function newFile(path: string, content: string): Promise<string> {
  return (await fixture.api.post(`/api/projects/${fixture.projectId}/files`, { path, content }, fixture.owner.accessToken)).body.id;
}

const filePath = (fileId: string) => `/api/projects/${fixture.projectId}/files/${fileId}`;

describe('live permissions and refused edits', () => {
  it('turns the other editor read-only at once on lock, offers its refused text back, and lets its edits flow again after unlock', async () => {
    const fileId = await newFile('lock-while-typing.txt', 'base\n');
    const holder = await openAs(fixture.editors[0]!, fileId);
    const typist = await openAs(fixture.editors[1]!, fileId);
    typist.doc.insert(typist.doc.text.length, 'before lock\n');
    // Stored, not only synced: a lock that overtook the store would refuse it (see late-lock.int.spec.ts).
    await until(() => holder.doc.text.includes('before lock') && typist.doc.synced && typist.doc.storedPosition > 0);

    const locked = typist.client.next('collaboration:permissions', (f) => f.fileId === fileId && !f.canEdit);
    await fixture.api.post(`${filePath(fileId)}/lock`, {}, fixture.editors[0]!.accessToken);
    const permissions = await locked;
    expect(permissions).toMatchObject({ canEdit: false, lockedBy: fixture.editors[0]!.userId, role: 'editor', reason: 'locked' });
    expect(typist.doc.canEdit).toBe(false);

    // Typed against the lock: refused once (no notice per keystroke), taken out, offered back.
    const refusals: string[] = [];
    typist.doc.on('refused', (r) => refusals.push(r.code));
    typist.doc.insert(0, 'REFUSED ');
    typist.doc.insert(0, 'AGAIN ');
    await until(() => typist.doc.unsaved !== null && !typist.doc.rollingBack);
    expect(refusals).toEqual(['file_locked']);
    expect(typist.doc.unsaved!.text).toBe('AGAIN REFUSED base\nbefore lock\n');
    expect(typist.doc.text).toBe('base\nbefore lock\n');
    holder.doc.insert(holder.doc.text.length, 'holder\n');
    await until(() => typist.doc.text === 'base\nbefore lock\nholder\n' && typist.doc.synced);

    const unlocked = typist.client.next('collaboration:permissions', (f) => f.fileId === fileId && f.canEdit);
    await fixture.api.post(`${filePath(fileId)}/unlock`, {}, fixture.editors[0]!.accessToken);
    expect(await unlocked).toMatchObject({ canEdit: true, lockedBy: null, reason: 'unlocked' });
    const storedBeforeUnlockEdit = typist.doc.storedPosition;
    typist.doc.insert(typist.doc.text.length, 'after unlock\n');
    await until(() => holder.doc.text.endsWith('after unlock\n') && typist.doc.synced && typist.doc.storedPosition > storedBeforeUnlockEdit);

    // The refused text, re-applied, merges with what happened since.
    // Synced means the gateway took the change; the stored ack (and its position) can come after it.
    const storedBeforeReapply = typist.doc.storedPosition;
    typist.doc.reapplyUnsaved();
    expect(typist.doc.unsaved).toBeNull();
    await until(() => holder.doc.text === 'AGAIN REFUSED base\nbefore lock\nholder\nafter unlock\n' && typist.doc.synced && typist.doc.storedPosition > storedBeforeReapply);
    const stored = (await fixture.api.get(`${filePath(fileId)}?after=${typist.doc.storedPosition}`, fixture.owner.accessToken)).body.text;
    expect(stored).toBe('AGAIN REFUSED base\nbefore lock\nholder\nafter unlock\n');
  });

  it('tells a member demoted to viewer at once, and keeps what they type afterwards aside', async () => {
    const fileId = await newFile('demotion.txt', 'text\n');
    const demoted = await openAs(fixture.editors[1]!, fileId);
    const changed = demoted.client.next('collaboration:permissions', (f) => f.fileId === fileId && f.role === 'viewer');
    await fixture.api.request('PATCH', `/api/projects/${fixture.projectId}/members/${fixture.editors[1]!.userId}`, { body: { role: 'viewer' }, token: fixture.owner.accessToken });
    expect(await changed).toMatchObject({ canEdit: false, role: 'viewer', reason: 'role_changed' });
    demoted.doc.insert(0, 'as viewer ');
    await until(() => demoted.doc.unsaved !== null && !demoted.doc.rollingBack);
    expect(demoted.doc.unsaved).toMatchObject({ code: 'read_only', text: 'as viewer text\n' });
    expect(demoted.doc.text).toBe('text\n');
    demoted.doc.discardUnsaved();
    expect(demoted.doc.unsaved).toBeNull();
    await fixture.api.request('PATCH', `/api/projects/${fixture.projectId}/members/${fixture.editors[1]!.userId}`, { body: { role: 'editor' }, token: fixture.owner.accessToken });
  });

  it('acknowledges stored edits with a position that an HTTP read with ?after= honours', async () => {
    const fileId = await newFile('stored-ack.txt', 'one\n');
    const { client, doc } = await openAs(fixture.editors[0]!, fileId);
    const ack = client.next('collaboration:stored', (f) => f.fileId === fileId);
    doc.insert(doc.text.length, 'two\n');
    const stored = await ack;
    expect(stored.position).toBeGreaterThan(0);
    expect(stored.changes.length).toBeGreaterThan(0);
    expect(stored.changes).toEqual(expect.arrayContaining([expect.stringMatching(/^[0-9a-f]{64}$/)]));
    const read = await fixture.api.get(`${filePath(fileId)}?after=${stored.position}`, fixture.editors[0]!.accessToken);
    expect(read.body.text).toBe('one\ntwo\n');
  });
});

describe('cursors, presence entries and errors', () => {
  it('keeps caret and selection independent, names the connection, and does not echo a cursor to its sender', async () => {
    const fileId = await newFile('cursor-independence.txt', 'abcdefghij');
    const a = await openAs(fixture.editors[0]!, fileId);
    const b = await openAs(fixture.editors[1]!, fileId);
    const seenByA: ServerFrame[] = [];
    a.client.on('collaboration:cursor_update', (f) => seenByA.push(f));
    // A selection (2..5) with the caret at 5; then a bare cursor_move to 2: the selection stays.
    a.doc.setCursor(5, { anchor: 2, head: 5 });
    const cursorOfA = () => b.doc.cursors().find((c) => c.userId === fixture.editors[0]!.userId);
    await until(() => cursorOfA()?.index === 5 && cursorOfA()?.selections[0]?.from === 2);
    expect(cursorOfA()?.connectionId).toBe(a.client.welcome!.connectionId);
    a.client.sendRaw(JSON.stringify({ type: 'collaboration:cursor_move', fileId, cursor: cursorOfA()!.ranges[0]!.anchor }));
    await until(() => cursorOfA()?.index === 2);
    expect(cursorOfA()?.selections).toEqual([{ from: 2, to: 5 }]);
    // And a selection frame leaves the caret where it is.
    a.client.sendRaw(JSON.stringify({ type: 'collaboration:selection', fileId, ranges: [] }));
    await until(() => cursorOfA()?.selections.length === 0);
    expect(cursorOfA()?.index).toBe(2);
    b.doc.setCursor(1);
    await until(() => a.doc.cursors().some((c) => c.index === 1));
    // Through the client: collapsing a selection clears it.
    a.doc.setCursor(6, { anchor: 4, head: 6 });
    await until(() => cursorOfA()?.selections[0]?.from === 4);
    a.doc.setCursor(3);
    await until(() => cursorOfA()?.index === 3 && cursorOfA()?.selections.length === 0);
    expect(seenByA.flatMap((f) => (f.type === 'collaboration:cursor_update' ? f.cursors : [])).some((c) => c.connectionId === a.client.welcome!.connectionId)).toBe(false);
  });

  it('lists each connection of a user on their presence entry', async () => {
    const first = await connectAs(fixture.editors[0]!);
    const second = await connectAs(fixture.editors[0]!);
    await first.join(fixture.roomId);
    const joined = await second.join(fixture.roomId);
    const entry = joined.presence.find((p) => p.userId === fixture.editors[0]!.userId)!;
    expect(entry.connections.map((c) => c.connectionId).sort()).toEqual([first.welcome!.connectionId, second.welcome!.connectionId].sort());
  });

  it('answers a sync frame for a file that is not open with an error naming the file', async () => {
    const client = await connectAs(fixture.editors[0]!);
    const error = client.next('collaboration:error', (f) => f.code === 'not_open');
    const [, message] = Automerge.generateSyncMessage(Automerge.from({ text: 'x' }), Automerge.initSyncState());
    client.sendRaw(encodeSyncFrame(fixture.fileId, message!));
    expect(await error).toMatchObject({ fileId: fixture.fileId, code: 'not_open' });
    const refError = client.next('collaboration:error', (f) => f.ref === 'r-1');
    client.sendRaw(JSON.stringify({ type: 'collaboration:close', ref: 'r-1', fileId: fixture.fileId }));
    expect(await refError).toMatchObject({ ref: 'r-1', fileId: fixture.fileId, code: 'not_open' });
  });
});
