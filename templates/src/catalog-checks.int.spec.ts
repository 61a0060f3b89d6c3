/**
 * Each catalog template, generated with its defaults (and with its options
 * switched), passes its own fast checks: every Python file compiles, YAML and
 * JSON files parse, and the generated pytest suites pass in templates/.venv
 * (FastAPI and pytest from PyPI, installed by scripts/setup-python-venv.mjs).
 * Running each project as its README says (Airflow, dbt, DVC, MLflow, uvicorn) is the slow
 * suite, scripts/run-generated-projects.mjs (`npm run test:templates-run`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { TemplateCatalog } from './catalog.js';
import { renderTemplate } from './engine.js';
import { writeRendered } from './output.js';

const templatesDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const venvPython = path.join(templatesDir, '.venv', 'bin', 'python');
const setup = spawnSync(process.execPath, [path.join(templatesDir, 'scripts', 'setup-python-venv.mjs')], { encoding: 'utf8', timeout: 600_000 });
const pythonReady = setup.status === 0 && fs.existsSync(venvPython);
if (!pythonReady) console.warn(`Skipping the Python checks of generated templates: ${(setup.stderr || setup.error?.message || 'setup failed').trim()}`);

const catalog = TemplateCatalog.load();
const VARIANTS: [string, Record<string, unknown>][] = [
  ['microservice', {}],
  ['microservice', { kubernetes: true, ci: false, python_version: '3.12', service_name: 'billing-api', package_name: 'billing' }],
  ['data-pipeline', {}],
  ['data-pipeline', { great_expectations: false, warehouse: 'postgres', schedule: 'hourly' }],
  ['ml-project', {}],
  ['ml-project', { framework: 'pytorch', dvc: false }],
  ['ml-project', { framework: 'tensorflow' }],
];

function generate(id: string, variables: Record<string, unknown>): { dir: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `resoft-tpl-${id}-`));
  const rendering = renderTemplate(catalog.get(id)!, variables);
  writeRendered(dir, rendering.files);
  return { dir, files: rendering.files.map((f) => f.path) };
}

const python = (args: string[], cwd: string) => spawnSync(pythonReady ? venvPython : 'python3', args, { cwd, encoding: 'utf8', timeout: 120_000 });

describe('catalog templates generate projects that pass their own checks', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('the catalog holds the microservice, data pipeline and ML templates', () => {
    expect(catalog.list().map((t) => t.manifest.id)).toEqual(['data-pipeline', 'microservice', 'ml-project']);
  });

  it.each([
    ['microservice', ['Dockerfile', 'docker-compose.yml', '.github/workflows/ci.yml', 'src/orders_service/main.py', 'tests/test_items.py', 'pyproject.toml', 'constraints.txt', '.env.example', '.pre-commit-config.yaml', '.resoft-template.json']],
    ['data-pipeline', ['dags/orders_daily.py', 'dbt/dbt_project.yml', 'dbt/models/marts/fct_orders.sql', 'quality/orders_suite.json', 'pipeline/quality.py', 'data/sample/orders.csv', 'tests/test_transform.py', 'constraints.txt', '.env.example', '.github/workflows/ci.yml', '.resoft-template.json']],
    ['ml-project', ['dvc.yaml', 'MLproject', 'params.yaml', 'data/raw/customers.csv', 'src/churn_model/train.py', 'src/churn_model/evaluate.py', 'src/churn_model/normalisation.py', 'tests/test_model.py', 'pyproject.toml', 'constraints.txt', '.env.example', '.pre-commit-config.yaml', '.github/workflows/ci.yml', '.resoft-template.json']],
  ])('%s generates its promised parts with the defaults', (id, expected) => {
    const paths = renderTemplate(catalog.get(id)!, {}).files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(expected));
  });

  it('leaves optional parts out when switched off', () => {
    const paths = (id: string, variables: Record<string, unknown>) => renderTemplate(catalog.get(id)!, variables).files.map((f) => f.path);
    expect(paths('microservice', { ci: false }).filter((p) => p.startsWith('.github/') || p.startsWith('k8s/'))).toEqual([]);
    expect(paths('data-pipeline', { great_expectations: false }).filter((p) => p.startsWith('quality/') || p === 'pipeline/quality.py')).toEqual([]);
    expect(paths('ml-project', { dvc: false })).not.toContain('dvc.yaml');
  });

  describe.each(VARIANTS)('%s with %j', (id, variables) => {
    let generated: { dir: string; files: string[] };
    beforeAll(() => {
      generated = generate(id, variables);
      dirs.push(generated.dir);
    });

    it('every YAML and JSON file parses', () => {
      const data = generated.files.filter((file) => /\.(ya?ml|json)$/.test(file));
      expect(data.length).toBeGreaterThan(0);
      for (const file of data) {
        const text = fs.readFileSync(path.join(generated.dir, file), 'utf8');
        if (file.endsWith('.json')) expect(() => JSON.parse(text)).not.toThrow();
        else for (const doc of parseAllDocuments(text)) expect({ file, errors: doc.errors.map((e) => e.message) }).toEqual({ file, errors: [] });
      }
    });

    it('every Python file compiles', () => {
      const sources = generated.files.filter((file) => file.endsWith('.py'));
      expect(sources.length).toBeGreaterThan(0);
      const result = python(['-c', 'import sys\nfor f in sys.argv[1:]:\n    compile(open(f, encoding="utf-8").read(), f, "exec")', ...sources], generated.dir);
      if (result.error) throw result.error;
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    });

    (pythonReady ? it : it.skip)('its generated pytest suite passes', () => {
      const result = python(['-m', 'pytest', '-p', 'no:cacheprovider', '-rs'], generated.dir);
      const output = `${result.stdout}\n${result.stderr}`;
      expect({ status: result.status, output }).toEqual({ status: 0, output: expect.stringMatching(/\d+ passed/) });
    });
  });
});
