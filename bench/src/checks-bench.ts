/**
 * Code-quality check benchmark (`npm run bench:checks`): the all-in-one server
 * in this process on a fresh data directory, checks submitted over HTTP with
 * `?wait=true`. Measures the wall time of one 200-line Python file with pylint,
 * mypy and ruff (run concurrently), of one 400-line TypeScript file with
 * ESLint, and checks per minute with 10 submissions in flight. Then the
 * sandbox's cost: each Python tool run alone on the same file, alternately
 * in its bubblewrap sandbox and without one (an engine whose operator opted
 * in), P50/P99 of both in the same run (`BENCH_SANDBOX_ONLY=true` measures
 * only that; `BENCH_SANDBOX_RUNS` sets the runs, default 15). First, the
 * command line's start-up: `resoft --help` and `resoft check --linters ruff
 * file.py` as a user runs them (a new Node process each), against bare
 * `node -e ""` in the same run; goals < 300 ms and < 500 ms
 * (`BENCH_CLI_ONLY=true` measures only that; `BENCH_CLI_RUNS`, default 11).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CheckEngine } from '@resoft/command-service';
import { loadConfig, startAllInOne } from '@resoft/app';
import { type CheckConfig } from '@resoft/command-service/config';
import { ApiClient } from '@resoft/testkit';

const RUNS = 7;
const CONCURRENT = 10;
const CONCURRENT_CHECKS = 40;

/** A 200-line Python module of ordinary code with a sprinkling of problems. */
function pythonFile(seed: number): string {
  const lines = ['"""Inventory helpers."""', 'import os', 'import json', 'from typing import Optional', '', ''];
  for (let i = 0; lines.length < 194; i += 1) {
    lines.push(
      `class Item${i}:`, `    """An item kept in stock ${seed}."""`, '',
      '    def __init__(self, name: str, count: int) -> None:', '        self.name = name', '        self.count = count', '',
      '    def restock(self, amount: int) -> int:', '        """Add stock."""', '        self.count += amount', '        return self.count', '',
      `    def label(self, prefix: Optional[str] = None) -> str:`, `        return (prefix or "") + self.name + str(self.count${i % 3 === 0 ? ' + "x"' : ''})`, '', '',
    );
  }
  lines.push('', '', 'def main():', '    data = json.dumps({"cwd": os.getcwd()})', '    print(data, undefined_name)', '');
  return lines.slice(0, 200).join('\n') + '\n';
}

/** A 400-line TypeScript module. */
function typescriptFile(seed: number): string {
  const lines = ['/** Order helpers. */', ''];
  for (let i = 0; lines.length < 396; i += 1) {
    lines.push(
      `export interface Order${i} {`, '  id: string;', '  total: number;', '  items: string[];', '}', '',
      `export function totalOf${i}(orders: Order${i}[]): number {`, `  let sum${i % 4 === 0 ? ': any' : ''} = 0;`, '  for (const order of orders) {', '    sum += order.total;', '  }', `  return sum + ${seed};`, '}', '',
    );
  }
  lines.push('var legacy = 1;', 'export const unused = legacy;', '');
  return lines.slice(0, 400).join('\n') + '\n';
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
/** The nearest-rank percentile. */
const percentile = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;

const SANDBOX_RUNS = Number(process.env.BENCH_SANDBOX_RUNS ?? 15);

/** Each Python tool alone, alternately with and without the sandbox, so both see the same load. */
async function sandboxCost(config: CheckConfig): Promise<void> {
  const sandboxed = new CheckEngine(config);
  const isolation = await sandboxed.isolation();
  if (isolation.isolation !== 'bubblewrap') {
    console.log(`sandbox cost: not measured, the sandbox is ${isolation.isolation} here (${isolation.reason})`);
    return;
  }
  const bare = new CheckEngine({ ...config, sandboxPath: '/nonexistent/bwrap', allowUnsandboxed: true });
  // The fixed cost first: the tools' Python doing nothing, started through each engine's sandbox (the bare one runs it directly).
  const scratch = mkdtempSync(join(tmpdir(), 'resoft-bench-sandbox-'));
  const start = { sandboxed: [] as number[], bare: [] as number[] };
  for (let run = 0; run < 2 * SANDBOX_RUNS; run += 1) {
    for (const [mode, engine] of (run % 2 === 0 ? [['sandboxed', sandboxed], ['bare', bare]] : [['bare', bare], ['sandboxed', sandboxed]]) as Array<['sandboxed' | 'bare', CheckEngine]>) {
      const started = performance.now();
      const outcome = await engine.sandbox.runTool({ executable: join(config.pythonToolsDir, 'bin', 'python3'), args: ['-c', 'pass'], srcDir: scratch, configDir: scratch, extraEnv: {}, timeoutMs: 30_000, outputBytes: 4096, memoryBytes: config.memoryMb * 1024 * 1024 });
      if (outcome?.exitCode !== 0) throw new Error(`python -c pass (${mode}) failed: ${outcome?.stderr}`);
      start[mode].push(Math.round(performance.now() - started));
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  console.log(`start-up only (python -c pass), ${2 * SANDBOX_RUNS} runs each: in the sandbox P50 ${median(start.sandboxed)} ms, P99 ${percentile(start.sandboxed, 99)} ms; without P50 ${median(start.bare)} ms, P99 ${percentile(start.bare, 99)} ms; sandbox cost P50 ${median(start.sandboxed) - median(start.bare)} ms`);
  const files = [{ path: 'inventory.py', content: pythonFile(7), language: 'python' as const }];
  for (const linter of ['pylint', 'mypy', 'ruff'] as const) {
    const times = { sandboxed: [] as number[], bare: [] as number[] };
    // One run each to warm the disk cache and the sandbox probe.
    await sandboxed.run(files, [linter]);
    await bare.run(files, [linter]);
    for (let run = 0; run < SANDBOX_RUNS; run += 1) {
      for (const [mode, engine] of (run % 2 === 0 ? [['sandboxed', sandboxed], ['bare', bare]] : [['bare', bare], ['sandboxed', sandboxed]]) as Array<['sandboxed' | 'bare', CheckEngine]>) {
        const [result] = await engine.run(files, [linter]);
        if (result!.status !== 'ok') throw new Error(`${linter} ${mode}: ${result!.status} ${result!.message}`);
        times[mode].push(result!.durationMs);
      }
    }
    const s = times.sandboxed;
    const b = times.bare;
    console.log(`${linter} alone, ${SANDBOX_RUNS} runs each (${isolation.user}): in the sandbox P50 ${median(s)} ms, P99 ${percentile(s, 99)} ms; without P50 ${median(b)} ms, P99 ${percentile(b, 99)} ms; sandbox cost P50 ${median(s) - median(b)} ms`);
  }
  await Promise.all([sandboxed.close(), bare.close()]);
}

/** Wall time of a new process running `args`, in ms. */
function timeProcess(args: readonly string[], cwd: string): number {
  const started = performance.now();
  const outcome = spawnSync(process.execPath, [...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  const ms = performance.now() - started;
  if (outcome.status !== 0) throw new Error(`${args.join(' ')} exited ${outcome.status}: ${outcome.stderr.toString().slice(0, 300)}`);
  return ms;
}

/** `resoft --help` and `resoft check --linters ruff` start-up, each against bare Node, interleaved so load affects all alike. */
function cliTimings(): void {
  const runs = Number(process.env.BENCH_CLI_RUNS ?? 11);
  const bin = resolve(fileURLToPath(import.meta.url), '../../../bin/resoft.js');
  const dir = mkdtempSync(join(tmpdir(), 'resoft-bench-cli-'));
  try {
    writeFileSync(join(dir, 'file.py'), '"""A module."""\nimport os\n\n\ndef cwd() -> str:\n    """Where we are."""\n    return os.getcwd()\n');
    const bare: number[] = [];
    const help: number[] = [];
    const check: number[] = [];
    timeProcess([bin, 'check', '--linters', 'ruff', 'file.py'], dir); // warm the disk cache
    for (let run = 0; run < runs; run += 1) {
      bare.push(timeProcess(['-e', ''], dir));
      help.push(timeProcess([bin, '--help'], dir));
      check.push(timeProcess([bin, 'check', '--linters', 'ruff', 'file.py'], dir));
    }
    const m = (values: number[]) => median(values).toFixed(0);
    console.log(`CLI start-up, ${runs} runs each (median, min): node -e "" ${m(bare)} ms (${Math.min(...bare).toFixed(0)}); resoft --help ${m(help)} ms (${Math.min(...help).toFixed(0)}), goal < 300 ms; resoft check --linters ruff file.py ${m(check)} ms (${Math.min(...check).toFixed(0)}), goal < 500 ms; above bare Node: help +${(median(help) - median(bare)).toFixed(0)} ms, check +${(median(check) - median(bare)).toFixed(0)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  cliTimings();
  if (process.env.BENCH_CLI_ONLY === 'true') return;
  const dir = mkdtempSync(join(tmpdir(), 'resoft-bench-checks-'));
  // One user keeps CONCURRENT checks in flight, above the default per-person limit on open checks.
  const config = loadConfig({ RESOFT_CHECK_MAX_OPEN_PER_USER: String(CONCURRENT), ...process.env, PORT: '0', HOST: '127.0.0.1', RESOFT_DATA_DIR: dir, LOG_LEVEL: 'warn', RESOFT_SCRYPT_COST: '1024', RESOFT_CHECK_WAIT_MS: '600000' });
  const server = await startAllInOne(config);
  const api = new ApiClient(`http://127.0.0.1:${server.port}`);
  try {
    console.log(`checks benchmark ${new Date().toISOString()} · ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${config.checks.workers} check workers`);
    const user = await api.signUp('bench');
    const projectId = (await api.post('/api/projects', { name: 'Bench' }, user.accessToken)).body.id as string;
    const check = async (path: string, content: string) => {
      const started = performance.now();
      const answer = await api.post('/api/code-quality/check?wait=true', { projectId, files: [{ path, content }] }, user.accessToken);
      const ms = performance.now() - started;
      if (answer.status !== 200 || answer.body.status !== 'completed') throw new Error(`check did not complete: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      return { ms, check: answer.body.check as { score: number; grade: string; results: Array<{ linter: string; durationMs: number }> } };
    };

    if (process.env.BENCH_SANDBOX_ONLY === 'true') {
      await sandboxCost(config.checks);
      return;
    }

    // Warm up: the first run of each tool pays for loading it (ESLint's configuration, Python imports from a cold disk cache).
    await check('warm.py', pythonFile(0));
    await check('warm.ts', typescriptFile(0));

    for (const [label, path, make] of [['Python, 200 lines, pylint + mypy + ruff', 'inventory.py', pythonFile], ['TypeScript, 400 lines, ESLint', 'orders.ts', typescriptFile]] as const) {
      const walls: number[] = [];
      const perTool = new Map<string, number[]>();
      let last = { score: 0, grade: '' };
      for (let run = 1; run <= RUNS; run += 1) {
        const { ms, check: result } = await check(path, make(run));
        walls.push(ms);
        last = result;
        for (const r of result.results) perTool.set(r.linter, [...(perTool.get(r.linter) ?? []), r.durationMs]);
      }
      const tools = [...perTool].map(([linter, ms]) => `${linter} ${median(ms)} ms`).join(', ');
      console.log(`${label}: wall (submit → result over HTTP) median ${median(walls).toFixed(0)} ms, min ${Math.min(...walls).toFixed(0)}, max ${Math.max(...walls).toFixed(0)} over ${RUNS} runs; per tool (median) ${tools}; score ${last.score} ${last.grade}`);
    }

    const started = performance.now();
    let next = 0;
    const walls: number[] = [];
    await Promise.all(Array.from({ length: CONCURRENT }, async () => {
      while (next < CONCURRENT_CHECKS) {
        const n = (next += 1);
        walls.push((await check(`batch_${n}.py`, pythonFile(100 + n))).ms);
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    console.log(`${CONCURRENT_CHECKS} Python checks (200 lines, 3 tools each), ${CONCURRENT} in flight: ${seconds.toFixed(1)} s, ${((CONCURRENT_CHECKS / seconds) * 60).toFixed(1)} checks/min; wall per check median ${median(walls).toFixed(0)} ms, max ${Math.max(...walls).toFixed(0)} ms`);

    await sandboxCost(config.checks);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
