/**
 * Scoring v2's calibration over the reference corpus (command-service/calibration/reference-corpus.json):
 * files of well-maintained npm and PyPI packages, fetched at setup (scripts/fetch-reference-corpus.mjs), each
 * checked in its package (the package's other files as context), must grade A or B; the deliberately bad files
 * D or E; and no trivial file is the worst. Prints the table docs/code-quality.md publishes. Without the
 * registries (or the Python linters and a sandbox) it skips and says why.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { languageOfPath, prepareCheck, scoringFormula, type CheckReport, type Language } from '@resoft/domain';
import { describeWithSandbox, testEngine } from './code-quality.fixture.js';
import { checkLocally } from './local-check.js';
import { mayBeContext, projectTreeOf } from './project-tree.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CALIBRATION = path.join(REPO, 'command-service/calibration');
const manifest = JSON.parse(readFileSync(path.join(CALIBRATION, 'reference-corpus.json'), 'utf8')) as {
  packages: { registry: 'npm' | 'pypi'; name: string; version: string; files: string[] }[];
};
/** A file with at most this many code lines is trivial (an `__init__`, a version module, a one-function package). */
const TRIVIAL_LINES = 25;

interface Row { readonly corpus: 'reference' | 'bad'; readonly name: string; readonly lines: number; readonly report: CheckReport }

/** Every code file under `dir` (relative paths), for the package's tree. */
function codeFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix)).flatMap((name) => {
    const relative = prefix ? `${prefix}/${name}` : name;
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(path.join(dir, relative)).isDirectory()) return codeFiles(dir, relative);
    return languageOfPath(name) || name === 'package.json' ? [relative] : [];
  });
}

async function checkInPackage(engine: ReturnType<typeof testEngine>, dir: string, file: string): Promise<CheckReport> {
  const read = (relative: string) => ({ path: relative, content: readFileSync(path.join(dir, relative), 'utf8') });
  const prepared = prepareCheck([read(file)], {}, { maxFiles: 1000, maxFileBytes: 2_000_000 });
  const language = prepared.files[0]!.language;
  const tree = codeFiles(dir).filter((f) => f !== file).map(read);
  const context = tree.filter((f) => languageOfPath(f.path) === language && mayBeContext(f.path)).slice(0, 300).map((f) => ({ ...f, language: language as Language }));
  return checkLocally(engine, prepared, scoringFormula(2).version, context, projectTreeOf(tree));
}

describeWithSandbox('scoring v2 over the reference corpus')('scoring v2 over the reference corpus', () => {
  let cache: string | null = null;
  let why = '';
  const rows: Row[] = [];
  const engine = testEngine({ timeoutMs: 180_000 });

  beforeAll(async () => {
    try {
      cache = execFileSync(process.execPath, [path.join(REPO, 'scripts/fetch-reference-corpus.mjs'), '--cached-only'], { timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
    } catch (error) {
      why = `the reference corpus is not fetched (npm run setup:corpus; .ci/run does): ${((error as { stderr?: Buffer }).stderr?.toString() || (error as Error).message).slice(0, 300)}`;
      console.log(`Calibration skipped: ${why}`);
      return;
    }
    for (const pkg of manifest.packages) {
      const dir = path.join(cache, pkg.registry, `${pkg.name}-${pkg.version}`);
      for (const file of pkg.files) {
        const report = await checkInPackage(engine, dir, file);
        rows.push({ corpus: 'reference', name: `${pkg.name} ${pkg.version} ${file}`, lines: report.files[0]!.lines, report });
      }
    }
    const bad = path.join(CALIBRATION, 'bad');
    for (const file of readdirSync(bad).sort()) rows.push({ corpus: 'bad', name: `bad/${file}`, lines: 0, report: await checkInPackage(engine, bad, file) });
    const table = rows.map((r) => {
      const suppressed = r.report.results.reduce((sum, x) => sum + (x.suppressed ?? 0), 0);
      return `| ${r.corpus} | ${r.name} | ${r.report.files[0]!.lines} | ${r.report.counts.error}/${r.report.counts.warning}/${r.report.counts.info} | ${suppressed} | ${r.report.score} | ${r.report.grade} |`;
    });
    console.log(['| corpus | file | lines | errors/warnings/info | suppressed | score | grade |', '|---|---|---|---|---|---|---|', ...table].join('\n'));
  }, 1_800_000);

  afterAll(() => engine.close());

  const fetched = () => {
    if (cache) return true;
    console.log(`Calibration assertion skipped: ${why}`);
    return false;
  };

  it('grades every file of the well-maintained packages A or B, every linter having run', () => {
    if (!fetched()) return;
    const reference = rows.filter((r) => r.corpus === 'reference');
    expect(reference.length).toBeGreaterThanOrEqual(24);
    for (const row of reference) expect({ file: row.name, status: row.report.status }).toEqual({ file: row.name, status: 'completed' });
    expect(reference.filter((r) => !['A', 'B'].includes(r.report.grade!)).map((r) => `${r.name}: ${r.report.score} ${r.report.grade}`)).toEqual([]);
  });

  it('grades every deliberately bad file D or E', () => {
    if (!fetched()) return;
    const bad = rows.filter((r) => r.corpus === 'bad');
    expect(bad.length).toBeGreaterThanOrEqual(4);
    expect(bad.filter((r) => !['D', 'E'].includes(r.report.grade!)).map((r) => `${r.name}: ${r.report.score} ${r.report.grade}`)).toEqual([]);
  });

  it('never makes a trivial file the worst of the corpus (trivial files grade A)', () => {
    if (!fetched()) return;
    const trivial = rows.filter((r) => r.corpus === 'reference' && r.report.files[0]!.lines <= TRIVIAL_LINES);
    expect(trivial.length).toBeGreaterThanOrEqual(3);
    const worst = [...rows].sort((a, b) => a.report.score! - b.report.score!)[0]!;
    expect(trivial.map((r) => r.name)).not.toContain(worst.name);
    expect(trivial.filter((r) => r.report.grade !== 'A').map((r) => `${r.name}: ${r.report.score}`)).toEqual([]);
  });
});
