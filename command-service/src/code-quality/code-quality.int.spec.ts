/**
 * Code-quality checks over HTTP on the real all-in-one server with the real
 * linters: submit → wait → result, history and "new since last run",
 * exports, and who may see a check.
 */
import { ApiClient, type Session, describeWithPythonChecks, startTestServer, type TestServer } from '@resoft/testkit';

const describeWithTools = describeWithPythonChecks('code-quality API suite');

const FIRST = [
  'import os',
  '',
  '',
  'def greet(name: str) -> str:',
  '    return "hello " + name',
  '',
  '',
  'print(greet(42))',
  'print(missing)',
  '',
].join('\n');

// Two lines added above, `os` no longer imported but `sys` is: only the `sys` findings are new.
const SECOND = [
  '"""Greetings."""',
  'import sys',
  '',
  '',
  'def greet(name: str) -> str:',
  '    return "hello " + name',
  '',
  '',
  'print(greet(42))',
  'print(missing)',
  '',
].join('\n');

const at = (findings: Array<{ tool: string; ruleId: string; region: { startLine: number } }>) =>
  findings.map((f) => `${f.tool} ${f.ruleId} ${f.region.startLine}`);

describeWithTools('code-quality checks over HTTP', () => {
  let server: TestServer;
  let api: ApiClient;
  let ann: Session;
  let zed: Session;
  let projectId: string;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.baseUrl);
    ann = await api.signUp('ann');
    zed = await api.signUp('zed');
    projectId = (await api.post('/api/projects', { name: 'Apollo' }, ann.accessToken)).body.id;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  const check = (body: unknown, token: string, wait = true) => api.post(`/api/code-quality/check${wait ? '?wait=true' : ''}`, body, token);

  it('runs every Python linter on uploaded files and answers with the findings, score and grade when asked to wait', async () => {
    const answer = await check({ projectId, files: [{ path: 'app/greet.py', content: FIRST }] }, ann.accessToken);
    expect(answer.status).toBe(200);
    const result = answer.body.check;
    expect(result.status).toBe('completed');
    expect(result.results.map((r: { linter: string; status: string }) => `${r.linter}:${r.status}`).sort()).toEqual(['mypy:ok', 'pylint:ok', 'ruff:ok']);
    expect(at(result.findings)).toEqual(expect.arrayContaining(['ruff F401 1', 'ruff F821 9', 'mypy arg-type 8']));
    // One problem seen by several linters is one finding naming all of them (rule-equivalence.ts).
    const undefinedName = result.findings.find((f: { ruleId: string }) => f.ruleId === 'F821');
    expect(undefinedName.alsoReportedBy).toEqual([{ tool: 'pylint', ruleId: 'E0602/undefined-variable' }, { tool: 'mypy', ruleId: 'name-defined' }]);
    expect(result.score).toBeGreaterThanOrEqual(0);
    expect(result.score).toBeLessThan(90);
    expect(['B', 'C', 'D', 'E']).toContain(result.grade);
    expect(result.formulaVersion).toBe(2);
    expect(result.counts.error).toBeGreaterThanOrEqual(2);

    const read = await api.get(`/api/code-quality/checks/${answer.body.id}?after=${answer.body.position}`, ann.accessToken);
    expect(read.status).toBe(200);
    expect(read.body.score).toBe(result.score);
    expect(read.body.findings).toHaveLength(result.findings.length);
  });

  it('accepts a check without waiting and lets the requester read it once it is done', async () => {
    const answer = await check({ code: 'const a = 1;\nconsole.log(b);\n', language: 'javascript' }, zed.accessToken, false);
    expect(answer.status).toBe(202);
    expect(answer.body.status).toBe('requested');
    let read = await api.get(`/api/code-quality/checks/${answer.body.id}?after=${answer.body.position}`, zed.accessToken);
    for (let i = 0; i < 200 && !['completed', 'failed'].includes(read.body.status); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      read = await api.get(`/api/code-quality/checks/${answer.body.id}`, zed.accessToken);
    }
    expect(read.body.status).toBe('completed');
    expect(at(read.body.findings)).toEqual(['eslint no-unused-vars 1', 'eslint no-undef 2']);
  });

  it('tells what is new since the last run of the project, by fingerprint, and keeps the score trend', async () => {
    const first = await check({ projectId, files: [{ path: 'app/greet.py', content: FIRST }] }, ann.accessToken);
    const second = await check({ projectId, files: [{ path: 'app/greet.py', content: SECOND }] }, ann.accessToken);
    expect(second.status).toBe(200);
    const read = await api.get(`/api/code-quality/checks/${second.body.id}?after=${second.body.position}`, ann.accessToken);
    expect(read.body.newSinceLastRun.previousCheckId).toBe(first.body.id);
    const fresh = at(read.body.newSinceLastRun.findings);
    expect(fresh).toEqual(expect.arrayContaining(['ruff F401 2']));
    // Moved two lines down, unchanged: not new.
    expect(fresh).not.toContain('ruff F821 10');
    expect(fresh).not.toContain('mypy arg-type 9');

    const history = await api.get(`/api/projects/${projectId}/checks?after=${second.body.position}`, ann.accessToken);
    expect(history.status).toBe(200);
    expect(history.body.items.map((c: { id: string }) => c.id).slice(0, 2)).toEqual([second.body.id, first.body.id]);
    expect(history.body.items[0].newSinceLastRun).toBe(read.body.newSinceLastRun.count);
    expect(history.body.trend.map((t: { checkId: string }) => t.checkId).slice(-2)).toEqual([first.body.id, second.body.id]);
    expect(history.body.trend.at(-1).score).toBe(read.body.score);

    // On the project's timeline, and in its audit view, for members only.
    const timeline = await api.get(`/api/projects/${projectId}/activity?type=CheckCompleted&after=${second.body.position}`, ann.accessToken);
    expect(timeline.body.items[0]).toMatchObject({ type: 'CheckCompleted', streamId: `check-${second.body.id}`, summary: `a code-quality check scored ${read.body.score} (grade ${read.body.grade})` });
    const stream = await api.get(`/api/streams/check-${second.body.id}/events`, ann.accessToken);
    expect(stream.body.events.map((e: { type: string }) => e.type)).toEqual(['CheckRequested', 'CheckStarted', 'LinterFinished', 'LinterFinished', 'LinterFinished', 'CheckCompleted']);
    expect((await api.get(`/api/streams/check-${second.body.id}/events`, zed.accessToken)).status).toBe(404);
  });

  it('keeps a project\'s checks from non-members and a personal check from everyone but its requester', async () => {
    const projectCheck = await check({ projectId, code: 'x = 1\n', language: 'python', linters: ['ruff'] }, ann.accessToken);
    const personal = await check({ code: 'x = 1\n', language: 'python', linters: ['ruff'] }, zed.accessToken);
    expect((await api.get(`/api/code-quality/checks/${projectCheck.body.id}?after=${projectCheck.body.position}`, zed.accessToken)).status).toBe(404);
    expect((await api.get(`/api/code-quality/checks/${projectCheck.body.id}/export?format=sarif`, zed.accessToken)).status).toBe(404);
    expect((await api.get(`/api/projects/${projectId}/checks`, zed.accessToken)).status).toBe(404);
    expect((await api.get(`/api/code-quality/checks/${personal.body.id}?after=${personal.body.position}`, ann.accessToken)).status).toBe(404);
    expect((await api.get(`/api/code-quality/checks/${personal.body.id}`, zed.accessToken)).status).toBe(200);
    // Nor may a non-member submit a check to the project.
    expect((await check({ projectId, code: 'x = 1\n' }, zed.accessToken, false)).status).toBe(404);
  });

  it('exports a check as SARIF 2.1.0, JSON and Markdown', async () => {
    const answer = await check({ projectId, files: [{ path: 'app/greet.py', content: FIRST }] }, ann.accessToken);
    const id = answer.body.id;
    await api.get(`/api/code-quality/checks/${id}?after=${answer.body.position}`, ann.accessToken);
    const sarif = await api.get(`/api/code-quality/checks/${id}/export?format=sarif`, ann.accessToken);
    expect(sarif.status).toBe(200);
    expect(sarif.headers.get('content-type')).toContain('application/sarif+json');
    expect(sarif.body.version).toBe('2.1.0');
    const ruffRun = sarif.body.runs.find((run: { tool: { driver: { name: string } } }) => run.tool.driver.name === 'ruff');
    const unusedImport = ruffRun.results.find((r: { ruleId: string }) => r.ruleId === 'F401');
    expect(unusedImport.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'app/greet.py' }, region: { startLine: 1, startColumn: 8, endLine: 1, endColumn: 10 } });
    expect(unusedImport.fixes[0].artifactChanges[0].replacements[0].insertedContent.text).toBe('');
    expect(ruffRun.tool.driver.rules.find((r: { id: string }) => r.id === 'F401').helpUri).toContain('unused-import');

    const markdown = await api.get(`/api/code-quality/checks/${id}/export?format=markdown`, ann.accessToken);
    expect(markdown.headers.get('content-type')).toContain('text/markdown');
    expect(markdown.body).toContain(`Score ${answer.body.check.score} / 100, grade ${answer.body.check.grade}`);
    expect(markdown.body).toContain('## app/greet.py');

    const json = await api.get(`/api/code-quality/checks/${id}/export?format=json`, ann.accessToken);
    expect(json.body.id).toBe(id);
  });

  it('checks a project file at a version, and says which file and version it checked', async () => {
    const created = await api.post(`/api/projects/${projectId}/files`, { path: 'src/calc.py', content: 'import os\n\nVALUE = 1\n' }, ann.accessToken);
    expect(created.status).toBe(201);
    const fileId = created.body.id;
    const rewritten = await api.request('PUT', `/api/projects/${projectId}/files/${fileId}/content`, { token: ann.accessToken, body: { content: 'VALUE = 1\n' } });
    expect(rewritten.status).toBe(200);

    const atFirst = await check({ projectId, linters: ['ruff'], projectFiles: [{ fileId, version: 0 }] }, ann.accessToken);
    expect(atFirst.status).toBe(200);
    expect(atFirst.body.check.source).toBe('project_file');
    expect(atFirst.body.check.files).toEqual([{ path: 'src/calc.py', language: 'python', lines: 3, origin: { fileId, version: 0 } }]);
    expect(at(atFirst.body.check.findings)).toEqual(['ruff F401 1']);

    const latest = await check({ projectId, linters: ['ruff'], projectFiles: [{ fileId }] }, ann.accessToken);
    expect(latest.body.check.files[0].origin).toEqual({ fileId, version: 1 });
    expect(latest.body.check.findings).toEqual([]);

    expect((await check({ projectId, projectFiles: [{ fileId }] }, zed.accessToken, false)).status).toBe(404);
    expect((await check({ projectFiles: [{ fileId }] }, ann.accessToken, false)).status).toBe(400);
  });

  it('checks a project file in its project: the other files are read as context, a missing package is listed, not weighed', async () => {
    const add = async (path: string, content: string) => (await api.post(`/api/projects/${projectId}/files`, { path, content }, ann.accessToken)).body.id as string;
    await add('svc/requirements.txt', 'requests>=2\n');
    await add('svc/pkg/__init__.py', '');
    await add('svc/pkg/b.py', '"""Helpers."""\n\n\ndef helper(value: int) -> int:\n    """Double."""\n    return value * 2\n');
    const fileId = await add('svc/pkg/a.py', '"""Uses b."""\nimport requests\n\nfrom .b import helper\n\n\ndef run() -> int:\n    """Run."""\n    requests.get("https://example.com", timeout=5)\n    return helper(2, 3)\n');
    const answer = await check({ projectId, linters: ['pylint'], projectFiles: [{ fileId }] }, ann.accessToken);
    expect(answer.status).toBe(200);
    const report = answer.body.check;
    expect(report.files.map((f: { path: string }) => f.path)).toEqual(['svc/pkg/a.py']);
    expect(report.contextFiles).toBeGreaterThanOrEqual(2);
    // Before: E0401 import-error and E0402 relative-beyond-top-level; now the cross-module finding appears instead.
    expect(at(report.findings)).toEqual(['pylint E1121/too-many-function-args 10']);
    expect(report.results[0].notInstalled).toEqual([{ module: 'requests', declared: true }]);
  });

  it('checks uploaded files in their uploaded tree: files sent as context are read, not checked', async () => {
    const answer = await check({
      linters: ['pylint'],
      files: [
        { path: 'lib/pkg/__init__.py', content: '', context: true },
        { path: 'lib/pkg/b.py', content: 'import os\n\n\ndef helper(value):\n    return value * 2\n', context: true },
        { path: 'lib/pkg/a.py', content: '"""Uses b."""\nfrom .b import helper\n\nRESULT = helper(1, 2)\n' },
      ],
    }, ann.accessToken);
    expect(answer.status).toBe(200);
    expect(answer.body.check.files.map((f: { path: string }) => f.path)).toEqual(['lib/pkg/a.py']);
    expect(answer.body.check.contextFiles).toBe(2);
    // b.py's own problems (unused import, no docstrings) are not reported; the wrong call into it is.
    expect(at(answer.body.check.findings)).toEqual(['pylint E1121/too-many-function-args 4']);
  });

  it('reports the linters with their versions, and its health', async () => {
    const linters = await api.get('/api/code-quality/linters', ann.accessToken);
    expect(linters.status).toBe(200);
    const byName = Object.fromEntries(linters.body.linters.map((l: { name: string }) => [l.name, l]));
    expect(byName.pylint).toMatchObject({ available: true, version: '4.1.4', languages: ['python'] });
    expect(byName.mypy).toMatchObject({ available: true, version: '2.4.1' });
    expect(byName.ruff).toMatchObject({ available: true, version: '0.17.6' });
    expect(byName.eslint).toMatchObject({ available: true, languages: ['javascript', 'typescript'] });
    const health = await api.get('/api/code-quality/health');
    expect(health.body.status).toBe('ok');
    expect(health.body.runner.following).toBe(true);
  });

  it('refuses input it cannot check with a clear 400', async () => {
    const both = await check({ code: 'x = 1', files: [{ path: 'a.py', content: 'x = 1' }] }, ann.accessToken, false);
    expect(both.status).toBe(400);
    const onlyConfig = await check({ files: [{ path: '.pylintrc', content: '[MAIN]\ninit-hook=print(1)\n' }] }, ann.accessToken, false);
    expect(onlyConfig.status).toBe(400);
    expect(onlyConfig.body.error.code).toBe('no_files');
    const tooMany = await check({ files: Array.from({ length: 51 }, (_, i) => ({ path: `m${i}.py`, content: 'x = 1\n' })) }, ann.accessToken, false);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('too_many_files');
    const tenMegabytes = await check({ files: [{ path: 'huge.py', content: 'x = 1\n'.repeat(10 * 1024 * 1024 / 6) }] }, ann.accessToken, false);
    expect(tenMegabytes.status).toBe(413);
  });
});
