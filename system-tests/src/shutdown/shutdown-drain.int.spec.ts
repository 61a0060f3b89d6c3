/**
 * SIGTERM ends a real `resoft start` process within its drain bound, whatever is connected: idle
 * HTTP keep-alive, a request whose headers never finish, an upgrade on an unknown path, an upgrade
 * on /ws whose headers never finish, and a signed-in WebSocket whose peer never answers the close.
 */
import { SUBPROTOCOL } from '@resoft/contracts';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '@resoft/testkit';
import { followServerLog, spawnCli } from '@resoft/testkit/processes';

const DRAIN_MS = 1500;
// The process must be gone within the drain plus this: stopping projections and closing SQLite on a loaded machine.
const STOP_SLACK_MS = 3500;

function rawSocket(port: number, request: string): net.Socket {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  // A peer that reads nothing back and never closes: only the server can end this connection.
  socket.write(request);
  return socket;
}

const upgrade = (urlPath: string, extra = '') =>
  `GET ${urlPath} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

it('exits within its drain bound after SIGTERM with sockets of every kind open', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-drain-'));
  const child = spawnCli(['start'], { PORT: '0', HOST: '127.0.0.1', RESOFT_DATA_DIR: dataDir, RESOFT_SCRYPT_COST: '1024', RESOFT_SHUTDOWN_DRAIN_MS: String(DRAIN_MS) });
  const sockets: net.Socket[] = [];
  try {
    const server = followServerLog(child);
    const port = await server.port;
    const session = await new ApiClient(`http://127.0.0.1:${port}`).signUp('drained');

    // A signed-in WebSocket that completes the handshake and then ignores everything, the close frame included.
    const ws = rawSocket(port, upgrade('/ws', `Sec-WebSocket-Protocol: ${SUBPROTOCOL}, auth.${session.accessToken}\r\n`));
    await new Promise<void>((resolve) => ws.once('data', () => resolve()));
    sockets.push(ws);
    for (const p of ['/nowhere', '/socket.io/', '/api/ws']) sockets.push(rawSocket(port, upgrade(p)));
    sockets.push(rawSocket(port, 'GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n')); // headers never finish
    sockets.push(rawSocket(port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n')); // a request never finished
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => http.get({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => res.resume().on('end', resolve)).on('error', reject));

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const signalled = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    const elapsed = Date.now() - signalled;
    agent.destroy();
    expect(code).toBe(0);
    expect(elapsed).toBeLessThan(DRAIN_MS + STOP_SLACK_MS);
    expect(server.log()).toMatch(/"msg":"stopped"/);
  } finally {
    for (const s of sockets) s.destroy();
    child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
