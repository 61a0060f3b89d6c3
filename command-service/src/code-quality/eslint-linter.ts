/**
 * ESLint, run in a pool of worker threads (eslint-worker.ts) so that linting,
 * however dense the file, never holds the server's event loop. Each run is
 * bounded by the check timeout (the worker is then replaced), each worker's
 * heap by the check memory bound, and each file's findings by the per-file
 * cap (counted in full, listed up to the cap).
 */
import { createRequire } from 'node:module';
import { addCounts, languageOfPath, type CheckFile, type Fix, type LinterResult, type Region, type SeverityCounts } from '@resoft/domain';
import { eslintSeverity } from './eslint-severity.js';
import { neutraliseEslintConfigComments } from './inline-suppressions.js';
import { sourceTypeOf } from './module-type.js';
import { EslintJobStopped, EslintPool } from './eslint-pool.js';
import { failedResult, okResult, region, type Linter, type LinterAvailability, type LinterBounds, type LinterRunContext, type RawFinding } from './linter.js';

/** The installed ESLint's version, read without loading ESLint in this thread. */
const ESLINT_VERSION: string = (createRequire(import.meta.url)('eslint/package.json') as { version: string }).version;

/** 1-based line and column of a character offset. */
function positionAt(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - lineStarts[low]! + 1 };
}

function rangeRegion(lineStarts: readonly number[], [start, end]: readonly [number, number]): Region {
  const from = positionAt(lineStarts, start);
  const to = positionAt(lineStarts, end);
  return region(from.line, from.column, to.line, to.column);
}

function lineStartsOf(content: string): number[] {
  const starts = [0];
  for (let i = content.indexOf('\n'); i !== -1; i = content.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export class EslintLinter implements Linter {
  readonly name = 'eslint' as const;
  readonly languages = ['javascript', 'typescript'] as const;
  readonly options = [
    'overrideConfigFile: true', 'eslint-disable directives honoured and counted, configuration comments ignored', '@eslint/js recommended',
    'typescript-eslint recommended (TypeScript)', 'source type from the extension and package.json "type"', 'severity from rule meta type/recommended', 'in a worker thread',
  ];
  private readonly pool: EslintPool;

  constructor(options: { workers: number; heapMb: number }) {
    this.pool = new EslintPool({ size: options.workers, heapMb: options.heapMb });
  }

  async availability(): Promise<LinterAvailability> {
    this.pool.warm();
    return { available: true, version: ESLINT_VERSION, reason: null };
  }

  /** Stops the workers (the engine's owner calls this on shutdown). */
  close(): Promise<void> {
    return this.pool.close();
  }

  async run(files: readonly CheckFile[], bounds: LinterBounds, context: LinterRunContext = {}): Promise<LinterResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const linted = files.filter((f) => !f.context && (languageOfPath(f.path) === 'javascript' || languageOfPath(f.path) === 'typescript'));
    try {
      const job = linted.map(({ path, content }) => ({ path, content: neutraliseEslintConfigComments(content), sourceType: sourceTypeOf(path, context.packageTypes ?? {}) }));
      const reply = await this.pool.lint({ files: job, maxPerFile: bounds.maxFindingsPerFile }, bounds.timeoutMs);
      const contentOf = new Map(linted.map((f) => [f.path, f.content]));
      const raw: RawFinding[] = [];
      let counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
      let dropped = 0;
      let suppressed = 0;
      for (const file of reply.files) {
        for (const { kind, count } of file.kinds) counts = addCounts(counts, { error: 0, warning: 0, info: 0, [eslintSeverity(kind)]: count });
        dropped += file.dropped;
        suppressed += file.suppressed;
        const lineStarts = file.messages.some((m) => m.fix) ? lineStartsOf(contentOf.get(file.path) ?? '') : [];
        for (const m of file.messages) {
          const fixes: Fix[] = m.fix ? [{ description: `Fix ${m.ruleId}`, replacements: [{ region: rangeRegion(lineStarts, m.fix.range), insertedText: m.fix.text }] }] : [];
          raw.push({ ruleId: m.ruleId, severity: eslintSeverity(m.kind), message: m.message, path: file.path, region: region(m.line, m.column, m.endLine, m.endColumn), helpUri: m.helpUri, fixes });
        }
      }
      return { ...okResult(this.name, raw, linted, bounds, { version: reply.version, durationMs: elapsed(), counts, droppedEarlier: dropped }), suppressed };
    } catch (error) {
      if (error instanceof EslintJobStopped && error.reason === 'timeout') return failedResult(this.name, 'timeout', error.message, { version: ESLINT_VERSION, durationMs: elapsed() });
      return failedResult(this.name, 'error', `ESLint failed: ${(error as Error).message}`, { version: ESLINT_VERSION, durationMs: elapsed() });
    }
  }
}
