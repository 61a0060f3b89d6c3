import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient, type Session, startTestServer, type TestServer } from '@resoft/testkit';
import { runCli } from '@resoft/testkit/processes';

/** Every file under `dir` (but .git) with its text, by relative path. */
function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}

let keptDir = '';
const dataDir = () => keptDir;

const git = (cwd: string, ...args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: cwd } }).stdout;

/** Each of these spawns the CLI (a cold start each time) several times: bounded generously, not timed. */
const CLI_TEST_MS = 180_000;

describe('time travel: resoft replay and resoft export git', () => {
  let server: TestServer;
  let api: ApiClient;
  let owner: Session;
  let projectId: string;
  /** What the read API answered at each recorded moment: position → path → text. */
  const answered = new Map<number, Record<string, string>>();
  let timeAfterFirstEdit = '';
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-travel-'));

  /** Records what the files API answers right after a write, as the moment's expected state. */
  async function record(position: number): Promise<void> {
    const list = await api.readWhenFresh(`/api/projects/${projectId}/files`, position, owner.accessToken);
    const files: Record<string, string> = {};
    for (const item of list.body.items as { id: string; path: string }[]) {
      files[item.path] = (await api.get(`/api/projects/${projectId}/files/${item.id}`, owner.accessToken)).body.text;
    }
    answered.set(position, files);
  }

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.baseUrl);
    owner = await api.signUp('owner');
    projectId = (await api.post('/api/projects', { name: 'Travelled' }, owner.accessToken)).body.id;
    const main = (await api.post(`/api/projects/${projectId}/files`, { path: 'src/main.py', content: 'print("one")\n' }, owner.accessToken)).body;
    await record(main.position);
    const edit = await api.request('PUT', `/api/projects/${projectId}/files/${main.id}/content`, { token: owner.accessToken, body: { content: 'print("two")\n' } });
    await record(edit.body.position);
    await new Promise((r) => setTimeout(r, 20));
    timeAfterFirstEdit = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const readme = (await api.post(`/api/projects/${projectId}/files`, { path: 'README.md', content: '# Travelled\n' }, owner.accessToken)).body;
    await record(readme.position);
    const moved = await api.request('PATCH', `/api/projects/${projectId}/files/${main.id}`, { token: owner.accessToken, body: { path: 'app/main.py' } });
    await record(moved.body.position);
    const edit2 = await api.request('PUT', `/api/projects/${projectId}/files/${main.id}/content`, { token: owner.accessToken, body: { content: 'print("three")\n' } });
    await record(edit2.body.position);
    const gone = await api.request('DELETE', `/api/projects/${projectId}/files/${readme.id}`, { token: owner.accessToken });
    await record(gone.body.position);
    await server.stop({ keepData: true });
    keptDir = server.config.dataDir;
  });
  afterAll(() => {
    fs.rmSync(dataDir(), { recursive: true, force: true });
    fs.rmSync(server.config.dataDir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('writes the files as the API showed them at every recorded position', async () => {
    for (const [position, files] of answered) {
      const out = path.join(work, `replay-${position}`);
      const result = await runCli(['replay', '--project', projectId, '--as-of', String(position), '--out', out], server.env);
      expect([result.code, result.stderr]).toEqual([0, '']);
      expect(readTree(out)).toEqual(files);
    }
  }, CLI_TEST_MS);

  it('takes an ISO-8601 time, and refuses anything else', async () => {
    const out = path.join(work, 'replay-time');
    const result = await runCli(['replay', '--project', projectId, '--as-of', timeAfterFirstEdit, '--out', out], server.env);
    expect(result.code).toBe(0);
    expect(readTree(out)).toEqual({ 'src/main.py': 'print("two")\n' });
    const bad = await runCli(['replay', '--project', projectId, '--as-of', 'yesterday', '--out', path.join(work, 'bad')], server.env);
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('asOf must be a position')]);
  }, CLI_TEST_MS);

  it('exports the history as a git repository whose commits hold each version, with author and time from the events', async () => {
    const out = path.join(work, 'repo');
    const result = await runCli(['export', 'git', '--project', projectId, '--out', out], server.env);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const log = git(out, 'log', '--reverse', '--format=%H %an %aI %s').trim().split('\n');
    expect(log.length).toBe(answered.size);
    expect(log.every((line) => line.includes(' owner '))).toBe(true);
    const commits = log.map((line) => line.split(' ')[0]!);
    const expected = [...answered.values()];
    commits.forEach((commit, i) => {
      const paths = git(out, 'ls-tree', '-r', '--name-only', commit).trim().split('\n').filter(Boolean).sort();
      expect(paths).toEqual(Object.keys(expected[i]!).sort());
      for (const p of paths) expect(git(out, 'show', `${commit}:${p}`)).toBe(expected[i]![p]);
    });
  }, CLI_TEST_MS);

  it('answers the file list and a file\'s text as of each recorded moment over HTTP (?asOf=)', async () => {
    const again = await startTestServer({}, dataDir());
    try {
      const client = new ApiClient(again.baseUrl);
      const me = (await client.post('/api/auth/login', { email: owner.email, password: 'correct horse battery' })).body;
      for (const [position, files] of answered) {
        const list = await client.get(`/api/projects/${projectId}/files?asOf=${position}`, me.accessToken);
        expect(list.status).toBe(200);
        const texts: Record<string, string> = {};
        for (const item of list.body.items as { id: string; path: string }[]) {
          const file = await client.get(`/api/projects/${projectId}/files/${item.id}?asOf=${position}`, me.accessToken);
          expect([file.status, file.body.path]).toEqual([200, item.path]);
          texts[item.path] = file.body.text;
        }
        expect(texts).toEqual(files);
      }
      const bad = await client.get(`/api/projects/${projectId}/files?asOf=2026-13-45T00:00:00Z`, me.accessToken);
      expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_as_of']);
    } finally {
      await again.stop({ keepData: true });
    }
  });
});
