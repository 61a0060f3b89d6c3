/**
 * Template benchmark (`npm run bench:templates`): for each catalog template, the wall time of
 * a preview (validate + render + tree, in process and over HTTP) and of an apply (over HTTP: the
 * run stream plus one project file per rendered file; and locally, as `resoft template apply --out`
 * does). Medians over BENCH_TEMPLATE_RUNS runs (default 10) after one warm-up. Goals: preview
 * under 200 ms, apply of the largest template under 1 s. Prints a table and writes the figures to
 * `.bench/templates-<timestamp>.json`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileTree, renderTemplate, sharedCatalog, writeRendered } from '@resoft/templates';
import { ROOT } from './bench-server-child.js';
import { ApiClient, startTestServer } from '@resoft/testkit';

const RUNS = Number(process.env['BENCH_TEMPLATE_RUNS'] ?? 10);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('BENCH_TEMPLATE_RUNS must be a positive whole number');

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Wall times of `run`; a run that returns a number reports its own duration (to leave out its setup). */
async function time(run: () => Promise<unknown> | unknown): Promise<number[]> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    const own = await run();
    samples.push(typeof own === 'number' ? own : performance.now() - start);
  }
  return samples;
}

async function main(): Promise<void> {
  const catalog = sharedCatalog();
  const server = await startTestServer();
  const api = new ApiClient(server.baseUrl);
  const work = mkdtempSync(join(tmpdir(), 'resoft-bench-templates-'));
  const rows: Record<string, unknown>[] = [];
  try {
    const user = await api.signUp('bench');
    for (const template of catalog.list()) {
      const id = template.manifest.id;
      const rendering = renderTemplate(template, {});
      const previewLocal = await time(() => fileTree(renderTemplate(template, {}).files));
      const previewHttp = await time(async () => {
        const response = await api.get(`/api/v1/templates/${id}/preview`, user.accessToken);
        if (response.status !== 200) throw new Error(`preview ${id}: ${response.status}`);
      });
      let localRun = 0;
      const applyLocal = await time(() => {
        writeRendered(join(work, `${id}-${(localRun += 1)}`), renderTemplate(template, {}).files);
      });
      const applyHttp = await time(async () => {
        const project = await api.post('/api/projects', { name: `bench ${id}` }, user.accessToken);
        const start = performance.now();
        const applied = await api.post('/api/v1/templates/apply', { projectId: project.body.id, templateId: id }, user.accessToken);
        if (applied.status !== 201) throw new Error(`apply ${id}: ${applied.status} ${JSON.stringify(applied.body)}`);
        return performance.now() - start;
      });
      rows.push({
        template: id, files: rendering.files.length, bytes: rendering.totalBytes,
        previewMs: median(previewLocal), previewHttpMs: median(previewHttp), applyLocalMs: median(applyLocal), applyHttpMs: median(applyHttp),
      });
    }
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const fmt = (n: unknown) => (typeof n === 'number' ? (Number.isInteger(n) ? String(n) : n.toFixed(1)) : String(n));
  const header = ['template', 'files', 'bytes', 'previewMs', 'previewHttpMs', 'applyLocalMs', 'applyHttpMs'];
  console.log(`Template benchmark: median of ${RUNS} runs each (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB)`);
  console.log(header.map((h) => h.padStart(14)).join(''));
  for (const row of rows) console.log(header.map((h) => (h === 'template' ? String(row[h]).padStart(14) : fmt(row[h]).padStart(14))).join(''));
  const largest = rows.reduce((a, b) => ((b['bytes'] as number) > (a['bytes'] as number) ? b : a));
  const previewOk = rows.every((r) => (r['previewHttpMs'] as number) < 200);
  const applyOk = (largest['applyHttpMs'] as number) < 1000;
  console.log(`Goals: preview < 200 ms ${previewOk ? 'met' : 'MISSED'}; apply of the largest (${String(largest['template'])}) < 1 s ${applyOk ? 'met' : 'MISSED'}`);
  mkdirSync(join(ROOT, '.bench'), { recursive: true });
  const file = join(ROOT, '.bench', `templates-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ runs: RUNS, cores: cpus().length, rows }, null, 2));
  console.log(`Figures written to ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
