/**
 * Runs an external tool on untrusted input, bounded: arguments passed as a
 * list (no shell), a minimal environment, a memory limit (`prlimit --as`
 * when the system has it), a timeout and an output cap. The tool runs in
 * its own process group, which is killed whole on timeout, on the cap, and
 * after it exits, so nothing it started outlives it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface BoundedRun {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** stdout and stderr together. */
  readonly outputBytes: number;
  readonly memoryBytes: number;
  /** The command already applies its own limits (the sandbox's prlimit), so no memory limit is added here. */
  readonly limitsApplied?: boolean;
}

export interface BoundedOutcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly outputCapped: boolean;
  readonly durationMs: number;
  /** The process could not be started (no such file, not executable). */
  readonly spawnError: string | null;
}

const PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].find((candidate) => existsSync(candidate)) ?? null;

/** Whether this system bounds the tools' memory (`prlimit` from util-linux). */
export const memoryBoundAvailable = (): boolean => PRLIMIT !== null;

/** Where `prlimit` is, when the system has it. */
export const prlimitPath = (): string | null => PRLIMIT;

/** The environment a tool gets: a fixed PATH, its own HOME, nothing of ours. */
export function minimalEnv(home: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, TMPDIR: home, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', ...extra };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

export function runBounded(run: BoundedRun): Promise<BoundedOutcome> {
  const started = performance.now();
  const [command, args] = PRLIMIT && !run.limitsApplied
    ? [PRLIMIT, [`--as=${run.memoryBytes}`, '--', run.command, ...run.args]]
    : [run.command, [...run.args]];
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: run.cwd, env: { ...run.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true, shell: false });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let bytes = 0;
    let timedOut = false;
    let outputCapped = false;
    let spawnError: string | null = null;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      if (outputCapped) return;
      const room = run.outputBytes - bytes;
      if (chunk.length > room) {
        into.push(chunk.subarray(0, Math.max(0, room)));
        bytes = run.outputBytes;
        outputCapped = true;
        killGroup(child.pid);
        return;
      }
      into.push(chunk);
      bytes += chunk.length;
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, run.timeoutMs);
    child.on('error', (error) => {
      spawnError = error.message;
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      // Whatever the tool left running in its group goes with it.
      killGroup(child.pid);
      resolve({
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        exitCode, signal, timedOut, outputCapped, spawnError,
        durationMs: Math.round(performance.now() - started),
      });
    });
  });
}
