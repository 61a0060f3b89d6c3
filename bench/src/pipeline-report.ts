/** How the pipeline benchmark reports: percentiles, the printed table, and the JSON record under `.bench/`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PhaseResult } from './pipeline-measure.js';

export interface ModeResult {
  readonly mode: 'embedded' | 'distributed' | 'distributed-mongo';
  /** `burst`, `paced <rate>/s` or `readers ×<n>`. */
  readonly phase: string;
  readonly result: PhaseResult;
}

/** Nearest-rank percentile of ascending values; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarize({ mode, phase, result }: ModeResult) {
  const { events, seconds, appendSeconds, lagsMs, timedOut } = result;
  return {
    mode,
    phase,
    events,
    appendSeconds: round(appendSeconds, 3),
    seconds: round(seconds, 3),
    appendedPerSecond: Math.round(events / appendSeconds),
    projectedPerSecond: Math.round(events / seconds),
    lagMs: {
      samples: lagsMs.length,
      timedOut,
      p50: round(percentile(lagsMs, 50), 1),
      p90: round(percentile(lagsMs, 90), 1),
      p99: round(percentile(lagsMs, 99), 1),
      max: round(percentile(lagsMs, 100), 1),
    },
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function printTable(rows: readonly ModeResult[]): void {
  const n = (value: number): string => (Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: 1 }) : '-');
  const header = ['mode', 'phase', 'events', 'append s', 'total s', 'appended/s', 'projected/s', 'lag p50 ms', 'lag p99 ms', 'lag max ms', 'samples'];
  const cells = rows.map(summarize).map((s) => [
    s.mode,
    s.phase,
    n(s.events),
    s.appendSeconds.toFixed(2),
    s.seconds.toFixed(2),
    n(s.appendedPerSecond),
    n(s.projectedPerSecond),
    n(s.lagMs.p50),
    n(s.lagMs.p99),
    n(s.lagMs.max),
    s.lagMs.timedOut ? `${s.lagMs.samples} (+${s.lagMs.timedOut} timed out)` : `${s.lagMs.samples}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: readonly string[]): string => values.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

/** Writes `record` to `<repoRoot>/.bench/pipeline-<timestamp>.json`; returns the path. */
export function writeJson(repoRoot: string, startedAt: Date, record: unknown): string {
  const dir = join(repoRoot, '.bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `pipeline-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
