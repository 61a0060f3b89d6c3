/**
 * RESOFT_HTTP_PROCESSES > 1: the all-in-one's HTTP front on several processes (node cluster, one
 * port, the same SQLite files). The first worker, the lead, is the whole all-in-one (projections,
 * audit log, check runner, collaboration gateway); the others serve the HTTP API only. Commands from
 * any process arbitrate by stream revision in the event store; reads wait for the lead's projections
 * through their checkpoints. A WebSocket upgrade that reaches another worker is handed, socket and
 * all, to the lead, because a room lives in one process.
 */
import cluster, { type Worker } from 'node:cluster';
import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '@resoft/infra';

export type HttpWorkerRole = 'lead' | 'api';

/** Set by the primary on each worker it forks (the cluster's own plumbing, not a setting). */
export const WORKER_ROLE_VARIABLE = 'RESOFT_HTTP_WORKER_ROLE';

interface UpgradeHandOver {
  readonly kind: 'resoft:upgrade';
  /** The upgrade request as it came on the wire (request line, headers, and any bytes after them), base64. */
  readonly request: string;
}

const isHandOver = (message: unknown): message is UpgradeHandOver =>
  typeof message === 'object' && message !== null && (message as { kind?: unknown }).kind === 'resoft:upgrade';

/** Forks the lead, then the API workers once the lead listens; stops them all on a signal or when one dies. */
export async function runHttpCluster(processes: number, drainMs: number, logger: Logger): Promise<void> {
  let stopping = false;
  const workers = new Set<Worker>();
  const fork = (role: HttpWorkerRole): Worker => {
    const worker = cluster.fork({ [WORKER_ROLE_VARIABLE]: role });
    workers.add(worker);
    worker.once('exit', (code, signal) => {
      workers.delete(worker);
      if (!stopping) {
        logger.error({ role, code, signal }, 'an HTTP worker died: stopping the others');
        stop(1);
      } else if (workers.size === 0) {
        process.exit(exitCode);
      }
    });
    return worker;
  };
  let exitCode = 0;
  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (workers.size === 0) process.exit(code);
    for (const worker of workers) worker.process.kill('SIGTERM');
    // Each worker bounds its own stop; this only catches one that hangs beyond it.
    setTimeout(() => process.exit(1), drainMs + 10_000).unref();
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  const lead = fork('lead');
  await new Promise<void>((resolve) => lead.once('listening', () => resolve()));
  const listening: Promise<void>[] = [];
  for (let n = 1; n < processes; n += 1) {
    const worker = fork('api');
    worker.on('message', (message: unknown, handle: unknown) => {
      if (isHandOver(message) && handle) lead.send(message, handle as Socket);
    });
    listening.push(new Promise((resolve) => worker.once('listening', () => resolve())));
  }
  await Promise.all(listening);
  logger.info({ processes }, 'HTTP front running on several processes');
}

/** In an API worker: sends every WebSocket upgrade to the lead instead of answering it. */
export function handUpgradesToLead(server: Server): void {
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.pause();
    const message: UpgradeHandOver = { kind: 'resoft:upgrade', request: requestBytes(req, head).toString('base64') };
    process.send!(message, socket, { keepOpen: false }, (error) => {
      if (error) socket.destroy();
    });
  });
}

/** In the lead: takes the upgrades other workers hand over as if they had connected here. */
export function acceptHandedUpgrades(server: Server): void {
  process.on('message', (message: unknown, handle: unknown) => {
    if (!isHandOver(message) || !handle) return;
    const socket = handle as Socket;
    socket.unshift(Buffer.from(message.request, 'base64'));
    server.emit('connection', socket);
    socket.resume();
  });
}

function requestBytes(req: IncomingMessage, head: Buffer): Buffer {
  let text = `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}\r\n`;
  for (let i = 0; i < req.rawHeaders.length; i += 2) text += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
  return Buffer.concat([Buffer.from(`${text}\r\n`, 'latin1'), head]);
}
