/**
 * The operating-system sandbox every Python linter runs in (bubblewrap). A
 * tool sees a read-only `/usr`, its interpreter and its virtual environment,
 * the submitted files read-only under `/check/src`, our configuration under
 * `/check/config`, a private empty `/tmp`, and nothing else: no network, no
 * data directory, no keys, no other process's `/proc`, no environment of
 * ours. It runs as user 65534 without capabilities, with CPU-time,
 * address-space and process-count limits; killing bwrap kills the sandbox's
 * whole process tree (its pid namespace).
 *
 * Where the sandbox cannot start (found by a real probe at the first check),
 * Python checks are refused, unless the operator opted in to run them
 * unsandboxed (`RESOFT_CHECK_ALLOW_UNSANDBOXED=true`).
 */
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { minimalEnv, prlimitPath, runBounded, type BoundedOutcome } from './bounded-process.js';

/** What `GET /api/code-quality/health` reports as the isolation of Python checks. */
export type Isolation = 'bubblewrap' | 'none (opted in)' | 'unavailable';

export interface SandboxStatus {
  readonly isolation: Isolation;
  /** Who the tools run as inside, e.g. "host uid 65534" or "uid 65534 in a user namespace". */
  readonly user: string | null;
  /** Why the sandbox is not used, when it is not. */
  readonly reason: string | null;
}

export interface SandboxOptions {
  readonly bwrapPath: string;
  readonly allowUnsandboxed: boolean;
  /** The Python tools' virtual environment. */
  readonly toolsDir: string;
  /** Most tasks (processes and threads) the sandbox user may have. */
  readonly maxProcesses: number;
}

export interface SandboxedRun {
  readonly executable: string;
  readonly args: readonly string[];
  /** Host directories: `src` (the submitted files) and `config` (ours), both mounted read-only. */
  readonly srcDir: string;
  readonly configDir: string;
  readonly extraEnv: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly outputBytes: number;
  readonly memoryBytes: number;
}

/** Where the submitted files and our configuration are seen from inside the sandbox. */
export const SANDBOX_SRC = '/check/src';
export const SANDBOX_CONFIG = '/check/config';
export const SANDBOX_UID = 65534;

const SETPRIV = '/usr/bin/setpriv';
const REPROBE_MS = 60_000;

/** The directories a path lies in, outermost first, e.g. /a, /a/b for /a/b/c. */
const ancestors = (target: string): string[] => {
  const parts = target.split('/').filter(Boolean);
  return parts.slice(0, -1).map((_, i) => '/' + parts.slice(0, i + 1).join('/'));
};

/** The interpreter's installation prefix, which holds the standard library the tools need. */
function interpreterPrefix(toolsDir: string): string | null {
  const python = path.join(toolsDir, 'bin', 'python3');
  if (!existsSync(python)) return null;
  return path.dirname(path.dirname(realpathSync(python)));
}

export class ToolSandbox {
  private probed: Promise<SandboxStatus> | null = null;
  /** As root, bwrap mounts as root and the tool drops to the host's user 65534 (so the process limit counts); otherwise a user namespace maps 65534. */
  private readonly asRoot = process.getuid?.() === 0;

  constructor(private readonly options: SandboxOptions) {}

  /** When the last probe found no sandbox: it is tried again a minute later (a probe can fail on a briefly overloaded host). */
  private failedAt: number | null = null;

  /** Probes (a real sandboxed run of the tools' interpreter) and remembers the answer; a failed probe is retried after a minute. */
  status(): Promise<SandboxStatus> {
    if (this.failedAt !== null && Date.now() - this.failedAt > REPROBE_MS) {
      this.failedAt = null;
      this.probed = null;
    }
    return (this.probed ??= this.probe().then((status) => {
      if (status.isolation !== 'bubblewrap') this.failedAt = Date.now();
      return status;
    }));
  }

  private async probe(): Promise<SandboxStatus> {
    const none = (reason: string): SandboxStatus => this.options.allowUnsandboxed
      ? { isolation: 'none (opted in)', user: null, reason }
      : { isolation: 'unavailable', user: null, reason };
    if (!existsSync(this.options.bwrapPath)) return none(`${this.options.bwrapPath} is missing (install the bubblewrap package)`);
    if (this.asRoot && !existsSync(SETPRIV)) return none(`${SETPRIV} is missing (util-linux)`);
    const python = path.join(this.options.toolsDir, 'bin', 'python3');
    if (!existsSync(python)) return none(`no Python in ${this.options.toolsDir}`);
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'resoft-sandbox-probe-'));
    try {
      const outcome = await this.run({
        executable: python, args: ['-c', 'import os, socket\ntry:\n    socket.create_connection(("1.1.1.1", 53), timeout=1); print("network")\nexcept OSError:\n    print(os.getuid())'],
        srcDir: scratch, configDir: scratch, extraEnv: {}, timeoutMs: 20_000, outputBytes: 64 * 1024, memoryBytes: 1024 * 1024 * 1024,
      });
      const answer = outcome.stdout.trim();
      if (outcome.exitCode === 0 && answer === String(SANDBOX_UID)) {
        return { isolation: 'bubblewrap', user: this.asRoot ? `host uid ${SANDBOX_UID}` : `uid ${SANDBOX_UID} in a user namespace`, reason: null };
      }
      if (answer === 'network') return none('the sandbox probe reached the network');
      return none(`the sandbox probe failed (exit ${outcome.exitCode}): ${(outcome.spawnError ?? outcome.stderr).trim().slice(0, 300)}`);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** Where a tool sees the submitted files and our configuration: fixed paths in the sandbox, the host's own paths without it. */
  static visiblePaths(status: SandboxStatus, host: { src: string; config: string }): { src: string; config: string } {
    return status.isolation === 'bubblewrap' ? { src: SANDBOX_SRC, config: SANDBOX_CONFIG } : host;
  }

  /**
   * Runs a tool (its arguments naming the paths `visiblePaths` gave): in the
   * sandbox when it is available; directly (bounded, as without a sandbox)
   * when the operator opted in; otherwise not at all (null).
   */
  async runTool(run: SandboxedRun): Promise<BoundedOutcome | null> {
    const { isolation } = await this.status();
    if (isolation === 'bubblewrap') return this.run(run);
    if (isolation === 'unavailable') return null;
    return runBounded({
      command: run.executable, args: run.args, cwd: run.srcDir, env: minimalEnv(path.dirname(run.srcDir), { ...run.extraEnv }),
      timeoutMs: run.timeoutMs, outputBytes: run.outputBytes, memoryBytes: run.memoryBytes,
    });
  }

  private run(run: SandboxedRun): Promise<BoundedOutcome> {
    const { bwrapPath, toolsDir, maxProcesses } = this.options;
    const cpuSeconds = Math.ceil(run.timeoutMs / 1000) + 1;
    const limits = prlimitPath() ? [prlimitPath()!, `--as=${run.memoryBytes}`, `--cpu=${cpuSeconds}`, `--nproc=${maxProcesses}`, `--core=0`, '--'] : [];
    const bwrap = [bwrapPath, ...this.namespaceArgs(), ...this.mountArgs(toolsDir, run), ...this.envArgs(run.extraEnv), '--chdir', SANDBOX_SRC, '--'];
    const drop = this.asRoot
      ? [SETPRIV, `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_UID}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs', '--']
      : [];
    // Inside, the environment is mounted at its real path (its scripts name that path in their first line).
    const toolsRoot = path.resolve(toolsDir);
    const executable = run.executable.startsWith(toolsRoot + path.sep) ? realpathSync(toolsRoot) + run.executable.slice(toolsRoot.length) : run.executable;
    const [command, ...args] = [...limits, ...bwrap, ...drop, executable, ...run.args];
    return runBounded({
      command: command!, args, cwd: '/', env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' },
      timeoutMs: run.timeoutMs, outputBytes: run.outputBytes, memoryBytes: run.memoryBytes, limitsApplied: true,
    });
  }

  private namespaceArgs(): string[] {
    const common = ['--die-with-parent', '--new-session'];
    // A user namespace would map only root to root, so as root the namespaces are made without one, and setpriv
    // (which needs CAP_SETUID to get there) drops to the host's 65534 with every capability cleared.
    return this.asRoot
      ? ['--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts', '--unshare-cgroup-try', ...common]
      : ['--unshare-all', '--uid', String(SANDBOX_UID), '--gid', String(SANDBOX_UID), '--cap-drop', 'ALL', ...common];
  }

  private mountArgs(toolsDir: string, run: SandboxedRun): string[] {
    const venv = realpathSync(toolsDir);
    const prefix = interpreterPrefix(toolsDir);
    const binds = [...new Set([venv, ...(prefix && !prefix.startsWith('/usr/') && prefix !== '/usr' ? [prefix] : [])])];
    const args = ['--ro-bind', '/usr', '/usr'];
    // Merged /usr systems have /bin, /lib… as links into /usr; others have real directories.
    for (const top of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
      if (!existsSync(top)) continue;
      const stat = lstatSync(top);
      if (stat.isSymbolicLink()) args.push('--symlink', path.relative('/', realpathSync(top)), top);
      else args.push('--ro-bind', top, top);
    }
    const dirs = new Set<string>();
    for (const bind of [...binds, SANDBOX_SRC, SANDBOX_CONFIG]) for (const dir of ancestors(bind)) dirs.add(dir);
    for (const dir of [...dirs].sort()) if (!['/usr', '/bin', '/lib', '/lib64'].includes(dir)) args.push('--perms', '0755', '--dir', dir);
    for (const bind of binds) args.push('--ro-bind', bind, bind);
    args.push('--ro-bind', run.srcDir, SANDBOX_SRC, '--ro-bind', run.configDir, SANDBOX_CONFIG);
    args.push('--proc', '/proc', '--dev', '/dev', '--perms', '1777', '--tmpfs', '/tmp');
    return args;
  }

  private envArgs(extra: Readonly<Record<string, string>>): string[] {
    const env = { PATH: '/usr/bin:/bin', HOME: '/tmp', TMPDIR: '/tmp', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', ...extra };
    return ['--clearenv', ...Object.entries(env).flatMap(([name, value]) => ['--setenv', name, value])];
  }
}
