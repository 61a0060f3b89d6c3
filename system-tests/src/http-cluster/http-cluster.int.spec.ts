/**
 * RESOFT_HTTP_PROCESSES=2: a real `resoft start` serving its HTTP front from two processes on one
 * port. Requests on fresh connections land on either process (the cluster hands connections round
 * robin); every write must be readable with `?after=`, and every WebSocket must reach the gateway.
 */
import { SUBPROTOCOL } from '@resoft/contracts';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '@resoft/testkit';
import { followServerLog, spawnCli } from '@resoft/testkit/processes';

/** One request on its own connection, so consecutive requests spread over the workers. */
function request(port: number, method: string, urlPath: string, token?: string, body?: unknown): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      { host: '127.0.0.1', port, method, path: urlPath, agent: false, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload ? { 'content-type': 'application/json' } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function upgradeAnswer(port: number, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', reject);
    socket.write(`GET /ws HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: ${SUBPROTOCOL}, auth.${token}\r\n\r\n`);
    socket.once('data', (chunk: Buffer) => {
      resolve(chunk.toString('latin1').split('\r\n')[0]!);
      socket.destroy();
    });
  });
}

it('serves writes, reads after them and WebSockets from every process of the cluster', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-cluster-'));
  const child = spawnCli(['start'], { PORT: '0', HOST: '127.0.0.1', RESOFT_DATA_DIR: dataDir, RESOFT_SCRYPT_COST: '1024', RESOFT_HTTP_PROCESSES: '2', RESOFT_SHUTDOWN_DRAIN_MS: '1000' });
  try {
    const server = followServerLog(child);
    const port = await server.port;
    // The API worker starts after the lead listens; wait until the log shows the cluster complete
    // (the worker's own line can reach the log after the primary's: each process writes its own).
    for (let waited = 0; !server.log().includes('HTTP front running on several processes') || !server.log().includes('API worker listening'); waited += 50) {
      if (waited > 60_000) throw new Error(`the cluster did not come up: ${server.log()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Both processes share the one port.
    expect(server.log()).toMatch(new RegExp(`"port":${port}[^\n]*API worker listening`));
    const token = (await new ApiClient(`http://127.0.0.1:${port}`).signUp('cluster')).accessToken;

    const names: string[] = [];
    for (let n = 0; n < 8; n += 1) {
      const created = await request(port, 'POST', '/api/projects', token, { name: `cluster ${n}` });
      expect(created.status).toBe(201);
      names.push(`cluster ${n}`);
      const listed = await request(port, 'GET', `/api/projects?after=${created.body.position}`, token);
      expect(listed.headers['resoft-consistency']).toBe('fresh');
      expect(listed.body.items.map((p: { name: string }) => p.name).sort()).toEqual([...names].sort());
    }
    for (let n = 0; n < 6; n += 1) expect(await upgradeAnswer(port, token)).toBe('HTTP/1.1 101 Switching Protocols');

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);
