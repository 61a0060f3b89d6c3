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
 *
 * A check sees its project: the workspace holds every file of the tree that
 * came with the check (context files too, see CheckFile.context), so
 * relative imports resolve and cross-module findings appear, while the tools
 * are given, and report on, the requested files only. A folder whose files
 * use relative imports gets an empty `__init__.py` when it has none. A
 * module that cannot be imported because it is not installed here is listed
 * once in the result (`notInstalled`, with whether the requirements declare
 * it), never weighed as a finding. Severities come from each tool's catalogue
 * (ruff-catalogue.ts, mypy-severity.ts, pylint's message categories);
 * suppressions follow inline-suppressions.ts.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CheckFile, LinterName, LinterResult, NotInstalledModule, Severity } from '@resoft/domain';
import { isDeclared, type DeclaredRequirements } from './declared-requirements.js';
import { minimalEnv, runBounded, type BoundedOutcome } from './bounded-process.js';
import { IMPORT_GUARD, IMPORT_GUARD_FILE, importGuardHook } from './import-guard.js';
import {
  firstCodeLine, mypySuppressed, neutraliseMypySwitches, neutralisePylintSwitches, ruffSuppressed,
} from './inline-suppressions.js';
import { failedResult, okResult, region, type Linter, type LinterAvailability, type LinterBounds, type LinterRunContext, type RawFinding } from './linter.js';
import { mypySeverity } from './mypy-severity.js';
import { parseRuffCatalogue, parseRuffSelection, ruffSeverity, type RuffRuleEntry, type RuffSelection } from './ruff-catalogue.js';
import { readCachedRuffCatalogue, writeCachedRuffCatalogue } from './ruff-catalogue-cache.js';
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
async function workspace(files: readonly CheckFile[], prepare: (content: string) => string): Promise<{ root: string; src: string; config: string }> {
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
    await writeFile(target, prepare(file.content));
    await chmod(target, 0o644);
  }
  for (const init of missingPackageMarkers(files)) {
    const target = path.join(src, init);
    await writeFile(target, '');
    await chmod(target, 0o644);
  }
  // Explicit modes, whatever the umask: the sandbox's user must read what it lints.
  for (const dir of dirs) await chmod(dir, 0o755);
  return { root, src, config: configDir };
}

const RELATIVE_IMPORT = /^\s*from\s+(\.+)/gm;
const PACKAGE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The `__init__.py` files to add so that relative imports resolve, where the tree has none: `from .x` needs the
 * file's folder to be a package, `from ..x` its parent too, and so on — no higher (a `src/__init__.py` would
 * break a src layout's absolute imports), and never a folder whose name is not a package name.
 */
export function missingPackageMarkers(files: readonly Pick<CheckFile, 'path' | 'content'>[]): string[] {
  const present = new Set(files.map((f) => f.path));
  const wanted = new Set<string>();
  for (const file of files) {
    if (!file.path.endsWith('.py')) continue;
    const levels = Math.max(0, ...[...file.content.matchAll(RELATIVE_IMPORT)].map((m) => m[1]!.length));
    let dir = path.posix.dirname(file.path);
    for (let level = 0; level < levels && dir !== '.' && PACKAGE_NAME.test(path.posix.basename(dir)); level += 1, dir = path.posix.dirname(dir)) {
      wanted.add(`${dir}/__init__.py`);
    }
  }
  return [...wanted].filter((init) => !present.has(init)).sort();
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
  /** The text the tool reads for a submitted file (inline-suppressions.ts: switches it must not honour are neutralised). */
  prepare(content: string): string;
  /** Reads the tool's machine output; the paths in it are relative to the source directory. */
  parse(outcome: BoundedOutcome, src: string, catalogue: ToolCatalogue): Parsed | { error: string };
}

interface Parsed {
  raw: RawFinding[];
  nativeScore: number | null;
  /** Findings suppressed by the tool itself (pylint's suppressed-message). */
  suppressed: number;
}

/** What a tool's probe learned of its rules (ruff's catalogue and selection). */
interface ToolCatalogue {
  readonly ruffRules?: ReadonlyMap<string, RuffRuleEntry>;
  readonly ruffSelection?: RuffSelection;
}

/** A reported path as the user submitted it: relative to the sources, without the `./` we passed it with. */
const relative = (src: string, file: string): string => (path.isAbsolute(file) ? path.relative(src, file) : path.normalize(file)).split(path.sep).join('/');

/** `./path`: a file name like `--rcfile.py` or `@list.py` can never look like an option or an argument file. */
const asFileArgument = (file: string): string => `./${file}`;

const PYLINT_SEVERITY: Record<string, Severity> = { fatal: 'error', error: 'error', warning: 'warning', refactor: 'info', convention: 'info', info: 'info' };

const pylint: PythonTool = {
  name: 'pylint',
  options: ['--rcfile=<ours>', '--persistent=n', '--output-format=json2', 'default message set', 'suppressed messages counted (I0020)'],
  config: (seen) => ({ pylintrc: pylintrc(seen), [IMPORT_GUARD_FILE]: IMPORT_GUARD }),
  args: (files, configDir) => ['--rcfile', path.join(configDir, 'pylintrc'), '--persistent=n', '--output-format=json2', '--jobs=1', '--enable=suppressed-message', '--', ...files],
  prepare: neutralisePylintSwitches,
  parse(outcome, src) {
    let doc: { messages?: Array<Record<string, unknown>>; statistics?: { score?: number } };
    try {
      doc = JSON.parse(outcome.stdout);
    } catch {
      return { error: `pylint gave no readable report (exit ${outcome.exitCode}): ${outcome.stderr.slice(0, 500)}` };
    }
    const messages = doc.messages ?? [];
    // I0020 is pylint saying it honoured a disable comment: counted, not listed.
    const suppressed = messages.filter((m) => m.messageId === 'I0020').length;
    const raw = messages.filter((m) => m.messageId !== 'I0020').map((m): RawFinding => ({
      ruleId: `${String(m.messageId)}/${String(m.symbol)}`,
      severity: PYLINT_SEVERITY[String(m.type)] ?? 'info',
      message: String(m.message),
      path: relative(src, String(m.path)),
      region: region(Number(m.line), Number(m.column) + 1, m.endLine as number | null, m.endColumn === null || m.endColumn === undefined ? null : Number(m.endColumn) + 1),
      helpUri: `https://pylint.readthedocs.io/en/stable/user_guide/messages/${String(m.type)}/${String(m.symbol)}.html`,
      fixes: [],
    }));
    const score = doc.statistics?.score;
    return { raw, nativeScore: typeof score === 'number' ? score : null, suppressed };
  },
};

const mypy: PythonTool = {
  name: 'mypy',
  options: ['--config-file=<ours>', '--no-incremental', 'check_untyped_defs', 'ignore_missing_imports', 'type: ignore applied per line by us'],
  config: () => ({ 'mypy.ini': MYPY_INI }),
  prepare: neutraliseMypySwitches,
  args: (files, configDir) => ['--config-file', path.join(configDir, 'mypy.ini'), '--no-incremental', '--cache-dir=/dev/null', '--output', 'json', '--no-error-summary', '--explicit-package-bases', '--', ...files],
  parse(outcome, src) {
    if (outcome.exitCode !== 0 && outcome.exitCode !== 1 && outcome.exitCode !== 2 && !outcome.outputCapped) {
      return { error: `mypy stopped (exit ${outcome.exitCode}): ${(outcome.stderr || outcome.stdout).slice(0, 500)}` };
    }
    const raw: RawFinding[] = [];
    const blocking: string[] = [];
    for (const line of outcome.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(line);
      } catch {
        continue; // the last line of a capped output
      }
      const code = typeof m.code === 'string' ? m.code : 'misc';
      if (outcome.exitCode === 2) blocking.push(`${relative(src, String(m.file))}:${String(m.line)}: ${String(m.message)}`);
      raw.push({
        ruleId: code,
        severity: mypySeverity(typeof m.code === 'string' ? m.code : null, String(m.severity)),
        message: String(m.message) + (typeof m.hint === 'string' && m.hint ? ` (${m.hint})` : ''),
        path: relative(src, String(m.file)),
        region: region(Number(m.line), Number(m.column) + 1, m.end_line as number | null, typeof m.end_column === 'number' ? m.end_column + 1 : null),
        helpUri: `https://mypy.readthedocs.io/en/stable/error_code_list.html#code-${code}`,
        fixes: [],
      });
    }
    // Exit 2 is a blocking error: mypy stopped before type-checking. A syntax error is a finding of the file
    // (pylint and ruff report it too); anything else (a relative import with no parent package, a duplicate
    // module) means mypy did not check the code: the run is not ok, and says why.
    if (outcome.exitCode === 2 && !outcome.outputCapped && !(raw.length > 0 && raw.every((f) => f.ruleId === 'syntax'))) {
      return { error: `mypy stopped before type-checking (exit 2): ${(blocking.join('; ') || outcome.stderr).slice(0, 800)}` };
    }
    return { raw, nativeScore: null, suppressed: 0 };
  },
};

const ruff: PythonTool = {
  name: 'ruff',
  options: ['check', '--isolated', '--no-cache', '--ignore-noqa (# noqa applied per line by us)', "ruff's default rule selection"],
  config: () => ({}),
  args: (files) => ['check', '--isolated', '--no-cache', '--exit-zero', '--ignore-noqa', '--output-format=json-lines', '--', ...files],
  prepare: (content) => content,
  parse(outcome, src, catalogue) {
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
        severity: ruffSeverity(m.code, m.code ? catalogue.ruffRules?.get(m.code) : undefined),
        message: m.message,
        path: relative(src, m.filename),
        region: region(m.location.row, m.location.column, m.end_location?.row, m.end_location?.column),
        helpUri: m.url ?? null,
        fixes: m.fix
          ? [{ description: m.fix.message ?? 'Apply the fix', replacements: m.fix.edits.map((e) => ({ region: region(e.location.row, e.location.column, e.end_location.row, e.end_location.column), insertedText: e.content })) }]
          : [],
      });
    }
    return { raw, nativeScore: null, suppressed: 0 };
  },
};

/** Why a run ended without a readable report, from how the process ended. */
function stoppedReason(name: LinterName, outcome: BoundedOutcome, bounds: LinterBounds, parseError: string): string {
  if (outcome.outputCapped) return `${name} wrote more than ${bounds.outputBytes} bytes and was stopped`;
  if (outcome.signal) return `${name} was killed (${outcome.signal}): it reached a CPU-time, memory or process limit`;
  return parseError;
}

/** Probes that read no submitted input, run directly with a minimal environment in a scratch folder. */
async function probe(executable: string, args: readonly string[], files: Readonly<Record<string, string>> = {}): Promise<BoundedOutcome> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'resoft-probe-'));
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(home, name), content);
    return await runBounded({ command: executable, args: [...args], cwd: home, env: minimalEnv(home), timeoutMs: 30_000, outputBytes: 16 * 1024 * 1024, memoryBytes: 1024 * 1024 * 1024 });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** pylint's "Unable to import 'a.b'" → a. */
const unresolvedModule = (message: string): string | null => /Unable to import '([^'.]+)/.exec(message)?.[1] ?? null;

/** The top-level names the submitted tree itself provides (its packages and modules). */
function treeModules(files: readonly CheckFile[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    for (const part of file.path.split('/')) names.add(part.replace(/\.pyi?$/, ''));
  }
  return names;
}

/**
 * pylint's import errors for modules the tree does not provide: the module is not installed where the
 * check runs. They leave the findings (and the score) and are listed once each in `notInstalled`.
 */
function splitNotInstalled(raw: readonly RawFinding[], files: readonly CheckFile[], requirements: DeclaredRequirements | null): { kept: RawFinding[]; notInstalled: NotInstalledModule[] } {
  const local = treeModules(files);
  const missing = new Map<string, NotInstalledModule>();
  const kept = raw.filter((finding) => {
    if (!finding.ruleId.startsWith('E0401/')) return true;
    const module = unresolvedModule(finding.message);
    if (!module || local.has(module)) return true;
    missing.set(module, { module, declared: requirements ? isDeclared(module, requirements) : null });
    return false;
  });
  return { kept, notInstalled: [...missing.values()].sort((a, b) => a.module.localeCompare(b.module)) };
}

/** Drops findings a line's `# noqa` (ruff) or `# type: ignore` (mypy) suppresses; returns how many. */
function applyLineSuppressions(tool: LinterName, raw: readonly RawFinding[], files: readonly CheckFile[]): { kept: RawFinding[]; suppressed: number } {
  if (tool === 'pylint') return { kept: [...raw], suppressed: 0 };
  const linesOf = new Map(files.map((f) => [f.path, { lines: f.content.split('\n'), first: firstCodeLine(f.content) }]));
  const kept = raw.filter((finding) => {
    const file = linesOf.get(finding.path);
    const line = file?.lines[finding.region.startLine - 1] ?? '';
    const code = finding.ruleId === 'syntax-error' ? null : finding.ruleId;
    return tool === 'ruff' ? !ruffSuppressed(code, line) : !mypySuppressed(code, line, finding.region.startLine, file?.first ?? 1);
  });
  return { kept, suppressed: raw.length - kept.length };
}

class PythonLinter implements Linter {
  readonly languages = ['python'] as const;
  private probed: Promise<LinterAvailability> | null = null;
  private catalogue: ToolCatalogue = {};

  constructor(private readonly tool: PythonTool, private readonly toolsDir: string, private readonly sandbox: ToolSandbox) {}

  get name(): LinterName {
    return this.tool.name;
  }

  /** How it runs; for ruff, once probed, the rule selection it really runs. */
  get options(): readonly string[] {
    const selection = this.catalogue.ruffSelection;
    if (!selection) return this.tool.options;
    return [...this.tool.options.slice(0, -1), `ruff's default rule selection: ${selection.rules} rules from ${selection.linters.length} linters (${selection.linters.join(', ')})`];
  }

  private get executable(): string {
    return path.join(this.toolsDir, 'bin', this.tool.name);
  }

  /** Whether the tool is installed (its `--version`, which reads no submitted input); ruff's catalogue too. The sandbox is reported apart. */
  availability(): Promise<LinterAvailability> {
    return (this.probed ??= (async () => {
      if (!existsSync(this.executable)) {
        return { available: false, version: null, reason: `${this.tool.name} is not installed in ${this.toolsDir} (run \`npm install\` with Python 3.10+ available)` };
      }
      const outcome = await probe(this.executable, ['--version']);
      const version = /(\d+\.\d+(\.\d+)?)/.exec(outcome.stdout)?.[1] ?? null;
      if (outcome.exitCode !== 0 || !version) return { available: false, version: null, reason: `${this.tool.name} --version failed: ${(outcome.spawnError ?? outcome.stderr).slice(0, 300)}` };
      if (this.tool.name === 'ruff') await this.readRuffCatalogue(version);
      return { available: true, version, reason: null };
    })());
  }

  /** ruff's rules with their linter and category, and the default selection (`--show-settings` for a file of ours). */
  private async readRuffCatalogue(version: string): Promise<void> {
    const cached = await readCachedRuffCatalogue(this.executable, version);
    if (cached) {
      this.catalogue = { ruffRules: cached.rules, ruffSelection: cached.selection };
      return;
    }
    const [rules, settings] = await Promise.all([
      probe(this.executable, ['rule', '--all', '--output-format', 'json']),
      // --show-settings needs a file to resolve settings for: a one-line module of our own.
      probe(this.executable, ['check', '--isolated', '--no-cache', '--show-settings', 'probe.py'], { 'probe.py': 'VALUE = 1\n' }),
    ]);
    try {
      const ruffRules = parseRuffCatalogue(rules.stdout);
      const ruffSelection = parseRuffSelection(settings.stdout, ruffRules);
      this.catalogue = { ruffRules, ruffSelection };
      if (ruffRules.size > 0 && ruffSelection.rules > 0) await writeCachedRuffCatalogue(this.executable, version, { rules: ruffRules, selection: ruffSelection });
    } catch {
      this.catalogue = {}; // an unreadable catalogue: unknown codes weigh as warnings (ruff-catalogue.ts)
    }
  }

  async run(files: readonly CheckFile[], bounds: LinterBounds, context: LinterRunContext = {}): Promise<LinterResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    // Both probes at once (each is cached after the first run).
    const [{ available, version, reason }, sandbox] = await Promise.all([this.availability(), this.sandbox.status()]);
    if (!available) return failedResult(this.name, 'unavailable', reason ?? 'unavailable', { version, durationMs: elapsed() });
    if (sandbox.isolation === 'unavailable') {
      return failedResult(this.name, 'unavailable', `unavailable: no sandbox (${sandbox.reason ?? 'unknown'}); Python checks are not run without one`, { version, durationMs: elapsed() });
    }
    const requested = files.filter((f) => !f.context);
    const requestedPaths = new Set(requested.map((f) => f.path));
    const dir = await workspace(files, this.tool.prepare);
    try {
      const seen = ToolSandbox.visiblePaths(sandbox, dir);
      await writeConfig(dir.config, this.tool.config(seen));
      const outcome = await this.sandbox.runTool({
        executable: this.executable, args: this.tool.args(requested.map((f) => asFileArgument(f.path)), seen.config), srcDir: dir.src, configDir: dir.config,
        extraEnv: { PYTHONDONTWRITEBYTECODE: '1', PYTHONNOUSERSITE: '1', PYTHONSAFEPATH: '1' },
        timeoutMs: bounds.timeoutMs, outputBytes: bounds.outputBytes, memoryBytes: bounds.memoryBytes,
      });
      if (!outcome) return failedResult(this.name, 'unavailable', 'unavailable: no sandbox', { version, durationMs: elapsed() });
      const took = { version, durationMs: elapsed(), outputCapped: outcome.outputCapped };
      if (outcome.spawnError) return failedResult(this.name, 'error', `could not start ${this.name}: ${outcome.spawnError}`, took);
      if (outcome.timedOut) return failedResult(this.name, 'timeout', `${this.name} did not finish within ${bounds.timeoutMs} ms and was stopped`, took);
      const parsed = this.tool.parse(outcome, seen.src, this.catalogue);
      if ('error' in parsed) return failedResult(this.name, 'error', stoppedReason(this.name, outcome, bounds, parsed.error), took);
      // Findings of the requested files only (a tool may report a context module it had to read).
      const own = parsed.raw.filter((f) => requestedPaths.has(f.path));
      const { kept: resolved, notInstalled } = this.name === 'pylint' ? splitNotInstalled(own, files, context.requirements ?? null) : { kept: own, notInstalled: [] };
      const { kept, suppressed } = applyLineSuppressions(this.name, resolved, requested);
      const result = okResult(this.name, kept, requested, bounds, { ...took, nativeScore: outcome.outputCapped ? null : parsed.nativeScore });
      return { ...result, suppressed: parsed.suppressed + suppressed, ...(notInstalled.length > 0 ? { notInstalled } : {}) };
    } finally {
      await rm(dir.root, { recursive: true, force: true });
    }
  }
}

export const pythonLinters = (toolsDir: string, sandbox: ToolSandbox): Linter[] => [pylint, mypy, ruff].map((tool) => new PythonLinter(tool, toolsDir, sandbox));
