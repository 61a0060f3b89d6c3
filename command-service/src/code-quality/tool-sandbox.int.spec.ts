/**
 * What submitted code can do when it does run inside a linter's sandbox:
 * read the data directory's key, another process's environment, write
 * outside its folder, reach the network, fork without end. Nothing of it
 * reaches the host, the secret never shows in any output, and the run ends
 * at its bound with its whole process tree.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { newId } from '@resoft/infra';
import { DEFAULT_PYTHON_TOOLS_DIR } from '../command-service-config.js';
import { SANDBOX_DEFAULTS } from './check-engine.js';
import { checkDecider, fold, type CheckEvent } from '@resoft/domain';
import { describeWithPythonTools, describeWithSandbox, testEngine, unsandboxedEngine } from './code-quality.fixture.js';
import { SANDBOX_SRC, ToolSandbox } from './tool-sandbox.js';

/** Processes whose command line names `needle` (the payload's file), on the host. */
const processesNaming = (needle: string): number[] => readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
  } catch {
    return false;
  }
}).map(Number);

describeWithSandbox('the tool sandbox')('the tool sandbox', () => {
  const id = newId();
  const secret = `resoft-secret-${newId()}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'resoft-data-'));
  const keyFile = path.join(dataDir, 'keys', 'access-token.key');
  const outsideMarkers = [path.join(os.tmpdir(), `resoft-escape-${id}`), path.join(dataDir, `escape-${id}`), path.join(realpathSync(DEFAULT_PYTHON_TOOLS_DIR), `escape-${id}`)];
  const payloadName = `payload_${id.replaceAll('-', '_')}.py`;
  let work: string;
  let decoy: ChildProcess;
  let listener: net.Server;
  let connections = 0;
  const sandbox = new ToolSandbox({ bwrapPath: SANDBOX_DEFAULTS.sandboxPath, allowUnsandboxed: false, toolsDir: DEFAULT_PYTHON_TOOLS_DIR, maxProcesses: 64 });

  beforeAll(async () => {
    mkdirSync(path.dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, secret);
    // A process of ours holding the secret in its environment, as the server holds its configuration.
    decoy = spawn('sleep', ['300'], { env: { RESOFT_JWT_SECRET: secret }, stdio: 'ignore' });
    listener = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    work = mkdtempSync(path.join(os.tmpdir(), 'resoft-sandbox-spec-'));
    mkdirSync(path.join(work, 'src'), { mode: 0o755 });
    mkdirSync(path.join(work, 'config'), { mode: 0o755 });
  });

  afterAll(async () => {
    decoy.kill('SIGKILL');
    await new Promise((resolve) => listener.close(resolve));
    rmSync(work, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
    for (const marker of outsideMarkers) rmSync(marker, { force: true });
  });

  it('says it is bubblewrap, running tools as user 65534', async () => {
    expect(await sandbox.status()).toMatchObject({ isolation: 'bubblewrap', user: expect.stringContaining('65534'), reason: null });
  });

  it('keeps hostile code from the key, other processes, the host\'s files and the network, and ends its fork storm at the bound', async () => {
    const { port } = listener.address() as net.AddressInfo;
    const payload = `
import os, socket, sys, time
seen = []
def attempt(what, action):
    try:
        seen.append(what + ": " + repr(action())[:400])
    except Exception as error:
        seen.append(what + " refused: " + type(error).__name__)
attempt("key", lambda: open(${JSON.stringify(keyFile)}).read())
attempt("parent environ", lambda: open("/proc/%d/environ" % os.getppid(), "rb").read())
attempt("decoy environ", lambda: open("/proc/${decoy.pid}/environ", "rb").read())
def every_environ():
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                found.append(open("/proc/%s/environ" % pid, "rb").read())
            except OSError:
                pass
    return found
attempt("every environ", every_environ)
attempt("environment", lambda: dict(os.environ))
for marker in ${JSON.stringify(outsideMarkers)} + ["${SANDBOX_SRC}/escape", "/usr/escape-${id}"]:
    attempt("write " + marker, lambda: open(marker, "w").write("escaped"))
attempt("network", lambda: socket.create_connection(("127.0.0.1", ${port}), timeout=2))
attempt("outside network", lambda: socket.create_connection(("1.1.1.1", 53), timeout=2))
print("\\n".join(seen), flush=True)
children = 0
try:
    for _ in range(5000):
        if os.fork() == 0:
            time.sleep(600)
            os._exit(0)
        children += 1
except OSError as error:
    print("fork stopped after", children, type(error).__name__, flush=True)
time.sleep(600)
`;
    writeFileSync(path.join(work, 'src', payloadName), payload, { mode: 0o644 });
    const started = Date.now();
    const outcome = await sandbox.runTool({
      executable: path.join(DEFAULT_PYTHON_TOOLS_DIR, 'bin', 'python3'), args: [`./${payloadName}`], srcDir: path.join(work, 'src'), configDir: path.join(work, 'config'),
      extraEnv: {}, timeoutMs: 8000, outputBytes: 1024 * 1024, memoryBytes: 1024 * 1024 * 1024,
    });
    expect(outcome).not.toBeNull();
    const output = `${outcome!.stdout}\n${outcome!.stderr}`;
    // It ran, tried everything, and was stopped at its bound.
    expect(output).toContain('key refused');
    expect(output).toContain('network refused');
    expect(output).toMatch(/fork stopped after \d+ BlockingIOError/);
    expect(outcome!.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(60_000);
    // Nothing of it reached the host.
    expect(output).not.toContain(secret);
    for (const marker of outsideMarkers) expect(existsSync(marker)).toBe(false);
    expect(existsSync(path.join(work, 'src', 'escape'))).toBe(false);
    expect(connections).toBe(0);
    // Its whole tree is gone (allow the kernel a moment to reap it).
    for (let i = 0; i < 50 && processesNaming(payloadName).length > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processesNaming(payloadName)).toEqual([]);
    // The decoy was never touched.
    expect(decoy.exitCode).toBeNull();
  }, 90_000);
});

describeWithPythonTools('no sandbox')('where no sandbox can start', () => {
  it('refuses Python checks with "unavailable: no sandbox" and the reason, and the check is partial', async () => {
    const engine = testEngine({ sandboxPath: '/nonexistent/bwrap' });
    expect(await engine.isolation()).toMatchObject({ isolation: 'unavailable', reason: expect.stringContaining('/nonexistent/bwrap is missing') });
    const results = await engine.run([{ path: 'a.py', content: 'x = 1\n', language: 'python' }, { path: 'b.js', content: 'export const b = 1;\n', language: 'javascript' }], ['ruff', 'eslint']);
    expect(results.find((r) => r.linter === 'ruff')).toMatchObject({ status: 'unavailable', message: expect.stringMatching(/^unavailable: no sandbox \(\/nonexistent\/bwrap is missing/) });
    expect(results.find((r) => r.linter === 'eslint')).toMatchObject({ status: 'ok' });
    const history = [
      { type: 'CheckRequested', data: { checkId: 'c', projectId: null, requestedBy: 'u', source: 'paste', linters: ['ruff', 'eslint'], files: [], ignoredFiles: [] } },
      { type: 'CheckStarted', data: { checkId: 'c', projectId: null, runnerId: 'r', leaseUntil: 1 } },
      ...results.map((result) => ({ type: 'LinterFinished', data: { checkId: 'c', projectId: null, ...result } })),
    ] as CheckEvent[];
    const [completed] = checkDecider.decide({ type: 'CompleteCheck', runnerId: 'r', formulaVersion: 1 }, fold(checkDecider, history));
    expect(completed).toMatchObject({ type: 'CheckCompleted', data: { grade: 'B', incomplete: [{ linter: 'ruff', reason: expect.stringContaining('no sandbox') }] } });
    await engine.close();
  });

  it('runs them without one only when the operator opted in, and says so', async () => {
    const engine = unsandboxedEngine();
    expect(await engine.isolation()).toMatchObject({ isolation: 'none (opted in)' });
    const [ruff] = await engine.run([{ path: 'a.py', content: 'import os\n', language: 'python' }], ['ruff']);
    expect(ruff).toMatchObject({ status: 'ok', findings: [expect.objectContaining({ ruleId: 'F401' })] });
  });
});
