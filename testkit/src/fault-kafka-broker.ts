/**
 * A Kafka broker of a fault test's own, on its own ports and run dir, that the test can take down and
 * bring back on the same storage. `infra/engines/kafka.sh` starts and finally removes it; it has no
 * restart (its `start` formats fresh storage), so `restart` runs the very command line the script
 * launched the broker with again (read from /proc, Linux only) on the same config and log dir.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.join(process.cwd(), 'infra', 'engines', 'kafka.sh');

export class FaultKafkaBroker {
  private commandLine: string[] | null = null;

  private constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly runDir: string,
  ) {}

  /** Starts a fresh broker with the engine script; resolves once it answers metadata requests. */
  static async start(port: number, controllerPort: number): Promise<FaultKafkaBroker> {
    const runDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-fault-kafka-')), 'run');
    const env = { ...stringEnv(), KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), KAFKA_RUN_DIR: runDir };
    const broker = new FaultKafkaBroker(port, env, runDir);
    await broker.script('start', 120_000);
    return broker;
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Takes the broker down (SIGTERM: a controlled shutdown) and waits until it exited; its storage stays. */
  async stopProcess(timeoutMs = 30_000): Promise<void> {
    const pid = this.pid();
    this.commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (alive(pid)) {
      if (Date.now() > deadline) throw new Error(`the broker (pid ${pid}) did not stop within ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /** Runs the broker again on the same config and storage; resolves once its port answers. */
  async restart(timeoutMs = 60_000): Promise<void> {
    const [command, ...args] = this.commandLine ?? [];
    if (!command) throw new Error('restart() needs a stopProcess() first');
    const out = fs.openSync(path.join(this.runDir, 'stdout.log'), 'a');
    // Detached, like the script's setsid: the broker is not a member of the test's process group.
    const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    child.unref();
    // The script's `stop` finds the broker by this file.
    fs.writeFileSync(path.join(this.runDir, 'kafka.pid'), `${child.pid}\n`);
    const deadline = Date.now() + timeoutMs;
    while (!(await portAnswers(this.port))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the broker did not come back on port ${this.port}; see ${this.runDir}/server.log`);
      await sleep(200);
    }
  }

  /**
   * What an operator's `kafka.sh stop` then `kafka.sh start` does: the broker comes back on the same
   * ports with freshly formatted storage (no topics, no group offsets). Resolves once it answers metadata.
   * `whileDown` runs between the two.
   */
  async wipeAndRestart(whileDown: () => Promise<void> = async () => undefined): Promise<void> {
    await this.script('stop', 60_000);
    this.commandLine = null;
    await whileDown();
    await this.script('start', 120_000);
  }

  /** Stops the broker with the engine script, which removes its run dir. */
  async stop(): Promise<void> {
    await this.script('stop', 60_000);
    fs.rmSync(path.dirname(this.runDir), { recursive: true, force: true });
  }

  private pid(): number {
    return Number(fs.readFileSync(path.join(this.runDir, 'kafka.pid'), 'utf8').trim());
  }

  private script(command: 'start' | 'stop', timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      execFile('bash', [SCRIPT, command], { env: this.env, timeout: timeoutMs }, (error, _stdout, stderr) =>
        error ? reject(new Error(`kafka.sh ${command} failed: ${error.message}\n${stderr}`)) : resolve(),
      );
    });
  }
}

function stringEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
