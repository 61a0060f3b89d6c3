/**
 * The answers kept until their read models change (your project list, a chat history page): a kept
 * answer is never older than what a fresh read would give, whether the change comes through this
 * process's projections or another connection to the same SQLite file, and who may read is still
 * checked on every request, so a removed member is refused at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '@resoft/adapter-sqlite';
import { JsonText } from '@resoft/http-kit';
import { ApiClient, type Session, startTestServer, successfulBody, type TestServer } from '@resoft/testkit';
import { AnswersPerChange } from './answers-per-change.js';

describe('answers kept until their read models change, over HTTP', () => {
  let server: TestServer;
  let api: ApiClient;
  let owner: Session;
  let ann: Session;
  let projectId = '';
  let roomId = '';

  const ok = successfulBody;
  const history = (session: Session, after: number) => api.readWhenFresh(`/api/collaboration/chat/${roomId}/history?limit=5`, after, session.accessToken);

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.baseUrl);
    owner = await api.signUp('owner');
    ann = await api.signUp('ann');
    projectId = (await ok(api.post('/api/projects', { name: 'Kept' }, owner.accessToken))).id;
    await ok(api.post(`/api/projects/${projectId}/members`, { userId: ann.userId, role: 'editor' }, owner.accessToken));
    roomId = (await ok(api.post('/api/collaboration/rooms', { projectId, name: 'General' }, owner.accessToken))).id;
    for (const session of [owner, ann]) await ok(api.post(`/api/collaboration/rooms/${roomId}/join`, {}, session.accessToken));
  });
  afterAll(() => server.stop());

  it('shows each new post on the next read after it, to every member, though the page was read before', async () => {
    for (const [n, author] of [owner, ann, owner].entries()) {
      const posted = await ok(api.post('/api/collaboration/chat', { roomId, text: `message ${n}` }, author.accessToken));
      for (const reader of [owner, ann, ann]) {
        const page = await history(reader, posted.position);
        expect(page.body.messages.map((m: { text: string }) => m.text)).toEqual(Array.from({ length: n + 1 }, (_, i) => `message ${i}`));
      }
    }
  });

  it("shows a project's new name in the list read after the change, and refuses a removed member's next read at once", async () => {
    expect((await api.get('/api/projects', ann.accessToken)).body.items.map((p: { name: string }) => p.name)).toEqual(['Kept']);
    const renamed = await ok(api.request('PATCH', `/api/projects/${projectId}`, { token: owner.accessToken, body: { name: 'Renamed' } }));
    expect((await api.readWhenFresh('/api/projects', renamed.position, ann.accessToken)).body.items.map((p: { name: string }) => p.name)).toEqual(['Renamed']);

    expect((await history(ann, renamed.position)).status).toBe(200);
    const removed = await ok(api.request('DELETE', `/api/projects/${projectId}/members/${ann.userId}`, { token: owner.accessToken }));
    const refused = await history(ann, removed.position);
    expect([refused.status, refused.body.error.code]).toEqual([404, 'room_not_found']);
    expect((await api.readWhenFresh('/api/projects', removed.position, ann.accessToken)).body.items).toEqual([]);
    // The owner still reads the kept page.
    expect((await history(owner, removed.position)).body.messages).toHaveLength(3);
  });
});

describe('AnswersPerChange over a SQLite read store', () => {
  const NOTES = { name: 'notes', indexes: [] };
  let dir: string;
  let mine: SqliteReadStore;
  let other: SqliteReadStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'resoft-answers-'));
    mine = new SqliteReadStore({ file: join(dir, 'read.db') });
    other = new SqliteReadStore({ file: join(dir, 'read.db') });
    await mine.ensureCollection(NOTES);
  });
  afterEach(async () => {
    await mine.close();
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const listing = (store: SqliteReadStore, answers: AnswersPerChange) =>
    answers.answer('all', async () => new JsonText(JSON.stringify(await store.find('notes', { orderBy: [{ field: 'id', direction: 'asc' }] }))));

  it('reads again after a write by another connection (another process) to the same file', async () => {
    const answers = new AnswersPerChange(['notes'], (collections) => mine.changeMark(collections));
    await mine.write({ ops: [{ kind: 'put', collection: 'notes', doc: { id: 'a' } }] });
    expect((await listing(mine, answers)).text).toBe('[{"id":"a"}]');
    await other.write({ ops: [{ kind: 'put', collection: 'notes', doc: { id: 'b' } }] });
    expect((await listing(mine, answers)).text).toBe('[{"id":"a"},{"id":"b"}]');
    await other.write({ ops: [{ kind: 'delete', collection: 'notes', id: 'a' }] });
    expect((await listing(mine, answers)).text).toBe('[{"id":"b"}]');
  });

  it('reads once while nothing changes, and reads every time without a change mark', async () => {
    let reads = 0;
    const counted = (answers: AnswersPerChange) => answers.answer('all', async () => ((reads += 1), new JsonText('[]')));
    const kept = new AnswersPerChange(['notes'], (collections) => mine.changeMark(collections));
    for (let n = 0; n < 3; n += 1) await counted(kept);
    expect(reads).toBe(1);
    const unkept = new AnswersPerChange(['notes'], undefined);
    for (let n = 0; n < 3; n += 1) await counted(unkept);
    expect(reads).toBe(4);
  });
});
