/**
 * The socket contract holds on the wire: every JSON frame the gateway sends in a session that
 * exercises rooms, presence, documents, cursors, chat, mentions, locks and errors parses with
 * `serverFrameSchema` of @resoft/contracts (strict objects: a field the contract does not name fails),
 * so the types the client and the UI compile against are what the gateway really sends.
 */
import { randomUUID } from 'node:crypto';
import { CollabClient, CollabClientError } from '@resoft/collab-client';
import { serverFrameSchema, type ServerFrame } from '@resoft/contracts';
import WebSocket from 'ws';
import { collabFixture, until, wsUrl, type CollabFixture, startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;
let fixture: CollabFixture;
const received: unknown[] = [];
const clients: CollabClient[] = [];

/** `ws`'s socket that also keeps every text frame it receives (the client reads them through `onmessage`). */
class RecordingWebSocket extends WebSocket {
  constructor(url: string, protocols: string[]) {
    super(url, protocols);
    this.on('message', (data, isBinary) => {
      if (!isBinary) received.push(JSON.parse(data.toString()));
    });
  }
}

async function connectAs(session: { accessToken: string }): Promise<CollabClient> {
  const client = new CollabClient({ url: wsUrl(server.baseUrl), token: () => session.accessToken, WebSocket: RecordingWebSocket as never, reconnect: false });
  clients.push(client);
  await client.connect();
  return client;
}

beforeAll(async () => {
  server = await startTestServer();
  fixture = await collabFixture(server.baseUrl, { editors: 2 });
}, 60_000);
afterAll(async () => {
  for (const client of clients) client.close();
  await server.stop();
});

describe('the socket contract on the wire', () => {
  it('describes every frame a collaboration session receives', async () => {
    const [first, second] = [fixture.editors[0]!, fixture.editors[1]!];
    const a = await connectAs(first);
    const b = await connectAs(second);
    await a.join(fixture.roomId);
    const userJoined = a.next('collaboration:user_joined', (f) => f.userId === second.userId);
    await b.join(fixture.roomId);
    await userJoined;
    await a.setPresence('away', { viewing: fixture.fileId, typing: true });

    const docA = await a.open(fixture.projectId, fixture.fileId);
    const docB = await b.open(fixture.projectId, fixture.fileId);
    await Promise.all([docA.ready, docB.ready]);
    docA.insert(0, '# contract\n');
    await until(() => docB.text.startsWith('# contract\n') && docA.storedPosition > 0);
    const cursorSeen = b.next('collaboration:cursor_update', (f) => f.cursors.some((c) => c.userId === first.userId && c.ranges.length > 0));
    docA.setCursor(2, { anchor: 0, head: 2 });
    await cursorSeen;

    const mention = b.next('collaboration:mention');
    const posted = await a.chat(fixture.roomId, `hello @${second.username}`);
    await mention;
    await a.editChat(fixture.roomId, posted.messageId, 'hello again');
    await a.deleteChat(fixture.roomId, posted.messageId);
    expect((await a.history(fixture.roomId)).messages.length).toBeGreaterThan(0);
    await expect(a.join(randomUUID())).rejects.toBeInstanceOf(CollabClientError);

    const locked = b.next('collaboration:permissions', (f) => !f.canEdit);
    const lockEvent = b.next('collaboration:event', (f) => f.eventType === 'FileLocked');
    await fixture.api.post(`/api/projects/${fixture.projectId}/files/${fixture.fileId}/lock`, {}, first.accessToken);
    await Promise.all([locked, lockEvent]);
    const refused = b.next('collaboration:refused');
    docB.insert(0, 'against the lock ');
    await refused;

    const userLeft = a.next('collaboration:user_left', (f) => f.userId === second.userId);
    await b.leave(fixture.roomId);
    await userLeft;

    const failures = received.flatMap((frame) => {
      const parsed = serverFrameSchema.safeParse(frame);
      return parsed.success ? [] : [{ frame, issues: parsed.error.issues }];
    });
    expect(failures).toEqual([]);
    const seen = new Set(received.map((frame) => (frame as ServerFrame).type));
    const exercised: ServerFrame['type'][] = [
      'collaboration:welcome', 'collaboration:ack', 'collaboration:error', 'collaboration:joined', 'collaboration:user_joined',
      'collaboration:user_left', 'collaboration:presence', 'collaboration:opened', 'collaboration:refused', 'collaboration:permissions',
      'collaboration:stored', 'collaboration:cursor_update', 'collaboration:message', 'collaboration:mention', 'collaboration:history',
      'collaboration:event',
    ];
    expect([...seen].sort()).toEqual(expect.arrayContaining(exercised));
  }, 90_000);
});
