/** The inbox (issue 12): mentions and finished checks and template runs land in the right users' inboxes, read state is stored, and new ones arrive live. */
import { ApiClient, type Session, startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;
let api: ApiClient;
let owner: Session;
let editor: Session;
let outsider: Session;
let projectId: string;
let roomId: string;

const inbox = (who: Session, position: number, query = '') => api.readWhenFresh(`/api/notifications${query}`, position, who.accessToken);

/** Collects the `notification` events of a live stream until `count` arrived (or the stream ends). */
async function liveNotifications(who: Session, count: number, start: () => Promise<unknown>): Promise<any[]> {
  const controller = new AbortController();
  const response = await fetch(`${server.baseUrl}/api/notifications/live?timeoutSeconds=60`, { headers: { authorization: `Bearer ${who.accessToken}`, accept: 'text/event-stream' }, signal: controller.signal });
  expect([response.status, response.headers.get('content-type')]).toEqual([200, expect.stringContaining('text/event-stream')]);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const received: any[] = [];
  let buffer = '';
  let started = false;
  try {
    while (received.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'ready' && !started) {
          started = true;
          await start();
        }
        if (event === 'notification' && data) received.push(JSON.parse(data));
      }
    }
  } finally {
    controller.abort();
  }
  return received;
}

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.baseUrl);
  [owner, editor, outsider] = await Promise.all([api.signUp('nora'), api.signUp('eli'), api.signUp('olga')]);
  projectId = (await api.post('/api/projects', { name: 'Inbox' }, owner.accessToken)).body.id;
  await api.post(`/api/projects/${projectId}/members`, { userId: editor.userId, role: 'editor' }, owner.accessToken);
  roomId = (await api.post('/api/collaboration/rooms', { projectId, name: 'General' }, owner.accessToken)).body.id;
  for (const who of [owner, editor]) await api.post(`/api/collaboration/rooms/${roomId}/join`, {}, who.accessToken);
});
afterAll(() => server.stop());

describe('the inbox', () => {
  it('tells a mentioned member, links to the message, and keeps it read once marked', async () => {
    const posted = await api.post('/api/collaboration/chat', { roomId, text: 'Could @eli review the parser?' }, owner.accessToken);
    expect(posted.status).toBe(201);
    const before = await inbox(editor, posted.body.position);
    const mention = before.body.items.find((n: any) => n.kind === 'mention');
    expect(mention).toMatchObject({ read: false, projectId, title: expect.stringContaining('nora mentioned you in Inbox'), link: `/projects/${projectId}?room=${roomId}&message=${posted.body.id}` });
    expect(before.body.unread).toBeGreaterThanOrEqual(1);
    // The author is not told about their own message.
    expect((await inbox(owner, posted.body.position)).body.items.filter((n: any) => n.kind === 'mention')).toEqual([]);

    const marked = await api.post('/api/notifications/read', { ids: [mention.id] }, editor.accessToken);
    expect(marked.body).toEqual({ changed: true, position: expect.any(Number) });
    const after = await inbox(editor, marked.body.position);
    expect(after.body.items.find((n: any) => n.id === mention.id).read).toBe(true);
    expect(after.body.unread).toBe(before.body.unread - 1);
    // Someone else cannot mark it for them: their own inbox is the only one they write.
    const foreign = await api.post('/api/notifications/read', { ids: [mention.id] }, owner.accessToken);
    expect(foreign.status).toBe(200);
  });

  it('marks everything up to a position read with one call, and answers 400 when nothing is named', async () => {
    const posted = await api.post('/api/collaboration/chat', { roomId, text: '@eli one more thing' }, owner.accessToken);
    const unread = await inbox(editor, posted.body.position, '?unread=true');
    expect(unread.body.items.length).toBeGreaterThan(0);
    expect(unread.body.items.every((n: any) => !n.read)).toBe(true);
    const all = await api.post('/api/notifications/read', { upToPosition: unread.body.latestPosition }, editor.accessToken);
    const after = await inbox(editor, all.body.position);
    expect([after.body.unread, after.body.items.every((n: any) => n.read)]).toEqual([0, true]);
    const nothing = await api.post('/api/notifications/read', {}, editor.accessToken);
    expect([nothing.status, nothing.body.error.code]).toEqual([400, 'nothing_to_mark']);
  });

  it('tells every member of the project when one of its checks finished, linking to the check', async () => {
    const check = await api.post('/api/code-quality/check?wait=true', { projectId, code: 'var unused = 1;\n', language: 'javascript' }, editor.accessToken);
    expect(check.status).toBeLessThan(300);
    const checkId = check.body.id ?? check.body.checkId;
    for (const who of [owner, editor]) {
      const found = await eventually(async () => (await inbox(who, check.body.position ?? 0)).body.items.find((n: any) => n.kind === 'check' && n.link === `/checker?check=${checkId}`));
      expect(found.title).toMatch(/^Check of .* in Inbox (finished: grade [A-F], score \d+|failed: )/);
    }
    expect((await api.get('/api/notifications', outsider.accessToken)).body.items).toEqual([]);
  });

  it('tells the member who applied a template when the run finished', async () => {
    const run = await api.post('/api/v1/templates/apply', { projectId, templateId: 'microservice' }, editor.accessToken);
    expect(run.status).toBe(201);
    const found = await eventually(async () => (await inbox(editor, run.body.position)).body.items.find((n: any) => n.kind === 'template_run'));
    expect(found).toMatchObject({ link: `/projects/${projectId}`, title: expect.stringMatching(/^Template “microservice” (applied to Inbox|failed)/) });
    expect((await inbox(owner, run.body.position)).body.items.filter((n: any) => n.kind === 'template_run')).toEqual([]);
  });

  it('delivers a new mention live over the notification stream, with the unread count', async () => {
    const received = await liveNotifications(editor, 1, () => api.post('/api/collaboration/chat', { roomId, text: 'Live ping for @eli' }, owner.accessToken));
    expect(received[0]).toMatchObject({ notification: { kind: 'mention', read: false, title: expect.stringContaining('Live ping') }, unread: expect.any(Number) });
    expect(received[0].unread).toBeGreaterThanOrEqual(1);
  });

  it('tells the lock holder when a member asks them to unlock a file, and refuses to ask about an unlocked file', async () => {
    const file = await api.post(`/api/projects/${projectId}/files`, { path: 'locked.py', content: 'x = 1\n' }, owner.accessToken);
    const base = `/api/projects/${projectId}/files/${file.body.id}`;
    const notLocked = await api.post(`${base}/unlock-requests`, {}, editor.accessToken);
    expect([notLocked.status, notLocked.body.error.code]).toEqual([409, 'file_not_locked']);
    await api.post(`${base}/lock`, {}, owner.accessToken);
    const own = await api.post(`${base}/unlock-requests`, {}, owner.accessToken);
    expect([own.status, own.body.error.code]).toEqual([409, 'locked_by_you']);
    const asked = await api.post(`${base}/unlock-requests`, {}, editor.accessToken);
    expect([asked.status, asked.body.lockedBy]).toEqual([201, owner.userId]);
    const inboxNow = await inbox(owner, asked.body.position);
    expect(inboxNow.body.items.find((n: any) => n.kind === 'unlock_request')).toMatchObject({ read: false, title: 'eli asks you to unlock locked.py in Inbox', link: `/projects/${projectId}/files/${file.body.id}` });
  });

  it('hides notifications about a project the user was removed from', async () => {
    const posted = await api.post('/api/collaboration/chat', { roomId, text: 'bye @eli' }, owner.accessToken);
    await inbox(editor, posted.body.position);
    const removed = await api.request('DELETE', `/api/projects/${projectId}/members/${editor.userId}`, { token: owner.accessToken });
    expect(removed.status).toBe(200);
    const after = await inbox(editor, removed.body.position);
    expect([after.body.items.filter((n: any) => n.projectId === projectId), after.body.unread]).toEqual([[], 0]);
    await api.post(`/api/projects/${projectId}/members`, { userId: editor.userId, role: 'editor' }, owner.accessToken);
  });
});

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('not there in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
