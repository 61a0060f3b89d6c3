#!/usr/bin/env node
/**
 * The slow template suite (`npm run test:templates-run`): generates each catalog template and follows
 * its generated README with the real tools — pip from the shipped constraints, pytest, ruff, uvicorn
 * and /health, the Dockerfile's steps replayed without Docker, the Kubernetes schemas, Airflow's
 * `dags test` on DuckDB, `dbt build`, the Great Expectations check, `dvc repro` and `mlflow run`.
 *
 * Wheels are downloaded once per constraints file into a wheelhouse and every install then runs
 * offline from it (PIP_NO_INDEX + PIP_FIND_LINKS, so the documented command line is unchanged); the
 * virtualenvs are kept too. Both live under RESOFT_TEMPLATES_RUN_CACHE (default
 * ~/.cache/resoft-templates-run), outside the checkout, so the next CI run on the machine reuses them.
 *
 * Prints one line per check, then "N passed, N failed"; `--summary FILE` also writes the counts as
 * JSON (for .ci/run), `--only ID` runs one template. Exit 1 when a check fails.
 * RESOFT_TEMPLATES_RUN_FRESH_VENVS=1 recreates the virtualenvs (wheels still reused);
 * RESOFT_TEMPLATES_RUN_KEEP=1 keeps the generated folders for a look after the run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const templatesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const summaryFile = option('--summary');
const only = option('--only');
const cacheRoot = path.resolve(process.env.RESOFT_TEMPLATES_RUN_CACHE || path.join(os.homedir(), '.cache', 'resoft-templates-run'));
const keepWork = process.env.RESOFT_TEMPLATES_RUN_KEEP === '1';
/** Recreate the virtualenvs from the kept wheels, so every documented `pip install` starts from nothing. */
const freshVenvs = process.env.RESOFT_TEMPLATES_RUN_FRESH_VENVS === '1';
/** The Kubernetes schema validator, a tool of this suite rather than of the generated project. */
const K8S_VALIDATOR = 'kubernetes-validate==1.37.0';

const { TemplateCatalog, renderTemplate, writeRendered } = await import(path.join(templatesDir, 'dist', 'index.js'));
const catalog = TemplateCatalog.load();

const results = [];
const timings = {};
const started = Date.now();
const log = (text) => process.stdout.write(`${text}\n`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Runs a shell command (as a README shows it) and resolves with its exit code and output; never rejects. */
function sh(command, { cwd, env = {}, timeoutMs = 15 * 60_000 } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn('bash', ['-c', command], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const keep = (chunk) => {
      output += chunk.toString();
      if (output.length > 400_000) output = output.slice(-200_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      output += `\n(timed out after ${seconds(timeoutMs)})`;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - t0 });
    });
  });
}

async function check(name, body) {
  const t0 = Date.now();
  try {
    const note = await body();
    results.push({ name, ok: true });
    log(`  ✓ ${name} (${seconds(Date.now() - t0)})${note ? `: ${note}` : ''}`);
  } catch (error) {
    results.push({ name, ok: false });
    log(`  ✗ ${name} (${seconds(Date.now() - t0)}): ${error.message}`);
  }
}

/** A shell step that must exit 0; its output's tail is the failure message. */
async function step(command, options) {
  const result = await sh(command, options);
  if (result.code !== 0) throw new Error(`"${command}" exited ${result.code}:\n${result.output.trim().split('\n').slice(-25).join('\n')}`);
  return result;
}

function generate(id, variables) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `resoft-run-${id}-`));
  writeRendered(dir, renderTemplate(catalog.get(id), variables).files);
  return dir;
}

const hashOf = (...parts) => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 12);

/**
 * A kept virtualenv and wheelhouse for one pinned set. The wheelhouse is filled once (`pip wheel`,
 * so sdists are built once too); later installs read only from it.
 */
async function environment(name, constraintsText, requirements, projectDir) {
  // Keyed by the pins (not by the generated folder's path), so a new run finds the same wheelhouse.
  const key = `${name}-${hashOf(constraintsText, requirements.replaceAll(projectDir, '.'))}`;
  const wheels = path.join(cacheRoot, 'wheels', key);
  const venv = path.join(cacheRoot, 'venvs', key);
  const constraints = path.join(cacheRoot, 'wheels', `${key}.constraints.txt`);
  fs.mkdirSync(wheels, { recursive: true });
  fs.writeFileSync(constraints, constraintsText);
  const filled = path.join(wheels, '.complete');
  const t0 = Date.now();
  const cold = !fs.existsSync(filled);
  if (cold) {
    await step(`python3 -m pip wheel -q -w "${wheels}" -c "${constraints}" setuptools wheel ${requirements}`, { cwd: projectDir, timeoutMs: 40 * 60_000 });
    fs.writeFileSync(filled, new Date().toISOString());
  }
  if (freshVenvs) fs.rmSync(venv, { recursive: true, force: true });
  if (!fs.existsSync(path.join(venv, 'bin', 'python'))) await step(`python3 -m venv "${venv}"`);
  timings[`${name} wheelhouse`] = { cold, ms: Date.now() - t0 };
  return {
    venv,
    env: { PATH: `${path.join(venv, 'bin')}:${process.env.PATH}`, VIRTUAL_ENV: venv, PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels, PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONDONTWRITEBYTECODE: '1' },
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a server command, waits for GET /health to answer 200, and stops it. */
async function serveAndProbe(command, { cwd, env, port }) {
  const child = spawn('bash', ['-c', `exec ${command}`], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  try {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`"${command}" exited ${child.exitCode} before answering:\n${output.slice(-2000)}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        const body = await response.json();
        if (response.status !== 200 || body.status !== 'ok') throw new Error(`/health answered ${response.status} ${JSON.stringify(body)}`);
        return { body, output };
      } catch (error) {
        if (error.message.startsWith('/health answered')) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    throw new Error(`nothing answered on port ${port} within 120 s:\n${output.slice(-2000)}`);
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
  }
}

/**
 * Replays a Dockerfile without Docker: ENV and WORKDIR are applied, COPY copies from the build
 * context into a staging root, RUN runs there with the test's Python (pip offline from the
 * wheelhouse), and CMD is started with the image's ENV; the HEALTHCHECK command must then pass.
 * FROM (the base image), USER and useradd cannot be replayed here and are listed as skipped.
 */
async function replayDockerfile(context, env) {
  const lines = fs.readFileSync(path.join(context, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-image-'));
  const imageEnv = {};
  const skipped = [];
  let workdir = root;
  let cmd;
  let healthcheck;
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    const value = line.slice(instruction.length).trim();
    switch (instruction.toUpperCase()) {
      case 'FROM':
        skipped.push(`FROM ${value} (no image pull; ${spawnSync('python3', ['--version'], { encoding: 'utf8' }).stdout.trim()} of this machine stands in)`);
        break;
      case 'ENV':
        for (const pair of value.match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|\S+)/g) ?? []) {
          const at = pair.indexOf('=');
          imageEnv[pair.slice(0, at)] = pair.slice(at + 1).replace(/^"|"$/g, '');
        }
        break;
      case 'WORKDIR':
        workdir = path.join(root, value);
        fs.mkdirSync(workdir, { recursive: true });
        break;
      case 'COPY': {
        const parts = rest;
        const dest = parts.pop();
        for (const source of parts) {
          const target = dest.endsWith('/') || parts.length > 1 ? path.join(path.resolve(workdir, dest), source.endsWith('/') ? '' : path.basename(source)) : path.resolve(workdir, dest);
          fs.cpSync(path.join(context, source), target, { recursive: true });
        }
        break;
      }
      case 'RUN':
        if (/useradd|adduser/.test(value)) skipped.push(`RUN ${value} (no user switch outside a container)`);
        else await step(value, { cwd: workdir, env: { ...env, ...imageEnv } });
        break;
      case 'USER':
        skipped.push(`USER ${value}`);
        break;
      case 'HEALTHCHECK':
        healthcheck = value.replace(/^.*?\bCMD\s+/, '');
        break;
      case 'CMD':
        cmd = JSON.parse(value);
        break;
      default:
        break;
    }
  }
  if (!imageEnv.PORT) throw new Error('the Dockerfile sets no PORT');
  if (!cmd) throw new Error('the Dockerfile has no CMD');
  if (cmd.some((part) => part === imageEnv.PORT)) throw new Error(`CMD hard-codes the port: ${JSON.stringify(cmd)}`);
  // The container is run with another PORT, as `docker run -e PORT=…` would: the listener and the health check must follow it.
  const port = await freePort();
  const runEnv = { ...env, ...imageEnv, PORT: String(port), HOST: '127.0.0.1' };
  const child = spawn(cmd[0], cmd.slice(1), { cwd: workdir, env: { ...process.env, ...runEnv }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  try {
    let last;
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
      if (child.exitCode !== null) throw new Error(`CMD exited ${child.exitCode}:\n${output.slice(-2000)}`);
      last = await sh(healthcheck, { cwd: workdir, env: runEnv, timeoutMs: 10_000 });
      if (last.code === 0) return `replayed ${lines.length - skipped.length} of ${lines.length} instructions, HEALTHCHECK passed on PORT=${port}; skipped: ${skipped.join('; ')}`;
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(`HEALTHCHECK never passed: ${last?.output.slice(-1000)}`);
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

/** The first fenced shell block after a heading of a generated README. */
function readmeBlock(dir, heading) {
  const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
  const at = readme.indexOf(`${heading}`);
  const match = at === -1 ? null : /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!match) throw new Error(`README.md has no shell block under "${heading}"`);
  return match[1];
}

async function microservice() {
  log('microservice (kubernetes=true): the README path');
  const dir = generate('microservice', { kubernetes: true, service_name: 'orders-api', package_name: 'orders_api', image: 'registry.example.com/team/orders-api:1.2.3', namespace: 'shop' });
  const constraints = fs.readFileSync(path.join(dir, 'constraints.txt'), 'utf8');
  let env;
  await check('microservice: wheels for constraints.txt (cached)', async () => {
    ({ env } = await environment('microservice', constraints, `"${dir}[dev]"`, dir));
    return timings['microservice wheelhouse'].cold ? 'downloaded' : 'reused';
  });
  if (!env) return dir;
  await check('microservice: pip install -c constraints.txt ".[dev]" installs FastAPI with the project', async () => {
    const r = await step('pip install -q -c constraints.txt ".[dev]"', { cwd: dir, env });
    timings['microservice install'] = { ms: r.ms };
    await step('python -c "import fastapi, uvicorn, pydantic_settings, orders_api.main"', { cwd: os.tmpdir(), env });
  });
  await check('microservice: pytest', async () => (await step('pytest -p no:cacheprovider', { cwd: dir, env })).output.trim().split('\n').at(-1));
  await check('microservice: ruff check . (its own lint config)', () => step('ruff check --no-cache .', { cwd: dir, env }).then(() => ''));
  await check('microservice: python -m orders_api serves /health on PORT', async () => {
    const port = await freePort();
    const { body } = await serveAndProbe('python -m orders_api', { cwd: dir, env: { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_FORMAT: 'json' }, port });
    if (body.service !== 'orders-api') throw new Error(`unexpected body ${JSON.stringify(body)}`);
    return `port ${port}`;
  });
  await check('microservice: Dockerfile steps replayed (without Docker)', () => replayDockerfile(dir, env));
  await check('microservice: k8s manifests valid against the Kubernetes 1.37 schemas', async () => {
    const tools = await environment('k8s-tools', K8S_VALIDATOR, K8S_VALIDATOR, dir);
    await step(`pip install -q ${K8S_VALIDATOR}`, { cwd: dir, env: tools.env });
    await step('kubernetes-validate --strict k8s/namespace.yaml k8s/deployment.yaml k8s/service.yaml', { cwd: dir, env: tools.env });
    const deployment = fs.readFileSync(path.join(dir, 'k8s', 'deployment.yaml'), 'utf8');
    for (const expected of ['image: registry.example.com/team/orders-api:1.2.3', 'namespace: shop', 'runAsNonRoot: true', 'allowPrivilegeEscalation: false', 'readOnlyRootFilesystem: true']) {
      if (!deployment.includes(expected)) throw new Error(`deployment.yaml lacks "${expected}"`);
    }
    if (!fs.readFileSync(path.join(dir, 'k8s', 'kustomization.yaml'), 'utf8').includes('namespace: shop')) throw new Error('kustomization.yaml sets no namespace');
    return 'namespace, deployment and service pass --strict';
  });
  return dir;
}

async function dataPipeline() {
  log('data-pipeline (duckdb, Great Expectations): the README path');
  const dir = generate('data-pipeline', { pipeline_name: 'orders_daily', start_date: '2026-01-01' });
  const constraints = fs.readFileSync(path.join(dir, 'constraints.txt'), 'utf8');
  let env;
  await check('data-pipeline: wheels for constraints.txt (cached)', async () => {
    ({ env } = await environment('data-pipeline', constraints, '-r requirements.txt', dir));
    return timings['data-pipeline wheelhouse'].cold ? 'downloaded' : 'reused';
  });
  if (!env) return dir;
  const airflowEnv = { ...env, AIRFLOW_HOME: path.join(dir, '.airflow'), AIRFLOW__CORE__DAGS_FOLDER: path.join(dir, 'dags'), AIRFLOW__CORE__LOAD_EXAMPLES: 'False' };
  await check('data-pipeline: pip install -r requirements.txt -c constraints.txt (Airflow 3, dbt, Great Expectations 1.x)', async () => {
    const r = await step('pip install -q -r requirements.txt -c constraints.txt', { cwd: dir, env });
    timings['data-pipeline install'] = { ms: r.ms };
    const versions = await step('python -c "import airflow, dbt.version, great_expectations as gx; print(airflow.__version__, dbt.version.__version__, gx.__version__)"', { cwd: os.tmpdir(), env });
    return `airflow, dbt, GE = ${versions.output.trim().split('\n').at(-1)}`;
  });
  await check('data-pipeline: pytest (the DAG imported by Airflow, the quality suite)', async () => (await step('pytest -p no:cacheprovider -rs', { cwd: dir, env })).output.trim().split('\n').at(-1));
  await check('data-pipeline: ruff check .', () => step('ruff check --no-cache .', { cwd: dir, env }).then(() => ''));
  await check('data-pipeline: the README block (export AIRFLOW_HOME…; airflow db migrate; airflow dags test orders_daily 2026-01-01) succeeds end to end', async () => {
    // The README's block, run as written (it exports AIRFLOW_HOME and the DAGs folder itself), after loading .env as it says.
    const block = readmeBlock(dir, '## Run the DAG once');
    if (!block.includes('airflow dags test orders_daily 2026-01-01')) throw new Error(`the README's DAG block is not the expected one:\n${block}`);
    const r = await step(`cp .env.example .env && set -a && . ./.env && set +a\n${block}`, { cwd: dir, env });
    timings['data-pipeline dags test'] = { ms: r.ms };
    for (const task of ['extract_transform', 'validate', 'dbt_build']) {
      if (!r.output.includes(`end task task_id=${task}`)) throw new Error(`task ${task} did not run:\n${r.output.slice(-3000)}`);
    }
    if (!/DagRun Finished: .*state=success/.test(r.output)) throw new Error(`the run did not succeed:\n${r.output.slice(-3000)}`);
    if (!fs.existsSync(path.join(dir, 'data', 'clean', 'orders.csv'))) throw new Error('extract_transform wrote no data/clean/orders.csv');
    return 'extract_transform → validate → dbt_build, state=success';
  });
  await check('data-pipeline: cd dbt && dbt build --profiles-dir .', async () => {
    const r = await step('dbt build --profiles-dir .', { cwd: path.join(dir, 'dbt'), env: airflowEnv });
    return r.output.match(/PASS=\d+ WARN=\d+ ERROR=0[^\n]*/)?.[0] ?? 'passed';
  });
  await check('data-pipeline: python -m pipeline.quality passes on the cleaned sample, fails on a bad file', async () => {
    await step('python -m pipeline.quality', { cwd: dir, env });
    const bad = path.join(dir, 'data', 'clean', 'bad.csv');
    fs.writeFileSync(bad, 'order_id,customer_id,order_date,status,amount\n1,1,2026-01-01,lost,-5\n');
    const r = await sh(`python -m pipeline.quality ${bad}`, { cwd: dir, env });
    if (r.code !== 1 || !r.output.includes('expect_column_values_to_be_in_set status')) throw new Error(`a bad file was not refused (exit ${r.code}):\n${r.output.slice(-1500)}`);
    return 'sample passes, bad rows refused';
  });
  return dir;
}

async function mlProject() {
  log('ml-project (sklearn, dvc): the README path');
  const dir = generate('ml-project', {});
  const constraints = fs.readFileSync(path.join(dir, 'constraints.txt'), 'utf8');
  let env;
  await check('ml-project: wheels for constraints.txt (cached)', async () => {
    ({ env } = await environment('ml-project', constraints, `"${dir}[dev]"`, dir));
    return timings['ml-project wheelhouse'].cold ? 'downloaded' : 'reused';
  });
  if (!env) return dir;
  const mlEnv = { ...env, MLFLOW_TRACKING_URI: 'sqlite:///mlflow.db', GIT_AUTHOR_NAME: 'ci', GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_NAME: 'ci', GIT_COMMITTER_EMAIL: 'ci@example.com' };
  await check('ml-project: pip install -c constraints.txt -e ".[dev]"', async () => {
    const r = await step('pip install -q -c constraints.txt -e ".[dev]"', { cwd: dir, env });
    timings['ml-project install'] = { ms: r.ms };
  });
  await check('ml-project: pytest (single-row predictions, saved normalisation)', async () => (await step('pytest -p no:cacheprovider -rs', { cwd: dir, env: mlEnv })).output.trim().split('\n').at(-1));
  await check('ml-project: ruff check .', () => step('ruff check --no-cache .', { cwd: dir, env }).then(() => ''));
  await check('ml-project: git init && dvc init && dvc repro trains and evaluates', async () => {
    const r = await step('git init -q && dvc init -q && dvc repro', { cwd: dir, env: mlEnv });
    timings['ml-project dvc repro'] = { ms: r.ms };
    const metrics = readJson(path.join(dir, 'metrics.json'));
    if (!(metrics.accuracy > 0.5)) throw new Error(`metrics.json: ${JSON.stringify(metrics)}`);
    if (!fs.existsSync(path.join(dir, 'dvc.lock'))) throw new Error('dvc repro wrote no dvc.lock');
    return `accuracy ${metrics.accuracy.toFixed(3)}`;
  });
  await check('ml-project: mlflow run . --env-manager local records a run in the SQLite store', async () => {
    const r = await step('mlflow run . --env-manager local --experiment-name churn-model', { cwd: dir, env: mlEnv });
    timings['ml-project mlflow run'] = { ms: r.ms };
    if (!/Run \(ID '[0-9a-f]+'\) succeeded/.test(r.output)) throw new Error(r.output.slice(-2000));
    const runs = await step(`python -c "import mlflow; mlflow.set_tracking_uri('sqlite:///mlflow.db'); print(len(mlflow.search_runs(experiment_names=['churn-model'])))"`, { cwd: dir, env: mlEnv });
    const count = Number(runs.output.trim().split('\n').at(-1));
    if (!(count >= 2)) throw new Error(`expected the dvc and mlflow runs in the store, found ${count}`);
    return `${count} runs in sqlite:///mlflow.db`;
  });
  return dir;
}

const suites = { microservice, 'data-pipeline': dataPipeline, 'ml-project': mlProject };
const dirs = [];
for (const [id, run] of Object.entries(suites)) {
  if (only && only !== id) continue;
  const t0 = Date.now();
  dirs.push(await run());
  timings[`${id} total`] = { ms: Date.now() - t0 };
}
if (!keepWork) for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
log(`\ntimings: ${Object.entries(timings).map(([k, v]) => `${k} ${seconds(v.ms)}${v.cold === undefined ? '' : v.cold ? ' (cold)' : ' (warm)'}`).join(', ')}; whole run ${seconds(Date.now() - started)}`);
if (summaryFile) fs.writeFileSync(summaryFile, JSON.stringify({ passed, failed, timings, ms: Date.now() - started }));
log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
