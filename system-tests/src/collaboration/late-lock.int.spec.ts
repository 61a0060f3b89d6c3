/**
 * A gateway that has not heard of a lock yet (a separate `resoft serve gateway` process that polls
 * the shared event store slowly) accepts changes the command side then refuses to store. The
 * gateway must not keep them: it reloads its copy from the store, so later edits never depend on a
 * change that is not stored; the author is told and gets the text back as unsaved edits, and a
 * peer that already has the changes and may edit stores them instead. Either way nothing is lost.
 */
import type { ClientDocument, CollabClient } from '@resoft/collab-client';
import { collabFixture, connectClient, until, type CollabFixture, startTestServer, type TestServer } from '@resoft/testkit';
import { serve, stopAll, type ServiceProcess } from '@resoft/testkit/processes';

/** How slowly the separate gateway hears about events: far longer than the test's typing after a lock. */
const SLOW_POLL_MS = 6000;

let server: TestServer;
let gateway: ServiceProcess;
let fixture: CollabFixture;
const clients: CollabClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  gateway = await serve('gateway', { ...server.env, PORT: '0', LOG_LEVEL: 'info', RESOFT_EVENT_POLL_MS: String(SLOW_POLL_MS) });
  fixture = await collabFixture(server.baseUrl, { editors: 2 });
}, 60_000);
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});
afterAll(async () => {
  await stopAll();
  await server.stop();
});

async function openOnSlowGateway(session: { accessToken: string }, fileId: string): Promise<ClientDocument> {
  const client = await connectClient(`http://127.0.0.1:${gateway.port}`, session);
  clients.push(client);
  const doc = await client.open(fixture.projectId, fileId);
  await doc.ready;
  return doc;
}

async function newFile(path: string, content: string): Promise<string> {
  return (await fixture.api.post(`/api/projects/${fixture.projectId}/files`, { path, content }, fixture.owner.accessToken)).body.id;
}

const base = (fileId: string) => `/api/projects/${fixture.projectId}/files/${fileId}`;

async function storedText(fileId: string, after: number): Promise<string> {
  return (await fixture.api.get(`${base(fileId)}?after=${after}`, fixture.owner.accessToken)).body.text;
}

describe('changes the gateway accepted but the command side refused', () => {
  it('are taken out of the gateway\'s copy and offered back to their author; later edits are stored whole', async () => {
    const fileId = await newFile('late-lock.txt', 'start\n');
    const typist = await openOnSlowGateway(fixture.editors[1]!, fileId);
    await fixture.api.post(`${base(fileId)}/lock`, {}, fixture.editors[0]!.accessToken);
    // The slow gateway has not heard of the lock: it takes the edit, the command side refuses it.
    expect(typist.canEdit).toBe(true);
    typist.insert(0, 'RACE ');
    await until(() => typist.unsaved !== null && !typist.rollingBack);
    expect(typist.unsaved!.text).toBe('RACE start\n');
    expect(typist.text).toBe('start\n');

    await until(() => !typist.canEdit);
    await fixture.api.post(`${base(fileId)}/unlock`, {}, fixture.editors[0]!.accessToken);
    await until(() => typist.canEdit);
    typist.insert(typist.text.length, 'after unlock\n');
    await until(() => typist.synced && typist.storedPosition > 0);
    // Whole: the stored history rebuilds exactly what the client shows (no change depends on a missing one).
    expect(await storedText(fileId, typist.storedPosition)).toBe('start\nafter unlock\n');
    expect(typist.text).toBe('start\nafter unlock\n');
  }, 60_000);

  it('are stored from a peer that already received them and may edit, so nothing is lost', async () => {
    const fileId = await newFile('late-lock-peer.txt', 'start\n');
    const holder = await openOnSlowGateway(fixture.editors[0]!, fileId);
    const typist = await openOnSlowGateway(fixture.editors[1]!, fileId);
    await fixture.api.post(`${base(fileId)}/lock`, {}, fixture.editors[0]!.accessToken);
    expect(typist.canEdit).toBe(true);
    typist.insert(0, 'RACE ');
    await until(() => holder.text === 'RACE start\n');
    // The holder's copy sends the refused change back after the reload; it is stored as the holder's.
    await until(() => holder.synced && typist.synced && !typist.rollingBack && typist.text === holder.text);
    // The refused change may already be stored as the holder's: wait for the store of this edit.
    const storedBefore = holder.storedPosition;
    holder.insert(holder.text.length, 'holder\n');
    await until(() => holder.synced && holder.storedPosition > storedBefore && typist.text === 'RACE start\nholder\n');
    expect(await storedText(fileId, holder.storedPosition)).toBe('RACE start\nholder\n');
  }, 60_000);
});
