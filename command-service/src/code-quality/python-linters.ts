/**
 * pylint, mypy and ruff from the project's virtual environment (found by
 * configuration, never on the PATH), each run in the tool sandbox. Each run
 * gets a fresh temporary directory holding only the submitted Python files
 * and our configuration; every tool is told to read our configuration and
 * nothing else (pylint `--rcfile=<ours> --persistent=n`, mypy
 * `--config-file=<ours>` without an incremental cache, ruff `--isolated`).
 * Files are passed as `./path` after `--`, so no file name is ever read as an
 * option or an argument file; pylint's real imports skip the submitted
 * folders (see import-guard.ts).
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CheckFile, LinterName, LinterResult, Severity } from '@resoft/domain';
import { minimalEnv, runBounded, type BoundedOutcome } from './bounded-process.js';
import { IMPORT_GUARD, IMPORT_GUARD_FILE, importGuardHook } from './import-guard.js';
import { failedResult, okResult, region, type Linter, type LinterAvailability, type LinterBounds, type RawFinding } from './linter.js';
import { ToolSandbox } from './tool-sandbox.js';

const pylintrc = (seen: { src: string; config: string }): string => `[MAIN]
init-hook=${importGuardHook(seen.config, seen.src)}
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

/**
 * A fresh directory with the files under `src/` and our configuration under
 * `config/`, readable by the sandbox's user (the root stays private to us).
 */
async function workspace(files: readonly CheckFile[]): Promise<{ root: string; src: string; config: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'resoft-check-'));
  const src = path.join(root, 'src');
  const configDir = path.join(root, 'config');
  const dirs = new Set([configDir, src]);
  await mkdir(configDir);
  await mkdir(src);
  for (const file of files) {
    const target = path.join(src, file.path);
    // Paths were checked when the check was requested; this guards the write itself.
    if (!target.startsWith(src + path.sep)) throw new Error(`unsafe path ${file.path}`);
    await mkdir(path.dirname(target), { recursive: true });
    for (let dir = path.dirname(target); dir !== src; dir = path.dirname(dir)) dirs.add(dir);
    await writeFile(target, file.content);
    await chmod(target, 0o644);
  }
  // Explicit modes, whatever the umask: the sandbox's user must read what it lints.
  for (const dir of dirs) await chmod(dir, 0o755);
  return { root, src, config: configDir };
}

async function writeConfig(dir: string, config: Readonly<Record<string, string>>): Promise<void> {
  for (const [name, text] of Object.entries(config)) {
    await writeFile(path.join(dir, name), text);
    await chmod(path.join(dir, name), 0o644);
  }
}

interface PythonTool {
  readonly name: LinterName;
  readonly options: readonly string[];
  /** Our configuration files, given where the tool sees the sources and the configuration. */
  config(seen: { src: string; config: string }): Record<string, string>;
  args(files: readonly string[], configDir: string): string[];
  /** Reads the tool's machine output; the paths in it are relative to the source directory. */
  parse(outcome: BoundedOutcome, src: string): { raw: RawFinding[]; nativeScore: number | null } | { error: string };
}

/** A reported path as the user submitted it: relative to the sources, without the `./` we passed it with. */
const relative = (src: string, file: string): string => (path.isAbsolute(file) ? path.relative(src, file) : path.normalize(file)).split(path.sep).join('/');

/** `./path`: a file name like `--rcfile.py` or `@list.py` can never look like an option or an argument file. */
const asFileArgument = (file: string): string => `./${file}`;

const PYLINT_SEVERITY: Record<string, Severity> = { fatal: 'error', error: 'error', warning: 'warning', refactor: 'info', convention: 'info', info: 'info' };

const pylint: PythonTool = {
  name: 'pylint',
  options: ['--rcfile=<ours>', '--persistent=n', '--output-format=json2', 'default message set'],
  config: (seen) => ({ pylintrc: pylintrc(seen), [IMPORT_GUARD_FILE]: IMPORT_GUARD }),
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
  config: () => ({ 'mypy.ini': MYPY_INI }),
  args: (files, configDir) => ['--config-file', path.join(configDir, 'mypy.ini'), '--no-incremental', '--cache-dir=/dev/null', '--output', 'json', '--no-error-summary', '--explicit-package-bases', '--', ...files],
  parse(outcome, src) {
    // Exit 2 with a report is a file mypy could not parse (its syntax error is the finding); without one, mypy itself failed.
    const reported = outcome.stdout.startsWith('{');
    if (outcome.exitCode !== 0 && outcome.exitCode !== 1 && !(outcome.exitCode === 2 && reported) && !outcome.outputCapped) {
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
  config: () => ({}),
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

/** Why a run ended without a readable report, from how the process ended. */
function stoppedReason(name: LinterName, outcome: BoundedOutcome, bounds: LinterBounds, parseError: string): string {
  if (outcome.outputCapped) return `${name} wrote more than ${bounds.outputBytes} bytes and was stopped`;
  if (outcome.signal) return `${name} was killed (${outcome.signal}): it reached a CPU-time, memory or process limit`;
  return parseError;
}

class PythonLinter implements Linter {
  readonly languages = ['python'] as const;
  private probed: Promise<LinterAvailability> | null = null;

  constructor(private readonly tool: PythonTool, private readonly toolsDir: string, private readonly sandbox: ToolSandbox) {}

  get name(): LinterName {
    return this.tool.name;
  }

  get options(): readonly string[] {
    return this.tool.options;
  }

  private get executable(): string {
    return path.join(this.toolsDir, 'bin', this.tool.name);
  }

  /** Whether the tool is installed (its `--version`, which reads no submitted input); the sandbox is reported apart. */
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
    const sandbox = await this.sandbox.status();
    if (sandbox.isolation === 'unavailable') {
      return failedResult(this.name, 'unavailable', `unavailable: no sandbox (${sandbox.reason ?? 'unknown'}); Python checks are not run without one`, { version, durationMs: elapsed() });
    }
    const dir = await workspace(files);
    try {
      const seen = ToolSandbox.visiblePaths(sandbox, dir);
      await writeConfig(dir.config, this.tool.config(seen));
      const outcome = await this.sandbox.runTool({
        executable: this.executable, args: this.tool.args(files.map((f) => asFileArgument(f.path)), seen.config), srcDir: dir.src, configDir: dir.config,
        extraEnv: { PYTHONDONTWRITEBYTECODE: '1', PYTHONNOUSERSITE: '1', PYTHONSAFEPATH: '1' },
        timeoutMs: bounds.timeoutMs, outputBytes: bounds.outputBytes, memoryBytes: bounds.memoryBytes,
      });
      if (!outcome) return failedResult(this.name, 'unavailable', 'unavailable: no sandbox', { version, durationMs: elapsed() });
      const took = { version, durationMs: elapsed(), outputCapped: outcome.outputCapped };
      if (outcome.spawnError) return failedResult(this.name, 'error', `could not start ${this.name}: ${outcome.spawnError}`, took);
      if (outcome.timedOut) return failedResult(this.name, 'timeout', `${this.name} did not finish within ${bounds.timeoutMs} ms and was stopped`, took);
      const parsed = this.tool.parse(outcome, seen.src);
      if ('error' in parsed) return failedResult(this.name, 'error', stoppedReason(this.name, outcome, bounds, parsed.error), took);
      return okResult(this.name, parsed.raw, files, bounds, { ...took, nativeScore: outcome.outputCapped ? null : parsed.nativeScore });
    } finally {
      await rm(dir.root, { recursive: true, force: true });
    }
  }
}

export const pythonLinters = (toolsDir: string, sandbox: ToolSandbox): Linter[] => [pylint, mypy, ruff].map((tool) => new PythonLinter(tool, toolsDir, sandbox));
