#!/usr/bin/env node
/**
 * The schema fuzz run (`npm run test:api-fuzz`): Schemathesis, a tool independent of this code base,
 * reads the live server's OpenAPI document, generates valid and invalid requests for every operation,
 * and checks each answer: no 5xx (not_a_server_error), a documented status (status_code_conformance),
 * the documented content type (content_type_conformance), a body that matches the documented schema
 * (response_schema_conformance) and documented headers (response_headers_conformance).
 *
 * Builds nothing: it runs the compiled server (`bin/resoft.js start`, from cli/dist) on a free port
 * with a temporary data directory, signs up a user, creates a project with a file, a room, a chat
 * message and an agent activity, and hands their ids to Schemathesis (a config file of dictionaries)
 * so that path parameters hit real resources most of the time and unknown ids the rest.
 *
 * Schemathesis (pinned below) is installed from PyPI into a virtualenv under RESOFT_API_FUZZ_CACHE
 * (default ~/.cache/resoft-api-fuzz), outside the checkout, so the next run on the machine reuses it.
 *
 * Prints one line per operation that failed, then "N passed, N failed" (operations); `--summary FILE`
 * also writes the counts as JSON (for .ci/run). Exit 1 on any violation or when the run could not be
 * made. RESOFT_API_FUZZ_EXAMPLES (default 5) bounds the test cases per operation and phase;
 * RESOFT_API_FUZZ_SEED makes a run repeatable; RESOFT_API_FUZZ_KEEP=1 keeps the report and server log.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Keep in step with docs/api-fuzz.md. */
const SCHEMATHESIS = 'schemathesis==4.32.5';
/** The conformance checks the issue names, and no 5xx; nothing else (no "negative data must be rejected" opinions). */
const CHECKS = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_schema_conformance', 'response_headers_conformance'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const summaryFile = option('--summary');
const examples = Number(process.env.RESOFT_API_FUZZ_EXAMPLES || 5);
const seed = process.env.RESOFT_API_FUZZ_SEED;
const keep = process.env.RESOFT_API_FUZZ_KEEP === '1';
const cacheRoot = path.resolve(process.env.RESOFT_API_FUZZ_CACHE || path.join(os.homedir(), '.cache', 'resoft-api-fuzz'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-api-fuzz-'));
const say = (line) => console.log(`[api-fuzz] ${line}`);

/** Ends the run with a summary that .ci/run can add (a run that could not be made counts as one failure). */
function finish(passed, failed, extra = {}) {
  console.log(`${passed} passed, ${failed} failed`);
  if (summaryFile) fs.writeFileSync(summaryFile, JSON.stringify({ passed, failed, ...extra }));
  process.exitCode = failed > 0 ? 1 : 0;
}

/** The pinned Schemathesis in its own virtualenv; the path of its `st`, or throws why not. */
function ensureSchemathesis() {
  const venv = path.join(cacheRoot, `venv-${SCHEMATHESIS.replace('==', '-')}`);
  const st = path.join(venv, 'bin', 'st');
  const marker = path.join(venv, '.resoft-installed');
  if (fs.existsSync(marker) && fs.existsSync(st)) return st;
  const python = ['python3', 'python'].find((name) => spawnSync(name, ['--version']).status === 0);
  if (!python) throw new Error('no python3 on PATH (Schemathesis is a Python tool)');
  say(`installing ${SCHEMATHESIS} into ${venv}`);
  fs.rmSync(venv, { recursive: true, force: true });
  fs.mkdirSync(cacheRoot, { recursive: true });
  const run = (command, commandArgs) => spawnSync(command, commandArgs, { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 }).status === 0;
  if (!run(python, ['-m', 'venv', venv])) throw new Error(`"${python} -m venv" failed`);
  if (!run(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', SCHEMATHESIS])) {
    throw new Error(`pip install ${SCHEMATHESIS} failed`);
  }
  fs.writeFileSync(marker, SCHEMATHESIS);
  return st;
}

/** The compiled all-in-one on a free port, data in `work`, and a server-side log to show 500s by. */
async function startServer() {
  if (!fs.existsSync(path.join(root, 'cli', 'dist', 'main.js'))) throw new Error('cli/dist is not built: run `npm run build` (or npm install / npm test) first');
  const dataDir = path.join(work, 'data');
  const logFile = path.join(work, 'server.log');
  // Only what the server needs: engine URLs that CI exports for the test suites must not reach it (SQLite, in process).
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.homedir(),
    PORT: '0',
    HOST: '127.0.0.1',
    RESOFT_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    // Cheap password hashing and a generous sign-in limit: register and login are fuzzed hundreds of times.
    RESOFT_SCRYPT_COST: '1024',
    RESOFT_AUTH_RATE_LIMIT: '100000',
    // Generated `?after=` positions lie in the future: each read would wait the full 2 s for them.
    RESOFT_READ_WAIT_MS: '100',
    // Generated code-quality checks run for real, one at a time, and the request stops waiting for one soon.
    RESOFT_CHECK_WORKERS: '1',
    RESOFT_CHECK_WAIT_MS: '1000',
    // The fuzz run outlives the default 15-minute access token on a loaded machine.
    RESOFT_ACCESS_TOKEN_TTL_SECONDS: '7200',
    ...(process.env.RESOFT_PYTHON_TOOLS_DIR ? { RESOFT_PYTHON_TOOLS_DIR: process.env.RESOFT_PYTHON_TOOLS_DIR } : {}),
  };
  const child = spawn(process.execPath, [path.join(root, 'bin', 'resoft.js'), 'start'], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = fs.createWriteStream(logFile);
  child.stderr.pipe(log);
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not say it was listening within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening; see ${logFile}`)));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      if (!line.includes('Resoft is listening')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line).port);
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    logFile,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      log.end();
    },
  };
}

/** A signed-in user and one of each resource, so path parameters can name real ids. */
async function seedData(baseUrl) {
  const call = async (method, url, body, token) => {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`setup: ${method} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  };
  const password = 'fuzz-password-1234';
  const signUp = async (username) => {
    const { user } = await call('POST', '/api/auth/register', { email: `${username}@example.com`, username, password });
    const { accessToken } = await call('POST', '/api/auth/login', { email: `${username}@example.com`, password });
    return { id: user.id, token: accessToken };
  };
  const owner = await signUp('fuzzowner');
  const peer = await signUp('fuzzpeer');
  const token = owner.token;
  const project = await call('POST', '/api/projects', { name: 'Fuzzed project', description: 'made by the schema fuzz run' }, token);
  await call('POST', `/api/projects/${project.id}/members`, { userId: peer.id, role: 'editor' }, token).catch((error) => say(`(no member added: ${error.message})`));
  const file = await call('POST', `/api/projects/${project.id}/files`, { path: 'src/main.py', content: 'print("hello")\n' }, token);
  const room = await call('POST', '/api/collaboration/rooms', { projectId: project.id, name: 'fuzz room' }, token);
  await call('POST', `/api/collaboration/rooms/${room.id}/join`, undefined, token);
  const message = await call('POST', '/api/collaboration/chat', { roomId: room.id, text: 'hello @fuzzpeer' }, token);
  const activity = await call('POST', '/api/agent-activities', { projectId: project.id, agent: 'developer', title: 'fuzz activity' }, token);
  const templates = await call('GET', '/api/v1/templates', undefined, token);
  const templateIds = (templates.items ?? []).map((t) => t.id).filter(Boolean).slice(0, 3);
  // A check and a template run have ids of their own; without one, their reads only ever answer 404.
  const optional = async (what, make) => make().catch((error) => say(`(no ${what}: ${error.message})`));
  const check = await optional('code-quality check', () => call('POST', '/api/code-quality/check', { projectId: project.id, code: 'print("hello")\n', filename: 'hello.py', linters: ['ruff'] }, token));
  const run = await optional('template run', () => call('POST', '/api/v1/templates/apply', { projectId: project.id, templateId: templateIds[0] }, token));
  return {
    token,
    ids: {
      projectId: [project.id],
      fileId: [file.id],
      roomId: [room.id],
      messageId: [message.id],
      activityId: [activity.id],
      userId: [peer.id],
      streamId: [`project-${project.id}`],
      ...(check?.checkId ?? check?.id ? { checkId: [check.checkId ?? check.id] } : {}),
      // `{id}` names a template in some paths and a template run in others.
      ...(templateIds.length || run?.id ? { id: [...templateIds, ...(run?.id ? [run.id] : [])] } : {}),
    },
  };
}

/** Schemathesis's config: each id a dictionary, used for most generated values of parameters of that name. */
function writeConfig(ids) {
  const toml = (value) => JSON.stringify(value);
  const lines = [];
  for (const [name, values] of Object.entries(ids)) lines.push(`[dictionaries.${name}]`, `values = [${values.map(toml).join(', ')}]`, '');
  lines.push('[parameters]');
  for (const name of Object.keys(ids)) {
    // Mostly real ids (answers with bodies to check), sometimes generated ones (the 400 and 404 answers).
    lines.push(`${toml(name)} = { dictionary = ${toml(name)}, probability = 0.8 }`);
    lines.push(`${toml(`body.${name}`)} = { dictionary = ${toml(name)}, probability = 0.8 }`);
  }
  const file = path.join(work, 'schemathesis.toml');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function runSchemathesis(st, configFile, baseUrl, token) {
  const reportDir = path.join(work, 'report');
  const stArgs = [
    '--config-file', configFile, '--no-color',
    'run', `${baseUrl}/api/openapi.json`,
    '--checks', CHECKS.join(','),
    '--max-examples', String(examples),
    '--header', `Authorization: Bearer ${token}`,
    '--continue-on-failure',
    '--request-timeout', '30',
    // One worker: with two, Hypothesis describes strategies from two threads at once and CPython 3.11's
    // ast.parse can fail ("AST constructor recursion depth mismatch"), a tool error rather than a finding.
    '--workers', '1',
    '--report', 'json', '--report-dir', reportDir,
    ...(seed ? ['--seed', seed] : []),
    // `--only REGEX`: fuzz just the operations whose path matches (a quick re-run of a finding).
    ...(option('--only') ? ['--include-path-regex', option('--only')] : []),
  ];
  say(`st run ${baseUrl}/api/openapi.json --checks ${CHECKS.join(',')} --max-examples ${examples}${seed ? ` --seed ${seed}` : ''}`);
  // Schemathesis's own output (failures with curl lines to reproduce them) goes to this run's output.
  return new Promise((resolve) => {
    const child = spawn(st, stArgs, { cwd: work, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => {
      const reports = fs.existsSync(reportDir) ? fs.readdirSync(reportDir).filter((f) => f.endsWith('.json')) : [];
      resolve({ code, report: reports.length ? JSON.parse(fs.readFileSync(path.join(reportDir, reports[0]), 'utf8')) : null });
    });
  });
}

/** Operations are the unit: one passes when no check failed on any of its test cases. */
function countOperations(report) {
  const failedOperations = new Map();
  for (const failure of report.failures ?? []) {
    for (const operation of failure.operations ?? []) failedOperations.set(operation, [...(failedOperations.get(operation) ?? []), `${failure.code} ${failure.title}`]);
  }
  for (const error of report.errors ?? []) {
    const operation = error.label ?? error.operation ?? 'run';
    failedOperations.set(operation, [...(failedOperations.get(operation) ?? []), `error: ${String(error.message ?? error.title ?? '').slice(0, 200)}`]);
  }
  const tested = report.operations?.tested ?? 0;
  return { failedOperations, passed: Math.max(0, tested - failedOperations.size), failed: failedOperations.size };
}

/** Unexpected failures the server logged (the 500s' causes), for the person reading the run. */
function serverErrors(logFile) {
  if (!fs.existsSync(logFile)) return [];
  return fs.readFileSync(logFile, 'utf8').split('\n').filter((line) => line.includes('"level":50')).slice(0, 5).map((line) => line.slice(0, 600));
}

let server;
try {
  const st = ensureSchemathesis();
  server = await startServer();
  say(`server at ${server.baseUrl}, data in ${work}`);
  const { token, ids } = await seedData(server.baseUrl);
  const started = Date.now();
  const { code, report } = await runSchemathesis(st, writeConfig(ids), server.baseUrl, token);
  if (!report) throw new Error(`Schemathesis exited ${code} without a report (is the OpenAPI document valid?)`);
  const { failedOperations, passed, failed } = countOperations(report);
  for (const [operation, problems] of failedOperations) console.log(`FAIL ${operation}: ${[...new Set(problems)].join('; ')}`);
  for (const line of serverErrors(server.logFile)) console.log(`server error: ${line}`);
  const cases = report.test_cases ?? {};
  say(`${report.operations?.tested ?? 0} operations, ${cases.generated ?? 0} test cases, ${cases.unique_failures ?? 0} unique failures in ${Math.round((Date.now() - started) / 1000)} s`);
  // Schemathesis exits 1 on any failure; a clean report with another exit code (a crash) still fails the run.
  finish(passed, failed || (code === 0 ? 0 : 1), { testCases: cases.generated ?? 0, violations: cases.unique_failures ?? 0 });
} catch (error) {
  console.error(`[api-fuzz] the fuzz run could not be made: ${error instanceof Error ? error.message : String(error)}`);
  finish(0, 1);
} finally {
  await server?.stop();
  if (keep) say(`kept ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
}
