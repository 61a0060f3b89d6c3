/**
 * pylint, mypy and ruff from the project's virtual environment (found by
 * configuration, never on the PATH). Each run gets a fresh temporary
 * directory holding only the submitted Python files and our configuration;
 * every tool is told to read our configuration and nothing else
 * (pylint `--rcfile=<ours> --persistent=n`, mypy `--config-file=<ours>`
 * without an incremental cache, ruff `--isolated`).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CheckFile, LinterName, LinterResult, Severity } from '@resoft/domain';
import { minimalEnv, runBounded, type BoundedOutcome } from './bounded-process.js';
import { failedResult, okResult, region, type Linter, type LinterAvailability, type LinterBounds, type RawFinding } from './linter.js';

const PYLINTRC = `[MAIN]
persistent=no
jobs=1
load-plugins=
fail-under=0
unsafe-load-any-extension=no
extension-pkg-allow-list=

[REPORTS]
evaluation=max(0, 0 if fatal else 10.0 - ((float(5 * error + warning + refactor + convention) / statement) * 10))
`;

const MYPY_INI = `[mypy]
incremental = False
cache_dir = /dev/null
check_untyped_defs = True
ignore_missing_imports = True
follow_imports = silent
show_error_end = True
`;

/** A fresh directory with the files under `src/` and our configuration under `config/`. */
async function workspace(files: readonly CheckFile[], config: Record<string, string>): Promise<{ root: string; src: string; config: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'resoft-check-'));
  const src = path.join(root, 'src');
  const configDir = path.join(root, 'config');
  await mkdir(configDir);
  for (const [name, text] of Object.entries(config)) await writeFile(path.join(configDir, name), text);
  for (const file of files) {
    const target = path.join(src, file.path);
    // Paths were checked when the check was requested; this guards the write itself.
    if (!target.startsWith(src + path.sep)) throw new Error(`unsafe path ${file.path}`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
  return { root, src, config: configDir };
}

interface PythonTool {
  readonly name: LinterName;
  readonly options: readonly string[];
  readonly config: Record<string, string>;
  args(files: readonly string[], configDir: string): string[];
  /** Reads the tool's machine output; the paths in it are relative to the source directory. */
  parse(outcome: BoundedOutcome, src: string): { raw: RawFinding[]; nativeScore: number | null } | { error: string };
}

const relative = (src: string, file: string): string => (path.isAbsolute(file) ? path.relative(src, file) : file).split(path.sep).join('/');

const PYLINT_SEVERITY: Record<string, Severity> = { fatal: 'error', error: 'error', warning: 'warning', refactor: 'info', convention: 'info', info: 'info' };

const pylint: PythonTool = {
  name: 'pylint',
  options: ['--rcfile=<ours>', '--persistent=n', '--output-format=json2', 'default message set'],
  config: { pylintrc: PYLINTRC },
  args: (files, configDir) => ['--rcfile', path.join(configDir, 'pylintrc'), '--persistent=n', '--output-format=json2', '--jobs=1', '--', ...files],
  parse(outcome, src) {
    let doc: { messages?: Array<Record<string, unknown>>; statistics?: { score?: number } };
    try {
      doc = JSON.parse(outcome.stdout);
    } catch {
      return { error: `pylint gave no readable report (exit ${outcome.exitCode}): ${outcome.stderr.slice(0, 500)}` };
    }
    const raw = (doc.messages ?? []).map((m): RawFinding => ({
      ruleId: `${String(m.messageId)}/${String(m.symbol)}`,
      severity: PYLINT_SEVERITY[String(m.type)] ?? 'info',
      message: String(m.message),
      path: relative(src, String(m.path)),
      region: region(Number(m.line), Number(m.column) + 1, m.endLine as number | null, m.endColumn === null || m.endColumn === undefined ? null : Number(m.endColumn) + 1),
      helpUri: `https://pylint.readthedocs.io/en/stable/user_guide/messages/${String(m.type)}/${String(m.symbol)}.html`,
      fixes: [],
    }));
    const score = doc.statistics?.score;
    return { raw, nativeScore: typeof score === 'number' ? score : null };
  },
};

const mypy: PythonTool = {
  name: 'mypy',
  options: ['--config-file=<ours>', '--no-incremental', 'check_untyped_defs', 'ignore_missing_imports'],
  config: { 'mypy.ini': MYPY_INI },
  args: (files, configDir) => ['--config-file', path.join(configDir, 'mypy.ini'), '--no-incremental', '--cache-dir=/dev/null', '--output', 'json', '--no-error-summary', '--explicit-package-bases', '--', ...files],
  parse(outcome, src) {
    if (outcome.exitCode !== 0 && outcome.exitCode !== 1 && !outcome.outputCapped) {
      return { error: `mypy stopped (exit ${outcome.exitCode}): ${(outcome.stderr || outcome.stdout).slice(0, 500)}` };
    }
    const raw: RawFinding[] = [];
    for (const line of outcome.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(line);
      } catch {
        continue; // the last line of a capped output
      }
      const code = typeof m.code === 'string' ? m.code : 'misc';
      raw.push({
        ruleId: code,
        severity: m.severity === 'error' ? 'error' : 'info',
        message: String(m.message) + (typeof m.hint === 'string' && m.hint ? ` (${m.hint})` : ''),
        path: relative(src, String(m.file)),
        region: region(Number(m.line), Number(m.column) + 1, m.end_line as number | null, typeof m.end_column === 'number' ? m.end_column + 1 : null),
        helpUri: `https://mypy.readthedocs.io/en/stable/error_code_list.html#code-${code}`,
        fixes: [],
      });
    }
    return { raw, nativeScore: null };
  },
};

/** Syntax errors and undefined names are errors; other pyflakes and E7 findings warnings; style the rest. */
export function ruffSeverity(code: string | null): Severity {
  if (code === null || code.startsWith('E9') || ['F821', 'F822', 'F823'].includes(code)) return 'error';
  if (code.startsWith('F') || code.startsWith('E7') || code.startsWith('B')) return 'warning';
  return 'info';
}

const ruff: PythonTool = {
  name: 'ruff',
  options: ['check', '--isolated', '--no-cache', 'default rule set (E4, E7, E9, F)'],
  config: {},
  args: (files) => ['check', '--isolated', '--no-cache', '--exit-zero', '--output-format=json-lines', '--', ...files],
  parse(outcome, src) {
    if (outcome.exitCode !== 0 && !outcome.outputCapped) return { error: `ruff stopped (exit ${outcome.exitCode}): ${outcome.stderr.slice(0, 500)}` };
    const raw: RawFinding[] = [];
    for (const line of outcome.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      let m: { code: string | null; message: string; filename: string; url?: string | null; location: { row: number; column: number }; end_location?: { row: number; column: number }; fix?: { message: string | null; edits: Array<{ content: string; location: { row: number; column: number }; end_location: { row: number; column: number } }> } | null };
      try {
        m = JSON.parse(line);
      } catch {
        continue;
      }
      raw.push({
        ruleId: m.code ?? 'syntax-error',
        severity: ruffSeverity(m.code),
        message: m.message,
        path: relative(src, m.filename),
        region: region(m.location.row, m.location.column, m.end_location?.row, m.end_location?.column),
        helpUri: m.url ?? null,
        fixes: m.fix
          ? [{ description: m.fix.message ?? 'Apply the fix', replacements: m.fix.edits.map((e) => ({ region: region(e.location.row, e.location.column, e.end_location.row, e.end_location.column), insertedText: e.content })) }]
          : [],
      });
    }
    return { raw, nativeScore: null };
  },
};

class PythonLinter implements Linter {
  readonly languages = ['python'] as const;
  private probed: Promise<LinterAvailability> | null = null;

  constructor(private readonly tool: PythonTool, private readonly toolsDir: string) {}

  get name(): LinterName {
    return this.tool.name;
  }

  get options(): readonly string[] {
    return this.tool.options;
  }

  private get executable(): string {
    return path.join(this.toolsDir, 'bin', this.tool.name);
  }

  availability(): Promise<LinterAvailability> {
    return (this.probed ??= (async () => {
      if (!existsSync(this.executable)) {
        return { available: false, version: null, reason: `${this.tool.name} is not installed in ${this.toolsDir} (run \`npm install\` with Python 3.10+ available)` };
      }
      const home = await mkdtemp(path.join(os.tmpdir(), 'resoft-probe-'));
      try {
        const outcome = await runBounded({ command: this.executable, args: ['--version'], cwd: home, env: minimalEnv(home), timeoutMs: 30_000, outputBytes: 64 * 1024, memoryBytes: 1024 * 1024 * 1024 });
        const version = /(\d+\.\d+(\.\d+)?)/.exec(outcome.stdout)?.[1] ?? null;
        if (outcome.exitCode !== 0 || !version) return { available: false, version: null, reason: `${this.tool.name} --version failed: ${(outcome.spawnError ?? outcome.stderr).slice(0, 300)}` };
        return { available: true, version, reason: null };
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    })());
  }

  async run(files: readonly CheckFile[], bounds: LinterBounds): Promise<LinterResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const { available, version, reason } = await this.availability();
    if (!available) return failedResult(this.name, 'unavailable', reason ?? 'unavailable', { version, durationMs: elapsed() });
    const dir = await workspace(files, this.tool.config);
    try {
      const outcome = await runBounded({
        command: this.executable, args: this.tool.args(files.map((f) => f.path), dir.config), cwd: dir.src,
        env: minimalEnv(dir.root, { PYTHONDONTWRITEBYTECODE: '1', PYTHONNOUSERSITE: '1', PYTHONSAFEPATH: '1' }),
        timeoutMs: bounds.timeoutMs, outputBytes: bounds.outputBytes, memoryBytes: bounds.memoryBytes,
      });
      const took = { version, durationMs: elapsed(), outputCapped: outcome.outputCapped };
      if (outcome.spawnError) return failedResult(this.name, 'error', `could not start ${this.name}: ${outcome.spawnError}`, took);
      if (outcome.timedOut) return failedResult(this.name, 'timeout', `${this.name} did not finish within ${bounds.timeoutMs} ms and was stopped`, took);
      const parsed = this.tool.parse(outcome, dir.src);
      if ('error' in parsed) {
        const why = outcome.outputCapped ? `${this.name} wrote more than ${bounds.outputBytes} bytes and was stopped` : parsed.error;
        return failedResult(this.name, 'error', why, took);
      }
      return okResult(this.name, parsed.raw, files, bounds, { ...took, nativeScore: outcome.outputCapped ? null : parsed.nativeScore });
    } finally {
      await rm(dir.root, { recursive: true, force: true });
    }
  }
}

export const pythonLinters = (toolsDir: string): Linter[] => [pylint, mypy, ruff].map((tool) => new PythonLinter(tool, toolsDir));
