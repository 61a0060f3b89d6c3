/**
 * Runs the linters of a check concurrently over its files and reports each
 * one's result as it finishes. Used by the check runner (inside the command
 * service) and by `resoft check` (on the command line), so both lint alike.
 */
import { inSpan, type OpenSpan } from '@resoft/infra';
import { type CheckConfig } from '../command-service-config.js';
import { languagesOfLinter, type CheckFile, type Language, type LinterName, type LinterResult } from '@resoft/domain';
import { memoryBoundAvailable } from './bounded-process.js';
import { EslintLinter } from './eslint-linter.js';
import { failedResult, type Linter, type LinterBounds, type LinterInfo, type LinterRunContext } from './linter.js';
import { pythonLinters } from './python-linters.js';
import { mergeEquivalentFindings } from './rule-equivalence.js';
import { ToolSandbox, type SandboxStatus } from './tool-sandbox.js';

export type EngineConfig = Pick<CheckConfig, 'pythonToolsDir' | 'timeoutMs' | 'memoryMb' | 'outputBytes' | 'maxFindingsPerFile'>
  & Partial<Pick<CheckConfig, 'sandboxPath' | 'allowUnsandboxed' | 'maxProcesses' | 'workers'>>;

/** The sandbox settings' defaults, for engines built without the full configuration (tests). */
export const SANDBOX_DEFAULTS = { sandboxPath: '/usr/bin/bwrap', allowUnsandboxed: false, maxProcesses: 256 } as const;

export class CheckEngine {
  private readonly linters: ReadonlyMap<LinterName, Linter>;
  readonly bounds: LinterBounds;
  readonly sandbox: ToolSandbox;

  constructor(config: EngineConfig, linters?: readonly Linter[]) {
    this.sandbox = new ToolSandbox({
      bwrapPath: config.sandboxPath ?? SANDBOX_DEFAULTS.sandboxPath, allowUnsandboxed: config.allowUnsandboxed ?? SANDBOX_DEFAULTS.allowUnsandboxed,
      toolsDir: config.pythonToolsDir, maxProcesses: config.maxProcesses ?? SANDBOX_DEFAULTS.maxProcesses,
    });
    // One ESLint worker per check that may run at once; its heap bound follows the check memory bound,
    // within what a worker thread can sensibly use.
    const all = linters ?? [
      ...pythonLinters(config.pythonToolsDir, this.sandbox),
      new EslintLinter({ workers: Math.max(1, config.workers ?? 1), heapMb: Math.min(2048, Math.max(128, config.memoryMb)) }),
    ];
    this.linters = new Map(all.map((linter) => [linter.name, linter]));
    this.bounds = { timeoutMs: config.timeoutMs, memoryBytes: config.memoryMb * 1024 * 1024, outputBytes: config.outputBytes, maxFindingsPerFile: config.maxFindingsPerFile };
  }

  /** Every linter with its availability and version, for `GET /api/code-quality/linters`. */
  async inventory(): Promise<LinterInfo[]> {
    // Availability first: a probe may learn how the tool really runs (ruff's rule selection).
    return Promise.all([...this.linters.values()].map(async (linter) => {
      const availability = await linter.availability();
      return { name: linter.name, languages: linter.languages, options: linter.options, ...availability };
    }));
  }

  get memoryBounded(): boolean {
    return memoryBoundAvailable();
  }

  /** Stops what the linters keep running between checks (ESLint's workers). */
  async close(): Promise<void> {
    await Promise.all([...this.linters.values()].map((linter) => (linter as { close?: () => Promise<void> }).close?.()));
  }

  /** How Python checks are isolated here, for `GET /api/code-quality/health`. */
  isolation(): Promise<SandboxStatus> {
    return this.sandbox.status();
  }

  /** Starts the linters' slow parts (ESLint's configuration, version probes, the sandbox probe) before the first check needs them. */
  async warmUp(): Promise<void> {
    await Promise.all([this.inventory(), this.sandbox.status()]);
  }

  /**
   * Runs the linters; each result goes to `onResult` once it can no longer change: ESLint's at once, the Python
   * linters' together when all of them finished, after findings they share were merged (rule-equivalence.ts).
   * Files marked `context` are the project tree the linters see; only the others are checked.
   */
  async run(
    files: readonly (CheckFile & { language: Language })[], linters: readonly LinterName[],
    onResult: (result: LinterResult) => Promise<void> | void = () => undefined, context: LinterRunContext = {}, trace?: OpenSpan,
  ): Promise<LinterResult[]> {
    const runOne = async (name: LinterName): Promise<LinterResult> => {
      const linter = this.linters.get(name);
      const own = files.filter((f) => languagesOfLinter(name).includes(f.language));
      return linter
        ? inSpan(`linter ${name}`, { parent: trace, attributes: () => ({ 'resoft.linter': name, 'resoft.files': own.length }) }, () => linter.run(own, this.bounds, context)).catch((error: Error) => failedResult(name, 'error', `${name} failed: ${error.message}`, { version: null, durationMs: 0 }))
        : failedResult(name, 'unavailable', `${name} is not configured here`, { version: null, durationMs: 0 });
    };
    const merging = linters.filter((name) => name !== 'eslint');
    const alone = linters.filter((name) => name === 'eslint');
    const [merged, single] = await Promise.all([
      (async () => {
        const results = mergeEquivalentFindings(await Promise.all(merging.map(runOne)));
        for (const result of results) await onResult(result);
        return results;
      })(),
      Promise.all(alone.map(async (name) => {
        const result = await runOne(name);
        await onResult(result);
        return result;
      })),
    ]);
    return linters.map((name) => [...merged, ...single].find((r) => r.linter === name)!);
  }
}
