/**
 * The collaboration session controller against the real all-in-one server (in-process, port 0)
 * and its gateway: real API clients, real gateway clients over `ws`. Only the browser's DOM is
 * replaced: a minimal controller host, an in-memory Storage, the page's view callbacks recorded.
 */
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '@resoft/testkit';
import { ApiClient } from '../api/api-client.js';
import { SessionStore } from '../api/session-store.js';
import { CollabClient } from '../collab/collab-connection.js';
import { loadPending } from '../collab/pending-store.js';
import { CollabSessionController, type SessionView } from './collab-session-controller.js';
import { FileVersionsController } from './file-versions-controller.js';
import { MembersController } from './members-controller.js';
import { TestHost, memoryStorage } from './test-host.fixture.js';

type SocketConstructor = NonNullable<ConstructorParameters<typeof CollabClient>[0]['WebSocket']>;

/** Generous: the machine running the suite is shared and loaded. */
const WAIT_MS = 20_000;

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let server: TestServer;
/** Every page host a test opened: disconnected after it, which closes its session. */
const hosts: TestHost[] = [];

beforeAll(async () => {
  // The presence reporter listens to the window and the document: plain event targets in Node.
  Object.assign(globalThis, { window: new EventTarget(), document: Object.assign(new EventTarget(), { visibilityState: 'visible' }) });
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

async function signUp(username: string): Promise<{ api: ApiClient; id: string }> {
  const api = new ApiClient(new SessionStore(memoryStorage()), server.baseUrl);
  await api.register(`${username}@example.com`, username, 'correct horse battery');
  const session = await api.signIn(`${username}@example.com`, 'correct horse battery');
  return { api, id: session.user.id };
}

/** What a project page holds for one user: its three controllers on one host, with the view's calls recorded. */
async function openSession(user: { api: ApiClient; id: string }, projectId: string, fileId: string | null, isOnline = () => true) {
  const host = new TestHost();
  hosts.push(host);
  const toasts: string[] = [];
  const shown: string[] = [];
  const clients: CollabClient[] = [];
  const notify = (kind: string, text: string) => void toasts.push(`${kind}: ${text}`);
  const members = new MembersController(host, { api: () => user.api, projectId: () => projectId, notify });
  const files = new FileVersionsController(host, { api: () => user.api, projectId: () => projectId, notify, navigate: () => undefined });
  const view: SessionView = { notify, navigate: () => undefined, showText: (text) => (shown.push(text), true), revealCaret: () => undefined, fileShown: async () => undefined, chatShown: () => undefined };
  const storage = memoryStorage();
  const session = new CollabSessionController(host, {
    api: () => user.api,
    projectId: () => projectId,
    fileId: () => fileId,
    selfId: () => user.id,
    members,
    files,
    view,
    storage,
    isOnline,
    nextFrame: (run) => void setTimeout(run, 0),
    connect: (api) => {
      const client: CollabClient = new CollabClient({ url: `${server.baseUrl.replace('http', 'ws')}/ws`, token: () => api.accessToken(), WebSocket: WebSocket as unknown as SocketConstructor, minReconnectDelayMs: 50, maxReconnectDelayMs: 200 });
      clients.push(client);
      return client;
    },
  });
  await Promise.all([members.load(), files.load()]);
  await session.connect();
  await session.openFile();
  return { host, session, members, files, toasts, shown, storage, client: () => clients[0]! };
}

describe('the collaboration session of a project page', () => {
  afterEach(() => {
    for (const host of hosts.splice(0)) host.disconnect();
  });

  it('opens the file for an editor, sends their edits, and shows them to another member live', async () => {
    const ann = await signUp('ann');
    const ben = await signUp('ben');
    const projectId = (await ann.api.post<{ id: string }>('/api/projects', { name: 'Shared' })).id;
    await ann.api.post(`/api/projects/${projectId}/members`, { username: 'ben', role: 'editor' });
    const fileId = (await ann.api.post<{ id: string }>(`/api/projects/${projectId}/files`, { path: 'src/app.py', content: 'print("hi")\n' })).id;

    const a = await openSession(ann, projectId, fileId);
    const b = await openSession(ben, projectId, fileId);
    expect(a.session.docText).toBe('print("hi")\n');
    expect(a.session.canEdit).toBe(true);
    expect(a.session.accessNotice).toBeNull();
    expect(a.session.roomId).not.toBeNull();
    await until(() => a.session.sync === 'saved', 'the saved status');

    const updates = b.host.updates;
    a.session.edit([{ index: 0, deleteCount: 0, insert: '# shared\n' }]);
    // The edit waits in the browser's storage until the gateway stores it.
    expect(loadPending(a.storage, ann.id, fileId).length).toBeGreaterThan(0);
    await until(() => b.session.docText === '# shared\nprint("hi")\n', "ben's copy of the text");
    expect(b.shown).toContain('# shared\nprint("hi")\n');
    expect(b.host.updates).toBeGreaterThan(updates);
    await until(() => a.session.sync === 'saved' && loadPending(a.storage, ann.id, fileId).length === 0, 'the edit stored');
    expect(a.toasts.filter((t) => t.startsWith('error'))).toEqual([]);
  });

  it('shows a viewer the file read-only and says why', async () => {
    const cy = await signUp('cyd');
    const dot = await signUp('dot');
    const projectId = (await cy.api.post<{ id: string }>('/api/projects', { name: 'Readers' })).id;
    await cy.api.post(`/api/projects/${projectId}/members`, { username: 'dot', role: 'viewer' });
    const fileId = (await cy.api.post<{ id: string }>(`/api/projects/${projectId}/files`, { path: 'notes.md', content: 'alpha\n' })).id;
    // The owner opens first: the project's room exists before the viewer (who may not create one) comes.
    await openSession(cy, projectId, null);
    const d = await openSession(dot, projectId, fileId);
    expect(d.session.docText).toBe('alpha\n');
    expect(d.session.canEdit).toBe(false);
    expect(d.session.accessNotice).toEqual({ tone: 'read-only', text: 'You are a viewer in this project: the file is read-only.' });
  });

  it('turns the file read-only at once when another member locks it, and editable again on unlock', async () => {
    const eve = await signUp('eve');
    const fay = await signUp('fay');
    const projectId = (await eve.api.post<{ id: string }>('/api/projects', { name: 'Locks' })).id;
    await eve.api.post(`/api/projects/${projectId}/members`, { username: 'fay', role: 'editor' });
    const fileId = (await eve.api.post<{ id: string }>(`/api/projects/${projectId}/files`, { path: 'a.ts', content: 'let a = 1;\n' })).id;
    const e = await openSession(eve, projectId, fileId);
    const f = await openSession(fay, projectId, fileId);
    expect(f.session.canEdit).toBe(true);

    await e.files.setLock(fileId, true);
    await until(() => !f.session.canEdit, "the lock reaching fay's editor");
    expect(f.session.lockedBy).toBe(eve.id);
    expect(f.session.accessNotice?.text).toBe('🔒 eve locked this file: it is read-only for you until it is unlocked.');
    await until(() => f.files.byId(fileId)?.lockedBy === eve.id, "fay's file list showing the lock");

    await e.files.setLock(fileId, false);
    await until(() => f.session.canEdit, 'the unlock');
    expect(f.session.accessNotice).toEqual({ tone: 'editable', text: 'The file was unlocked: you can edit it again.' });
  });

  it('shows chat messages of the room to every member, and tells who joined', async () => {
    const gus = await signUp('gus');
    const hal = await signUp('hal');
    const projectId = (await gus.api.post<{ id: string }>('/api/projects', { name: 'Talk' })).id;
    await gus.api.post(`/api/projects/${projectId}/members`, { username: 'hal', role: 'editor' });
    const g = await openSession(gus, projectId, null);
    const h = await openSession(hal, projectId, null);
    await until(() => g.toasts.includes('info: hal joined the room'), 'the join told');
    await h.session.chat.send('hello @gus');
    await until(() => g.session.chat.messages.some((m) => m.text === 'hello @gus'), 'the message at gus');
    const message = g.session.chat.messages.find((m) => m.text === 'hello @gus')!;
    expect(message.authorId).toBe(hal.id);
    expect(message.mentions).toContain(gus.id);
    await until(() => h.session.chat.messages.length === 1, 'the message in the sender’s own list, once');
  });

  it('says offline while the browser is offline, reconnects by itself after a cut, and closes everything when the page goes', async () => {
    const ida = await signUp('ida');
    const projectId = (await ida.api.post<{ id: string }>('/api/projects', { name: 'Flaky' })).id;
    const fileId = (await ida.api.post<{ id: string }>(`/api/projects/${projectId}/files`, { path: 'x.js', content: 'x\n' })).id;
    let online = true;
    const i = await openSession(ida, projectId, fileId, () => online);
    await until(() => i.session.sync === 'saved', 'the saved status');
    online = false;
    await until(() => i.session.sync === 'offline', 'the offline status');
    online = true;
    await until(() => i.session.sync === 'saved', 'the saved status again');

    i.client().dropConnection();
    await i.client().connected();
    i.session.edit([{ index: 1, deleteCount: 0, insert: 'y' }]);
    let stored = '';
    const readStored = async () => (stored = (await ida.api.get<{ text: string }>(`/api/projects/${projectId}/files/${fileId}`)).text);
    const deadline = Date.now() + WAIT_MS;
    while ((await readStored()) !== 'xy\n' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stored).toBe('xy\n');
    await until(() => i.session.sync === 'saved', 'the edit after the reconnect acknowledged');

    i.host.disconnect();
    expect(i.client().state).not.toBe('open');
    expect(i.session.docText).toBeNull();
    expect(i.session.roomId).toBeNull();
  });
});
