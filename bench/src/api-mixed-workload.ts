/**
 * `bench:api`'s mixed workload beside a bare Express baseline, in the same run: every connection
 * cycles project list → chat history → chat post (as the users in turn), first against Resoft, then
 * against a bare Express 5 process answering bodies of the same sizes, at each connection level.
 * The ratio of throughputs is the figure issue 19 asks for (goal ≥ 65 % at 100 connections).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { ROOT, emergencyCleanups, freePort } from './bench-server-child.js';

export interface MixedFixture {
  readonly users: readonly { readonly accessToken: string; readonly username: string }[];
  readonly roomId: string;
}

export interface MixedScenario {
  readonly name: string;
  readonly requests: autocannon.Request[];
}

/** Each request as the next user in turn, three requests per cycle. */
export function mixedScenario(f: MixedFixture): MixedScenario {
  let n = 0;
  const as = (request: autocannon.Request, body?: () => string): autocannon.Request => ({
    ...request,
    setupRequest: (req) => {
      n += 1;
      const headers = { ...req.headers, authorization: `Bearer ${f.users[n % f.users.length]!.accessToken}` };
      return body ? { ...req, headers: { ...headers, 'content-type': 'application/json' }, body: body() } : { ...req, headers };
    },
  });
  return {
    name: 'mixed: projects, history, post',
    requests: [
      as({ method: 'GET', path: '/api/projects' }),
      as({ method: 'GET', path: `/api/collaboration/chat/${f.roomId}/history?limit=50` }),
      as({ method: 'POST', path: '/api/collaboration/chat' }, () => JSON.stringify({ roomId: f.roomId, text: `Mixed message ${n}: the build is green.` })),
    ],
  };
}

/** Sizes in bytes of Resoft's answers to the three requests, measured once before the runs. */
export async function answerSizes(baseUrl: string, f: MixedFixture): Promise<[number, number, number]> {
  const auth = { authorization: `Bearer ${f.users[0]!.accessToken}` };
  const size = async (response: Promise<Response>): Promise<number> => Buffer.byteLength(await (await response).text());
  return [
    await size(fetch(`${baseUrl}/api/projects`, { headers: auth })),
    await size(fetch(`${baseUrl}/api/collaboration/chat/${f.roomId}/history?limit=50`, { headers: auth })),
    await size(fetch(`${baseUrl}/api/collaboration/chat`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ roomId: f.roomId, text: 'size probe' }) })),
  ];
}

export interface BareExpress {
  readonly baseUrl: string;
  stop(): Promise<void>;
}

/** The baseline server as a child process, answering bodies of `sizes` bytes. */
export async function startBareExpress(sizes: readonly number[]): Promise<BareExpress> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'bench/dist/bare-express-server.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: String(port), BARE_SIZES: sizes.join(',') },
  });
  const kill = (): void => void child.kill('SIGKILL');
  emergencyCleanups.add(kill);
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`bare Express exited (code ${code})`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(kill, 5000);
      await exited;
      clearTimeout(timer);
      emergencyCleanups.delete(kill);
    },
  };
}

export interface MixedRow {
  readonly connections: number;
  readonly resoft: { readonly requestsPerSecond: number; readonly p99: number; readonly timeouts: number; readonly non2xx: number; readonly errors: number };
  readonly bare: { readonly requestsPerSecond: number; readonly p99: number; readonly timeouts: number };
}

/** The comparison table with the ratio column and the goals beside it. */
export function mixedReport(rows: readonly MixedRow[], sizes: readonly number[]): string {
  const lines = [
    `Mixed workload (project list, chat history ?limit=50, chat post; answers ${sizes.join(' / ')} bytes) beside bare Express 5 with the same body sizes:`,
    'conns  resoft req/s  p99 ms  timeouts  non-2xx  errors  bare req/s  bare p99 ms  resoft/bare',
  ];
  for (const r of rows) {
    const ratio = r.bare.requestsPerSecond > 0 ? (100 * r.resoft.requestsPerSecond) / r.bare.requestsPerSecond : NaN;
    lines.push(
      [String(r.connections).padStart(5), r.resoft.requestsPerSecond.toFixed(0).padStart(12), r.resoft.p99.toFixed(0).padStart(6), String(r.resoft.timeouts).padStart(8), String(r.resoft.non2xx).padStart(7), String(r.resoft.errors).padStart(6),
        r.bare.requestsPerSecond.toFixed(0).padStart(10), r.bare.p99.toFixed(0).padStart(11), `${ratio.toFixed(0)} %`.padStart(11)].join('  '),
    );
  }
  lines.push('  goals: ≥ 65 % of bare Express at 100 connections; at 1,000 connections P99 < 1,000 ms and 0 timeouts');
  return lines.join('\n');
}
