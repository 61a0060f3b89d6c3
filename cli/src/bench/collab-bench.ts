/**
 * `npm run bench:collab`: the collaboration gateway under load, beside automerge-repo's own
 * WebSocket sync on the same load.
 *
 * 1. Edit propagation: 2, 10 and 50 editors on one document, sharing BENCH_DOC_EDIT_RATE edits per
 *    second (each inserts a short token at the start) for BENCH_DURATION s; the time from a token's insert until each
 *    other editor's text contains it, P50/P99. The same run against a minimal automerge-repo server
 *    (a Repo with its WebSocket server adapter, no storage) gives the ratio.
 * 2. Broadcast: 2,000 connections in 100 rooms (20 each), one chat message per room per second;
 *    the time from sending a message until each member connection receives it, P99. This includes
 *    the command (append to the event store) and the hub's fan-out.
 * 3. Memory per connection: the server process's resident memory before and after the 2,000
 *    connections joined, divided by 2,000.
 *
 * The server runs in a child process; every client runs in this process.
 */
import * as Automerge from '@automerge/automerge';
import { Repo, type DocHandle } from '@automerge/automerge-repo';
import { BrowserWebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { CollabClient, SUBPROTOCOL, type ServerFrame } from '@resoft/collab-gateway';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { ApiClient, type Session } from '../testing/api-client.js';
import { positiveNumber } from './bench-settings.js';
import { ROOT, startServer } from './bench-server-child.js';

const DURATION_S = positiveNumber('BENCH_DURATION', 8);
/** Edits per second on the document, shared by its editors (50 people do not all type at once). */
const DOC_EDIT_RATE = positiveNumber('BENCH_DOC_EDIT_RATE', 20);
const EDITOR_LEVELS = (process.env['BENCH_LEVELS'] ?? '2,10,50').split(',').map(Number).filter((n) => n >= 2);
const BROADCAST_CONNECTIONS = positiveNumber('BENCH_CONNECTIONS', 2000);
const ROOMS = 100;
const SCAN_WINDOW = 6000;


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (v: number) => Math.round(v * 10) / 10;

function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Editor {
  insertAtStart(token: string): void;
  onText(listener: (text: string) => void): void;
  text(): string;
  close(): void;
}

interface PropagationResult {
  readonly editors: number;
  readonly p50: number;
  readonly p99: number;
  readonly samples: number;
  readonly undelivered: number;
  readonly converged: boolean;
}

/** Each editor inserts tokens at a steady rate; every other editor records when it sees each one. */
async function measurePropagation(editors: readonly Editor[]): Promise<PropagationResult> {
  const sentAt = new Map<string, number>();
  const pending = editors.map(() => new Set<string>());
  const samples: number[] = [];
  for (const [i, editor] of editors.entries()) {
    editor.onText((text) => {
      if (pending[i]!.size === 0) return;
      const now = performance.now();
      const head = text.slice(0, SCAN_WINDOW);
      for (const token of pending[i]!) {
        if (!head.includes(token)) continue;
        samples.push(now - sentAt.get(token)!);
        pending[i]!.delete(token);
      }
    });
  }
  const interval = (1000 * editors.length) / DOC_EDIT_RATE;
  const timers: NodeJS.Timeout[] = [];
  const counters = editors.map(() => 0);
  for (const [i, editor] of editors.entries()) {
    const start = setTimeout(() => {
      timers.push(setInterval(() => {
        const token = `#${i}.${counters[i]!++};`;
        sentAt.set(token, performance.now());
        for (const [j] of editors.entries()) if (j !== i) pending[j]!.add(token);
        editor.insertAtStart(token);
      }, interval));
    }, Math.random() * interval);
    timers.push(start);
  }
  await sleep(DURATION_S * 1000);
  for (const t of timers) clearInterval(t);
  for (let waited = 0; waited < 15_000 && pending.some((p) => p.size > 0); waited += 100) await sleep(100);
  let converged = false;
  for (let waited = 0; waited < 15_000 && !converged; waited += 100) {
    converged = editors.every((e) => e.text() === editors[0]!.text());
    if (!converged) await sleep(100);
  }
  return {
    editors: editors.length, p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)), samples: samples.length,
    undelivered: pending.reduce((n, p) => n + p.size, 0), converged,
  };
}

// ---- Resoft's gateway ----

async function gatewayEditors(baseUrl: string, sessions: readonly Session[], projectId: string, fileId: string): Promise<Editor[]> {
  return Promise.all(sessions.map(async (session) => {
    const client = new CollabClient({ url: `${baseUrl.replace(/^http/, 'ws')}/ws`, token: () => session.accessToken, WebSocket: WebSocket as never, requestTimeoutMs: 60_000 });
    await client.connect();
    const doc = await client.open(projectId, fileId);
    await doc.ready;
    return {
      insertAtStart: (token) => doc.insert(0, token),
      onText: (listener) => void doc.on('change', listener),
      text: () => doc.text,
      close: () => client.close(),
    };
  }));
}

// ---- automerge-repo ----

async function startAutomergeRepoServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(ROOT, 'cli/dist/bench/automerge-repo-server.js')], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PORT: '0' } });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`automerge-repo server exited with ${code}`)));
  });
  return {
    url: `ws://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

async function automergeRepoEditors(url: string, count: number): Promise<Editor[]> {
  const repos = Array.from({ length: count }, () => new Repo({ network: [new BrowserWebSocketClientAdapter(url)], sharePolicy: async () => true }));
  const first = repos[0]!.create<{ text: string }>({ text: '' });
  await sleep(500); // let the server receive the new document before the others ask for it
  const handles: DocHandle<{ text: string }>[] = [first, ...(await Promise.all(repos.slice(1).map((r) => r.find<{ text: string }>(first.url))))];
  return handles.map((handle, i) => ({
    insertAtStart: (token) => handle.change((d) => Automerge.splice(d, ['text'], 0, 0, token)),
    onText: (listener) => void handle.on('change', ({ doc }) => listener(doc.text)),
    text: () => handle.doc()?.text ?? '',
    close: () => void repos[i]!.shutdown(),
  }));
}

// ---- broadcast ----

function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? NaN);
}

async function measureBroadcast(baseUrl: string, serverPid: number, api: ApiClient, owner: Session, users: readonly Session[], projectId: string) {
  const rooms: string[] = [];
  for (let r = 0; r < ROOMS; r += 1) rooms.push((await api.post('/api/collaboration/rooms', { projectId, name: `room ${r}` }, owner.accessToken)).body.id);
  const perRoom = Math.ceil(BROADCAST_CONNECTIONS / ROOMS);
  const rssBefore = rssKb(serverPid);
  const sentAt = new Map<string, number>();
  const samples: number[] = [];
  const sockets: WebSocket[] = [];
  const url = `${baseUrl.replace(/^http/, 'ws')}/ws`;
  for (let c = 0; c < BROADCAST_CONNECTIONS; c += 1) {
    const user = users[c % users.length]!;
    const roomId = rooms[Math.floor(c / perRoom)]!;
    const socket = new WebSocket(url, [SUBPROTOCOL, `auth.${user.accessToken}`]);
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.on('message', (data, isBinary) => {
        if (isBinary) return;
        const frame = JSON.parse(data.toString()) as ServerFrame;
        if (frame.type === 'collaboration:joined') resolve();
        if (frame.type === 'collaboration:message' && frame.kind === 'posted' && frame.message.text) {
          const sent = sentAt.get(frame.message.text);
          if (sent !== undefined) samples.push(performance.now() - sent);
        }
      });
      socket.once('open', () => socket.send(JSON.stringify({ type: 'collaboration:join', roomId })));
    });
  }
  await sleep(1000);
  const rssAfter = rssKb(serverPid);
  // One poster per room: its first connection.
  const timers: NodeJS.Timeout[] = [];
  let k = 0;
  for (let r = 0; r < ROOMS; r += 1) {
    const poster = sockets[r * perRoom]!;
    const roomId = rooms[r]!;
    timers.push(setTimeout(() => timers.push(setInterval(() => {
      const text = `broadcast ${r} ${k++}`;
      sentAt.set(text, performance.now());
      poster.send(JSON.stringify({ type: 'collaboration:chat', roomId, text }));
    }, 1000)), Math.random() * 1000));
  }
  await sleep(DURATION_S * 1000);
  for (const t of timers) clearInterval(t);
  await sleep(3000);
  for (const s of sockets) s.terminate();
  const expected = sentAt.size * perRoom;
  return {
    connections: sockets.length, rooms: ROOMS, messages: sentAt.size, deliveries: samples.length, expectedDeliveries: expected,
    p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)),
    rssBeforeMb: round(rssBefore / 1024), rssAfterMb: round(rssAfter / 1024), kbPerConnection: round((rssAfter - rssBefore) / sockets.length),
  };
}

// ---- main ----

async function main(): Promise<void> {
  console.log(`collaboration benchmark: ${DURATION_S} s per level, ${DOC_EDIT_RATE} edits/s on the document shared by its editors, node ${process.version}`);
  const profileDir = process.env['BENCH_PROFILE_DIR'];
  const server = await startServer(profileDir);
  const api = new ApiClient(server.baseUrl);
  const results: { level: number; resoft: PropagationResult; automergeRepo: PropagationResult; ratioP50: number; ratioP99: number }[] = [];
  try {
    const owner = await api.signUp('benchowner');
    const editors = await Promise.all(Array.from({ length: Math.max(...EDITOR_LEVELS) }, (_, i) => api.signUp(`benched${i}`)));
    const projectId = (await api.post('/api/projects', { name: 'Bench' }, owner.accessToken)).body.id;
    for (const e of editors) await api.post(`/api/projects/${projectId}/members`, { userId: e.userId, role: 'editor' }, owner.accessToken);
    const repoServer = await startAutomergeRepoServer();
    try {
      for (const level of EDITOR_LEVELS) {
        const fileId = (await api.post(`/api/projects/${projectId}/files`, { path: `bench-${level}.txt`, content: '' }, owner.accessToken)).body.id;
        const ours = await gatewayEditors(server.baseUrl, editors.slice(0, level), projectId, fileId);
        const resoft = await measurePropagation(ours);
        for (const e of ours) e.close();
        const theirs = await automergeRepoEditors(repoServer.url, level);
        const automergeRepo = await measurePropagation(theirs);
        for (const e of theirs) e.close();
        const result = { level, resoft, automergeRepo, ratioP50: Math.round((resoft.p50 / automergeRepo.p50) * 100) / 100, ratioP99: Math.round((resoft.p99 / automergeRepo.p99) * 100) / 100 };
        results.push(result);
        console.log(`${level} editors: resoft P50 ${resoft.p50} ms P99 ${resoft.p99} ms (${resoft.samples} samples, ${resoft.undelivered} undelivered, converged ${resoft.converged}); automerge-repo P50 ${automergeRepo.p50} ms P99 ${automergeRepo.p99} ms (${automergeRepo.samples} samples, converged ${automergeRepo.converged}); ratio P50 ${result.ratioP50}, P99 ${result.ratioP99}`);
      }
    } finally {
      await repoServer.stop();
    }
    const users = [...editors, ...(await Promise.all(Array.from({ length: 50 }, (_, i) => api.signUp(`benchviewer${i}`))))];
    for (const u of users.slice(editors.length)) await api.post(`/api/projects/${projectId}/members`, { userId: u.userId, role: 'viewer' }, owner.accessToken);
    if (process.env['BENCH_SKIP_BROADCAST'] === '1') return;
    const broadcast = await measureBroadcast(server.baseUrl, server.pid, api, owner, users, projectId);
    console.log(`broadcast: ${broadcast.connections} connections in ${broadcast.rooms} rooms, ${broadcast.messages} messages, ${broadcast.deliveries}/${broadcast.expectedDeliveries} deliveries, P50 ${broadcast.p50} ms, P99 ${broadcast.p99} ms`);
    console.log(`memory: server RSS ${broadcast.rssBeforeMb} MB before, ${broadcast.rssAfterMb} MB with the connections: ${broadcast.kbPerConnection} KB per connection`);
    console.log(JSON.stringify({ propagation: results, broadcast }));
    if (server.log.count > 0) console.log(`server warnings/errors: ${server.log.count}\n${server.log.lines.slice(0, 10).join('\n')}`);
  } finally {
    await server.stop();
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
