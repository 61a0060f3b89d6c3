/**
 * The gateway at its edge: authentication at the upgrade, token expiry, limits with their close
 * codes, and random or malformed frames (JSON and binary), none of which may crash it.
 */
import { CloseCodes, SUBPROTOCOL, encodeSyncFrame } from '@resoft/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import * as Automerge from '@automerge/automerge/next';
import { collabFixture, connectClient, until, wsUrl, type CollabFixture, startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;
let fixture: CollabFixture;

beforeAll(async () => {
  server = await startTestServer({ RESOFT_COLLAB_MAX_CONNECTIONS_PER_ROOM: '2', RESOFT_COLLAB_MAX_OPEN_DOCUMENTS: '1', RESOFT_COLLAB_MAX_MESSAGE_BYTES: '65536' });
  fixture = await collabFixture(server.baseUrl, { editors: 3 });
});
afterAll(() => server.stop());

/** Opens a raw socket and resolves with its close code and reason once the server closes it. */
function rawSocket(protocols: string[], url = wsUrl(server.baseUrl)): { socket: WebSocket; opened: Promise<void>; closed: Promise<{ code: number; reason: string }> } {
  const socket = new WebSocket(url, protocols);
  const opened = new Promise<void>((resolve) => socket.once('open', () => resolve()));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  socket.on('error', () => undefined);
  return { socket, opened, closed };
}

const authed = (token: string) => rawSocket([SUBPROTOCOL, `auth.${token}`]);

async function gatewayStillServes(): Promise<void> {
  const c = await connectClient(server.baseUrl, fixture.editors[0]!, { reconnect: false } as never);
  expect((await c.join(fixture.roomId)).projectId).toBe(fixture.projectId);
  c.close();
  expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
}

describe('the gateway at its edge', () => {
  it('closes a socket without a valid access token with 4401', async () => {
    expect((await rawSocket([SUBPROTOCOL]).closed).code).toBe(CloseCodes.unauthorized);
    expect((await authed('not.a.token').closed).code).toBe(CloseCodes.unauthorized);
  });

  it('closes a socket when its access token expires', async () => {
    const shortLived = await startTestServer({ RESOFT_ACCESS_TOKEN_TTL_SECONDS: '2' });
    try {
      const session = await collabFixture(shortLived.baseUrl, { editors: 1 });
      const { closed } = rawSocket([SUBPROTOCOL, `auth.${session.editors[0]!.accessToken}`], wsUrl(shortLived.baseUrl));
      expect(await closed).toEqual({ code: CloseCodes.unauthorized, reason: 'the access token expired' });
    } finally {
      await shortLived.stop();
    }
  });

  it.each([
    ['text that is not JSON', '{"type":'],
    ['an unknown frame type', JSON.stringify({ type: 'collaboration:explode' })],
    ['a frame with a bad field', JSON.stringify({ type: 'collaboration:join', roomId: 'not-a-uuid' })],
    ['a frame with an extra field', JSON.stringify({ type: 'collaboration:leave', roomId: randomUUID(), admin: true })],
    ['JSON that is not an object', '[1,2,3]'],
    ['a binary frame with an unknown header', new Uint8Array([9, 9, 9])],
  ])('closes the socket with 4400 on %s', async (_name, frame) => {
    const { socket, opened, closed } = authed(fixture.editors[0]!.accessToken);
    await opened;
    socket.send(frame);
    expect((await closed).code).toBe(CloseCodes.badFrame);
    await gatewayStillServes();
  });

  it('closes with 4400 on a sync frame that is not an Automerge sync message, and never stores it', async () => {
    const client = await connectClient(server.baseUrl, fixture.editors[0]!, { reconnect: false } as never);
    const doc = await client.open(fixture.projectId, fixture.fileId);
    await doc.ready;
    const closed = client.next('collaboration:error', (f) => f.code === `closed_${CloseCodes.badFrame}`);
    client.sendRaw(encodeSyncFrame(fixture.fileId, randomBytes(64)));
    await closed;
    const file = await fixture.api.get(`/api/projects/${fixture.projectId}/files/${fixture.fileId}`, fixture.owner.accessToken);
    expect(file.body.text).toBe('def main():\n    pass\n');
    await gatewayStillServes();
  });

  // A change whose bytes decode and whose dependencies are the server's heads, but whose op edits an
  // object the document has never had: only applying it shows it is broken (Automerge panics). It
  // must be refused before anyone else gets it or it is stored, or every replica and replay fails on it.
  it('refuses a well-formed change that Automerge cannot apply: not passed on, not stored', async () => {
    const [author, other] = await Promise.all([fixture.editors[0]!, fixture.editors[1]!].map((e) => connectClient(server.baseUrl, e, { reconnect: false } as never)));
    const authorDoc = await author!.open(fixture.projectId, fixture.fileId);
    const otherDoc = await other!.open(fixture.projectId, fixture.fileId);
    await Promise.all([authorDoc.ready, otherDoc.ready]);
    const textBefore = otherDoc.text;
    let elsewhere = Automerge.change(Automerge.init<{ obj?: { a: number } }>(), (d) => { d.obj = { a: 1 }; });
    elsewhere = Automerge.change(elsewhere, (d) => { d.obj!.a = 2; });
    const decoded = Automerge.decodeChange(Automerge.getLastLocalChange(elsewhere)!);
    const forged = Automerge.encodeChange({ ...decoded, deps: authorDoc.heads, seq: 1 });
    const forgedHash = Automerge.decodeChange(forged).hash!;
    const message = Automerge.encodeSyncMessage({ heads: [forgedHash], need: [], have: [{ lastSync: authorDoc.heads, bloom: new Uint8Array() }], changes: [forged] });
    const closed = author!.next('collaboration:error', (f) => f.code === `closed_${CloseCodes.badFrame}`);
    author!.sendRaw(encodeSyncFrame(fixture.fileId, message));
    await closed;
    // The other editor never got it, can still type, and what is stored never held it.
    otherDoc.insert(0, '# still fine\n');
    const expected = `# still fine\n${textBefore}`;
    await until(() => otherDoc.synced);
    let stored = '';
    for (let attempt = 0; attempt < 100 && stored !== expected; attempt += 1) {
      stored = (await fixture.api.get(`/api/projects/${fixture.projectId}/files/${fixture.fileId}`, fixture.owner.accessToken)).body.text;
      if (stored !== expected) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(stored).toBe(expected);
    expect(otherDoc.text).toBe(expected);
    expect(otherDoc.heads).not.toContain(forgedHash);
    other!.close();
    await gatewayStillServes();
  });

  it('survives a storm of random frames, text and binary, from many sockets', async () => {
    const sockets = Array.from({ length: 20 }, () => authed(fixture.editors[1]!.accessToken));
    await Promise.all(sockets.map((s) => s.opened));
    for (const [i, { socket }] of sockets.entries()) {
      const bytes = randomBytes(1 + ((i * 97) % 900));
      if (i % 3 === 0) socket.send(bytes.toString('latin1'));
      else if (i % 3 === 1) socket.send(bytes);
      else socket.send(encodeSyncFrame(fixture.fileId, bytes));
    }
    const codes = await Promise.all(sockets.map((s) => Promise.race([s.closed.then((c) => c.code), new Promise<number>((resolve) => setTimeout(() => resolve(0), 2000))])));
    for (const { socket } of sockets) socket.terminate();
    // Every socket that sent garbage was closed with a protocol code (sync frames for a file not opened get an error instead).
    expect(codes.filter((c) => c !== 0).every((c) => c === CloseCodes.badFrame)).toBe(true);
    await gatewayStillServes();
  });

  it('closes a frame over the size limit with 1009', async () => {
    const { socket, opened, closed } = authed(fixture.editors[0]!.accessToken);
    await opened;
    socket.send(JSON.stringify({ type: 'collaboration:chat', roomId: fixture.roomId, text: 'x'.repeat(70_000) }));
    expect((await closed).code).toBe(CloseCodes.tooLarge);
    await gatewayStillServes();
  });

  it('closes with 4409 a connection that joins a full room', async () => {
    const room = (await fixture.api.post('/api/collaboration/rooms', { projectId: fixture.projectId, name: 'Tiny' }, fixture.owner.accessToken)).body.id;
    const [a, b, c] = await Promise.all(fixture.editors.map((e) => connectClient(server.baseUrl, e, { reconnect: false } as never)));
    await a!.join(room);
    await b!.join(room);
    const closed = c!.next('collaboration:error', (f) => f.code.startsWith('closed_'));
    c!.join(room).catch(() => undefined);
    expect((await closed).code).toBe(`closed_${CloseCodes.roomFull}`);
    a!.close();
    b!.close();
  });

  it('answers an error frame for a document over the per-connection limit, and keeps the connection', async () => {
    const second = (await fixture.api.post(`/api/projects/${fixture.projectId}/files`, { path: 'limit.txt', content: '' }, fixture.owner.accessToken)).body.id;
    const client = await connectClient(server.baseUrl, fixture.editors[2]!, { reconnect: false } as never);
    await client.open(fixture.projectId, fixture.fileId);
    await expect(client.open(fixture.projectId, second)).rejects.toMatchObject({ code: 'too_many_documents' });
    expect(client.state).toBe('open');
    client.close();
  });
});
