import { FileVersionsController } from './file-versions-controller.js';
import { TestHost, scriptedApi, toasts, type Answers } from './test-host.fixture.js';

const realFetch = globalThis.fetch;
afterAll(() => (globalThis.fetch = realFetch));

const main = { id: 'f-main', path: 'src/main.py', lockedBy: null };
const util = { id: 'f-util', path: 'src/util.py', lockedBy: null };

function setUp(answers: Answers) {
  const host = new TestHost();
  const { api, requests } = scriptedApi(answers);
  const told = toasts();
  const went: string[] = [];
  const files = new FileVersionsController(host, { api: () => api, projectId: () => 'p-1', notify: told.notify, navigate: (path) => void went.push(path) });
  return { host, files, requests, told, went };
}

describe('the files of a project page', () => {
  it('loads the file list, asks the page to render it, and finds a file by id', async () => {
    const { host, files, requests } = setUp({ 'GET /api/projects/p-1/files': { status: 200, body: { items: [main, util] } } });
    await files.load();
    expect(files.files).toEqual([main, util]);
    expect(host.updates).toBeGreaterThan(0);
    expect(requests).toHaveLength(1);
    expect(files.byId('f-util')?.path).toBe('src/util.py');
    expect(files.byId(null)).toBeNull();
  });

  it('keeps the last list shown when a reload fails', async () => {
    let fail = false;
    const { files } = setUp({ 'GET /api/projects/p-1/files': () => (fail ? { status: 500, body: { error: { code: 'internal', message: 'Broken' } } } : { status: 200, body: { items: [main] } }) });
    await files.load();
    fail = true;
    await expect(files.load()).rejects.toThrow('Broken');
    expect(files.files).toEqual([main]);
  });

  it('creates an empty file, shows it in the list and opens it', async () => {
    let items = [main];
    const { files, requests, went } = setUp({
      'GET /api/projects/p-1/files': () => ({ status: 200, body: { items } }),
      'POST /api/projects/p-1/files': () => {
        items = [main, util];
        return { status: 201, body: { id: 'f-util', position: 3 } };
      },
    });
    await files.create('src/util.py');
    expect(requests[0]).toMatchObject({ method: 'POST', body: { path: 'src/util.py', content: '' } });
    expect(files.files).toEqual([main, util]);
    expect(went).toEqual(['/projects/p-1/files/f-util']);
  });

  it('says in plain words why a path was refused, and opens nothing', async () => {
    const { files, told, went } = setUp({
      'POST /api/projects/p-1/files': { status: 400, body: { error: { code: 'validation_failed', message: 'Invalid input', fields: [{ path: 'path', message: 'Path must not be empty' }] } } },
    });
    await files.create('');
    expect(told.seen).toEqual([{ kind: 'error', text: 'Not created: Path must not be empty.' }]);
    expect(went).toEqual([]);
  });

  it('locks and unlocks a file and shows the lock from the reloaded list; a refusal is told', async () => {
    let lockedBy: string | null = null;
    const { files, requests, told } = setUp({
      'GET /api/projects/p-1/files': () => ({ status: 200, body: { items: [{ ...main, lockedBy }] } }),
      'POST /api/projects/p-1/files/f-main/lock': () => {
        lockedBy = 'u-self';
        return { status: 200, body: { position: 4 } };
      },
      'POST /api/projects/p-1/files/f-main/unlock': { status: 409, body: { error: { code: 'not_lock_holder', message: 'Someone else holds the lock' } } },
    });
    await files.setLock('f-main', true);
    expect(files.byId('f-main')?.lockedBy).toBe('u-self');
    await files.setLock('f-main', false);
    expect(told.seen).toEqual([{ kind: 'error', text: 'Someone else holds the lock' }]);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/projects/p-1/files/f-main/lock',
      'GET /api/projects/p-1/files',
      'POST /api/projects/p-1/files/f-main/unlock',
    ]);
  });

  it('asks the lock holder to release the lock and says so', async () => {
    const { files, told } = setUp({ 'POST /api/projects/p-1/files/f-main/unlock-requests': { status: 202, body: {} } });
    await files.askUnlock('f-main', 'alice');
    expect(told.seen).toEqual([{ kind: 'success', text: 'alice was asked to unlock the file.' }]);
  });

  it('opens and closes the version history', () => {
    const { files, host } = setUp({});
    expect(files.toggleHistory()).toBe(true);
    expect(files.historyOpen).toBe(true);
    expect(files.toggleHistory()).toBe(false);
    expect(host.updates).toBe(2);
  });
});
