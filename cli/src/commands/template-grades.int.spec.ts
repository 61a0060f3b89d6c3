/**
 * Issue 6's bar for the catalog: each template generated with its defaults grades A or B in our own
 * code checks (pylint, mypy and ruff on its Python files, as `resoft check` runs them).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { TemplateCatalog, renderTemplate } from '@resoft/templates';
import { checkCommand } from './check-command.js';

const catalog = TemplateCatalog.load();
const python = path.join(process.cwd(), '.tools', 'python', 'bin', 'pylint');
const toolsReady = fs.existsSync(python);
if (!toolsReady) console.warn(`template grades skipped: the Python linters are not installed (${python}); npm install installs them when Python 3 is present`);
const describeWithTools = toolsReady ? describe : describe.skip;

describeWithTools('generated templates in our code checks', () => {
  it.each(['microservice', 'data-pipeline', 'ml-project'])('%s, with its defaults, grades A or B', async (id) => {
    const rendering = renderTemplate(catalog.get(id)!, {});
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `resoft-grade-${id}-`));
    try {
      for (const file of rendering.files) {
        fs.mkdirSync(path.join(dir, path.dirname(file.path)), { recursive: true });
        fs.writeFileSync(path.join(dir, file.path), file.content);
      }
      const pythonFiles = rendering.files.map((f) => f.path).filter((p) => p.endsWith('.py'));
      let json = '';
      const out = new Writable({ write(chunk, _encoding, done) { json += String(chunk); done(); } });
      await checkCommand(pythonFiles, { json: true }, process.env, out as NodeJS.WritableStream, dir);
      const report = JSON.parse(json);
      expect(report.results.map((r: { linter: string; status: string }) => [r.linter, r.status]).sort()).toEqual([['mypy', 'ok'], ['pylint', 'ok'], ['ruff', 'ok']]);
      expect(['A', 'B']).toContain(report.grade);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
