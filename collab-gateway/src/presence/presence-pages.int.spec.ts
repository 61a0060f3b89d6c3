/**
 * Presence in pages (issue 19): `collaboration:presence_list` answers a page of a joined room's
 * presence with the room's total; it refuses a room the socket has not joined and closes on a bad
 * page request. (Pushes to rooms larger than a page carry the first page: see room-presence's unit tests.)
 */
import { CloseCodes, SUBPROTOCOL, type ServerFrame } from '@resoft/contracts';
import WebSocket from 'ws';
import { collabFixture, connectClient, wsUrl, type CollabFixture, startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;
let fixture: CollabFixture;

beforeAll(async () => {
  server = await startTestServer();
  fixture = await collabFixture(server.baseUrl, { editors: 3 });
}, 60_000);
afterAll(() => server.stop());

/** A raw socket that keeps every text frame it receives and can wait for one. */
async function rawClient(token: string) {
  const socket = new WebSocket(wsUrl(server.baseUrl), [SUBPROTOCOL, `auth.${token}`]);
  const frames: ServerFrame[] = [];
  const waiters: { match: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }[] = [];
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const frame = JSON.parse(data.toString()) as ServerFrame;
    frames.push(frame);
    for (const w of [...waiters]) {
      if (!w.match(frame)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(frame);
    }
  });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise((resolve) => socket.once('open', resolve));
  const next = (match: (f: ServerFrame) => boolean) => {
    const seen = frames.find(match);
    return seen ? Promise.resolve(seen) : new Promise<ServerFrame>((resolve) => waiters.push({ match, resolve }));
  };
  return { send: (frame: object) => socket.send(JSON.stringify(frame)), next, closed, close: () => socket.close() };
}

describe('presence pages', () => {
  it('answers a page of a joined room\'s presence with the room\'s total', async () => {
    const others = await Promise.all(fixture.editors.slice(1).map((e) => connectClient(server.baseUrl, e)));
    for (const other of others) await other.join(fixture.roomId);
    const ann = await rawClient(fixture.editors[0]!.accessToken);
    ann.send({ type: 'collaboration:join', ref: 'j', roomId: fixture.roomId });
    const joined = await ann.next((f) => f.type === 'collaboration:joined');
    expect(joined.type === 'collaboration:joined' && joined.presence).toHaveLength(3);
    ann.send({ type: 'collaboration:presence_list', ref: 'p', roomId: fixture.roomId, offset: 1, limit: 1 });
    const page = await ann.next((f) => f.type === 'collaboration:presence' && f.ref === 'p');
    expect(page).toMatchObject({ roomId: fixture.roomId, offset: 1, total: 3 });
    expect(page.type === 'collaboration:presence' && page.presence).toHaveLength(1);
    ann.close();
    for (const other of others) other.close();
  });

  it('refuses the presence of a room the socket has not joined', async () => {
    const bob = await rawClient(fixture.editors[1]!.accessToken);
    bob.send({ type: 'collaboration:presence_list', ref: 'p', roomId: fixture.roomId });
    expect(await bob.next((f) => f.type === 'collaboration:error')).toMatchObject({ ref: 'p', code: 'room_not_joined' });
    bob.close();
  });

  it('closes with 4400 on a page request outside its bounds', async () => {
    const bob = await rawClient(fixture.editors[1]!.accessToken);
    bob.send({ type: 'collaboration:presence_list', roomId: fixture.roomId, limit: 0 });
    expect(await bob.closed).toBe(CloseCodes.badFrame);
  });
});
