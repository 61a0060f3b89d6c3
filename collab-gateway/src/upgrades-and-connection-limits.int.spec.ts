/**
 * The server closes what it does not serve: a WebSocket upgrade on any path but /ws gets an HTTP
 * answer and its socket is closed (none is left in CLOSE-WAIT). And one user's open connections
 * are bounded (close 4429), without touching anyone else's.
 */
import { CloseCodes, SUBPROTOCOL } from '@resoft/contracts';
import net from 'node:net';
import WebSocket from 'ws';
import { ApiClient, wsUrl, startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ RESOFT_COLLAB_MAX_CONNECTIONS_PER_USER: '2' });
});
afterAll(() => server.stop());

/** Sends a WebSocket upgrade request for `path` on a raw socket; resolves with what came back once the server closed it. */
function upgradeOn(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(server.baseUrl).port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', reject);
    // The client never closes first: only the server's close ends this.
    socket.on('close', () => resolve(answer));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
  });
}

function socketWith(token: string) {
  const socket = new WebSocket(wsUrl(server.baseUrl), [SUBPROTOCOL, `auth.${token}`]);
  socket.on('error', () => undefined);
  const opened = new Promise<void>((resolve) => socket.once('message', () => resolve()));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { socket, opened, closed };
}

describe('upgrades the server does not serve', () => {
  it('answers each upgrade on an unknown path with 404 and closes its socket', async () => {
    const answers = await Promise.all(['/', '/socket', '/ws/extra', '/api/projects', '/wss?x=1', '/ws.json'].map(upgradeOn));
    for (const answer of answers) {
      expect(answer).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
      expect(answer).toMatch(/No WebSocket endpoint at/);
    }
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });
});

describe('connections per user', () => {
  it('closes a user\'s connection beyond the limit with 4429 and lets other users connect', async () => {
    const api = new ApiClient(server.baseUrl);
    const ann = await api.signUp('manysockets');
    const bob = await api.signUp('onesocket');
    const first = socketWith(ann.accessToken);
    const second = socketWith(ann.accessToken);
    await Promise.all([first.opened, second.opened]);
    const third = socketWith(ann.accessToken);
    expect(await third.closed).toEqual({ code: CloseCodes.rateLimited, reason: 'at most 2 connections per user' });
    const bobs = socketWith(bob.accessToken);
    await bobs.opened;
    first.socket.close();
    await first.closed;
    const again = socketWith(ann.accessToken);
    await again.opened;
    for (const s of [second, bobs, again]) s.socket.close();
  });
});
