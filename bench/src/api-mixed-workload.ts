/**
 * `bench:api`'s mixed workload beside a bare Express baseline, in the same run: every connection
 * cycles project list → chat history → chat post (as the users in turn), first against Resoft, then
 * against a bare Express 5 process answering bodies of the same sizes, at each connection level.
 * The ratio of throughputs is the figure issue 19 asks for (goal ≥ 65 % at 100 connections).
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
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

/**
 * CPU time (user + system) used so far by a process and its live children (the HTTP workers of
 * RESOFT_HTTP_PROCESSES), in ms, from /proc; null off Linux. Taken around a run, it gives the
 * server's CPU per answered request: a figure the other helpers' load on the machine disturbs much
 * less than requests per second.
 */
export function processTreeCpuMs(pid: number): number | null {
  const msPerTick = 10; // USER_HZ is 100 on Linux.
  const stat = (id: string): { ppid: number; ticks: number } | null => {
    try {
      const text = readFileSync(`/proc/${id}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' '); // state is field 3 of the file, index 0 here
      return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
    } catch {
      return null;
    }
  };
  const own = stat(String(pid));
  if (!own) return null;
  let ticks = own.ticks;
  for (const id of readdirSync('/proc').filter((name) => /^\d+$/.test(name) && name !== String(pid))) {
    const child = stat(id);
    if (child?.ppid === pid) ticks += child.ticks;
  }
  return ticks * msPerTick;
}

export interface BareExpress {
  readonly baseUrl: string;
  readonly pid: number;
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
    pid: child.pid!,
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
  readonly resoft: { readonly requestsPerSecond: number; readonly p99: number; readonly timeouts: number; readonly non2xx: number; readonly errors: number; readonly cpuMsPerRequest: number | null };
  readonly bare: { readonly requestsPerSecond: number; readonly p99: number; readonly timeouts: number; readonly cpuMsPerRequest: number | null };
}

/** The comparison table with the ratio column and the goals beside it. */
export function mixedReport(rows: readonly MixedRow[], sizes: readonly number[]): string {
  const lines = [
    `Mixed workload (project list, chat history ?limit=50, chat post; answers ${sizes.join(' / ')} bytes) beside bare Express 5 with the same body sizes:`,
    'conns  resoft req/s  p99 ms  timeouts  non-2xx  errors  bare req/s  bare p99 ms  resoft/bare  CPU ms/req resoft  bare',
  ];
  for (const r of rows) {
    const ratio = r.bare.requestsPerSecond > 0 ? (100 * r.resoft.requestsPerSecond) / r.bare.requestsPerSecond : NaN;
    lines.push(
      [String(r.connections).padStart(5), r.resoft.requestsPerSecond.toFixed(0).padStart(12), r.resoft.p99.toFixed(0).padStart(6), String(r.resoft.timeouts).padStart(8), String(r.resoft.non2xx).padStart(7), String(r.resoft.errors).padStart(6),
        r.bare.requestsPerSecond.toFixed(0).padStart(10), r.bare.p99.toFixed(0).padStart(11), `${ratio.toFixed(0)} %`.padStart(11),
        (r.resoft.cpuMsPerRequest?.toFixed(3) ?? '?').padStart(17), (r.bare.cpuMsPerRequest?.toFixed(3) ?? '?').padStart(5)].join('  '),
    );
  }
  lines.push('  goals: ≥ 65 % of bare Express at 100 connections; at 1,000 connections P99 < 1,000 ms and 0 timeouts');
  lines.push("  CPU ms/req: the server's processes' CPU time during the run over the requests answered (less disturbed by other load than req/s)");
  return lines.join('\n');
}
