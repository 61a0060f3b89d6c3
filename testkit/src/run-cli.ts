/** Runs the compiled `resoft` command as a child process (the test command builds it first). */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const RESOFT_BIN = path.join(process.cwd(), 'bin', 'resoft.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a Node script as a child process with only PATH (and `env`) in its environment, and collects its output. */
export function runNodeScript(script: string, args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return runNodeScript(RESOFT_BIN, args, env);
}

export function spawnCli(args: readonly string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [RESOFT_BIN, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Follows a spawned `resoft start`'s log: the port it listens on once it says so, and everything it has logged so far. */
export function followServerLog(child: ChildProcess): { readonly port: Promise<number>; log(): string } {
  let log = '';
  const port = new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const match = /"port":(\d+)[^\n]*Resoft is listening/.exec(log);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${log}`)));
  });
  return { port, log: () => log };
}
