/**
 * Two gateway instances sharing rooms through Redis: the all-in-one's gateway and a separate
 * `resoft serve gateway` process on the same stores. Clients on different instances see each
 * other's edits, cursors, chat and presence, and each change is stored exactly once. A session
 * signed out through one process has its sockets on the other closed (the revocation list).
 */
import { documentStreamId, type DocumentEvent } from '@resoft/domain';
import type { ClientDocument, CollabClient } from '@resoft/collab-client';
import { CloseCodes, SUBPROTOCOL } from '@resoft/contracts';
import { SqliteEventStore } from '@resoft/adapter-sqlite';
import { loadDocumentAt, readFileOrigin, textOf } from '@resoft/documents';
import WebSocket from 'ws';
import { collabFixture, connectClient, until, type CollabFixture, startTestServer, type TestServer } from '@resoft/testkit';
import { serve, stopAll, type ServiceProcess } from '@resoft/testkit/processes';

const redisUrl = process.env['REDIS_URL'];
if (!redisUrl) console.warn('gateway instances on Redis skipped: set REDIS_URL (infra/engines/redis.sh start prints it)');
const describeWithRedis = redisUrl ? describe : describe.skip;

describeWithRedis('two gateway instances on Redis', () => {
  let server: TestServer;
  let second: ServiceProcess;
  let fixture: CollabFixture;
  const clients: CollabClient[] = [];
  const secondUrl = () => `http://127.0.0.1:${second.port}`;

  beforeAll(async () => {
    server = await startTestServer({ REDIS_URL: redisUrl!, RESOFT_EVENT_POLL_MS: '20' });
    second = await serve('gateway', { ...server.env, PORT: '0', LOG_LEVEL: 'info', RESOFT_EVENT_POLL_MS: '20' });
    fixture = await collabFixture(server.baseUrl, { editors: 2 });
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await stopAll();
    await server.stop();
  });

  async function on(baseUrl: string, session: { accessToken: string }): Promise<CollabClient> {
    const c = await connectClient(baseUrl, session);
    clients.push(c);
    return c;
  }

  it('shares edits and cursors across instances, and stores each change once', async () => {
    const a = await on(server.baseUrl, fixture.editors[0]!);
    const b = await on(secondUrl(), fixture.editors[1]!);
    const [docA, docB]: ClientDocument[] = await Promise.all([a.open(fixture.projectId, fixture.fileId), b.open(fixture.projectId, fixture.fileId)]);
    await Promise.all([docA!.ready, docB!.ready]);
    for (let i = 0; i < 10; i += 1) {
      docA!.insert(0, `a${i} `);
      docB!.insert(docB!.text.length, ` b${i}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await until(() => docA!.text === docB!.text && docA!.synced && docB!.synced && /a9/.test(docB!.text) && /b9/.test(docA!.text));

    docA!.setCursor(2);
    await until(() => docB!.cursors().some((c) => c.userId === fixture.editors[0]!.userId && c.index === 2));

    // Both instances saw every change (one through its client, one through Redis and the log); each is stored once.
    const store = new SqliteEventStore({ file: server.config.eventStoreFile });
    try {
      let hashes: string[] = [];
      let stored = '';
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const events = await store.readStream(documentStreamId(fixture.fileId));
        hashes = events.flatMap((e) => (e.data as DocumentEvent['data']).hashes);
        stored = textOf((await loadDocumentAt(store, (await readFileOrigin(store, fixture.projectId, fixture.fileId))!)).doc);
        if (stored === docA!.text) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(stored).toBe(docA!.text);
      expect(new Set(hashes).size).toBe(hashes.length);
      expect(hashes.length).toBeGreaterThanOrEqual(20);
    } finally {
      await store.close();
    }
  });

  it('shows chat and presence to clients on the other instance', async () => {
    const a = await on(server.baseUrl, fixture.editors[0]!);
    const b = await on(secondUrl(), fixture.editors[1]!);
    await a.join(fixture.roomId);
    const seen = a.next('collaboration:presence', (f) => f.presence.some((p) => p.userId === fixture.editors[1]!.userId && p.status === 'online'));
    await b.join(fixture.roomId);
    await seen;
    const message = a.next('collaboration:message', (f) => f.message.text === 'hello from the other instance');
    const mention = b.next('collaboration:mention');
    await b.chat(fixture.roomId, 'hello from the other instance');
    await message;
    await a.chat(fixture.roomId, `@${fixture.editors[1]!.username} got it`);
    expect((await mention).authorId).toBe(fixture.editors[0]!.userId);
  });

  it('closes, with 4401, the sockets on the other process of a session signed out through this one', async () => {
    const session = await fixture.api.signUp('signed-out-elsewhere');
    const socket = new WebSocket(`${secondUrl().replace(/^http/, 'ws')}/ws`, [SUBPROTOCOL, `auth.${session.accessToken}`]);
    socket.on('error', () => undefined);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await new Promise<void>((resolve) => socket.once('message', () => resolve()));
    expect((await fixture.api.post('/api/auth/logout', { refreshToken: session.refreshToken }, session.accessToken)).status).toBe(200);
    expect(await closed).toBe(CloseCodes.unauthorized);
  });
});
