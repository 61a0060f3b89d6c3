/**
 * `resoft check <files…>`: lints files on this machine with the same linters,
 * bounds and scoring as the server's checks, prints the findings with the
 * score and grade, can write SARIF, and exits 1 below `--min-score` (for CI).
 * Nothing is recorded: it needs no server and no data directory. The files
 * are checked in their project: the Python or JavaScript files beside them
 * and in the packages above them are read as context (imports resolve), and
 * the nearest requirements.txt / pyproject.toml / package.json say what the
 * project declares. Imports only the engine and the configuration module, so
 * it starts fast.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DomainError, languageOfPath, languageSchema, linterNameSchema, prepareCheck, toSarif,
  type CheckFile, type CheckReport, type Language, type LinterName,
} from '@resoft/domain';
import { CheckEngine, checkLocally, isManifest, MAX_CONTEXT_FILES, mayBeContext, projectTreeOf } from '@resoft/command-service/code-quality';
import { loadConfig } from '@resoft/app';

export interface CheckOptions {
  readonly linters?: string;
  readonly language?: string;
  readonly sarif?: string;
  readonly json?: boolean;
  readonly minScore?: string;
}

/** The folder that holds the project: the nearest above `dir` with a manifest or a .git, else `dir` itself. */
function projectRoot(dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    if (['.git', 'pyproject.toml', 'setup.py', 'setup.cfg', 'package.json', 'requirements.txt'].some((name) => existsSync(path.join(at, name)))) return at;
    if (path.dirname(at) === at) return dir;
  }
}

/**
 * The folder the report's paths are relative to: the working directory when every file is inside it,
 * else the deepest folder holding the project roots of all the files.
 */
function baseFolder(absolute: readonly string[], cwd: string): string {
  if (absolute.every((file) => file.startsWith(cwd + path.sep))) return cwd;
  const roots = absolute.map((file) => projectRoot(path.dirname(file)).split(path.sep));
  const shared: string[] = [];
  for (let i = 0; roots.every((root) => i < root.length && root[i] === roots[0]![i]); i += 1) shared.push(roots[0]![i]!);
  return shared.join(path.sep) || path.sep;
}

/**
 * The project around the requested files: the code files (of the languages checked) in each requested file's
 * folder and in the folders up to the project root, and the manifests found there; at most MAX_CONTEXT_FILES.
 * Paths are relative to the base folder (baseFolder), like the requested ones.
 */
async function projectContext(requested: readonly CheckFile[], languages: ReadonlySet<Language>, base: string, maxFileBytes: number) {
  const taken = new Set(requested.map((f) => f.path));
  const folders = new Set<string>();
  for (const file of requested) {
    const start = path.dirname(path.resolve(base, file.path));
    const root = projectRoot(start);
    for (let at = start; ; at = path.dirname(at)) {
      folders.add(at);
      if (at === root || path.dirname(at) === at || !at.startsWith(base)) break;
    }
  }
  const context: (CheckFile & { language: Language; context: true })[] = [];
  const manifests: { path: string; content: string }[] = [];
  for (const folder of [...folders].sort()) {
    if (folder !== base && !folder.startsWith(base + path.sep)) continue; // above the base folder: not part of what the paths can name
    for (const name of readdirSync(folder).sort()) {
      if (context.length >= MAX_CONTEXT_FILES) break;
      const full = path.join(folder, name);
      const relative = path.relative(base, full).split(path.sep).join('/');
      const language = languageOfPath(name);
      const wanted = isManifest(relative) || (language !== null && languages.has(language) && !taken.has(relative) && mayBeContext(relative));
      if (!wanted || !statSync(full).isFile() || statSync(full).size > maxFileBytes) continue;
      const content = await readFile(full, 'utf8');
      if (isManifest(relative)) manifests.push({ path: relative, content });
      else context.push({ path: relative, content, language: language!, context: true });
    }
  }
  return { context, manifests };
}

function printReport(report: CheckReport, out: NodeJS.WritableStream): void {
  const sorted = [...report.findings].sort((a, b) => a.uri.localeCompare(b.uri) || a.region.startLine - b.region.startLine || a.region.startColumn - b.region.startColumn);
  for (const f of sorted) {
    const tools = [`${f.tool} ${f.ruleId}`, ...(f.alsoReportedBy ?? []).map((other) => `${other.tool} ${other.ruleId}`)].join(' + ');
    out.write(`${f.uri}:${f.region.startLine}:${f.region.startColumn}  ${f.severity.padEnd(7)}  ${tools}  ${f.message}\n`);
  }
  if (sorted.length > 0) out.write('\n');
  for (const r of report.results) {
    const notes = [
      r.suppressed ? `${r.suppressed} suppressed by comments` : '', r.merged ? `${r.merged} merged into another linter's finding` : '',
      r.notInstalled?.length ? `not installed here (not weighed): ${r.notInstalled.map((m) => `${m.module}${m.declared === true ? ' (declared)' : m.declared === false ? ' (not declared)' : ''}`).join(', ')}` : '',
    ].filter(Boolean).join('; ');
    const cut = [r.truncated.findingsDropped > 0 ? `${r.truncated.findingsDropped} findings not listed` : '', r.truncated.outputCapped ? 'output cut at the cap' : ''].filter(Boolean).join(', ');
    const score = r.score === null ? '' : `  score ${r.score}`;
    out.write(`${r.linter.padEnd(7)} ${(r.version ?? '').padEnd(8)} ${r.status}${score}  ${r.counts.error} errors, ${r.counts.warning} warnings, ${r.counts.info} info${r.message ? `  (${r.message})` : ''}${cut ? `  [${cut}]` : ''}\n`);
    if (notes) out.write(`        ${notes}\n`);
  }
  for (const ignored of report.ignoredFiles) out.write(`not checked: ${ignored.path}: ${ignored.reason}\n`);
  if (report.status === 'completed') out.write(`\nScore ${report.score} / 100, grade ${report.grade} (formula v${report.formulaVersion}): ${report.counts.error} errors, ${report.counts.warning} warnings, ${report.counts.info} info\n`);
  else if (report.status === 'partial') out.write(`\nPartial score ${report.score} / 100, grade ${report.grade} (at best B; not every linter finished: ${report.incomplete.map((i) => `${i.linter}: ${i.reason}`).join('; ')})\n`);
  else out.write(`\nCheck failed: ${report.failureReason}\n`);
}

/** Returns the exit code. */
export async function checkCommand(files: readonly string[], options: CheckOptions, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream = process.stdout, cwd = process.cwd()): Promise<number> {
  const config = loadConfig(env).checks;
  const linters = options.linters?.split(',').map((l) => linterNameSchema.parse(l.trim())) as LinterName[] | undefined;
  const language = options.language ? (languageSchema.parse(options.language) as Language) : undefined;
  const minScore = options.minScore === undefined ? null : Number(options.minScore);
  if (minScore !== null && !(minScore >= 0 && minScore <= 100)) throw new Error('--min-score takes a number from 0 to 100');
  const absolute = files.map((file) => path.resolve(cwd, file));
  const base = baseFolder(absolute, cwd);
  const submitted = await Promise.all(absolute.map(async (file) => ({ path: path.relative(base, file).split(path.sep).join('/'), content: await readFile(file, 'utf8') })));
  let prepared;
  try {
    prepared = prepareCheck(submitted, { language, linters }, config);
    if (prepared.files.length === 0) throw new DomainError('invalid', 'no_files', 'Nothing to check: no Python, JavaScript or TypeScript file was given');
  } catch (error) {
    if (error instanceof DomainError) throw new Error(error.message);
    throw error;
  }
  const languages = new Set(prepared.files.map((f) => f.language));
  const { context, manifests } = await projectContext(prepared.files, languages, base, config.maxFileBytes);
  const { requirements, packageTypes } = projectTreeOf(manifests);
  const engine = new CheckEngine(config);
  let report: CheckReport;
  try {
    report = await checkLocally(engine, prepared, config.scoringVersion, context, { requirements, packageTypes });
  } finally {
    await engine.close();
  }
  if (options.sarif) await writeFile(path.resolve(cwd, options.sarif), `${JSON.stringify(toSarif(report), null, 2)}\n`);
  if (options.json) out.write(`${JSON.stringify(report, null, 2)}\n`);
  else printReport(report, out);
  // A partial check did not look at everything: it never passes.
  if (report.status !== 'completed') return 1;
  if (minScore !== null && report.score! < minScore) {
    if (!options.json) out.write(`Below the minimum score ${minScore}\n`);
    return 1;
  }
  return 0;
}
