/**
 * Server-Sent Events on an Express response, for routes that stream: the
 * handler opens the stream, sends events and resolves when it is done (the
 * route kit sees the headers were sent and leaves the response alone).
 * Comments keep idle proxies from closing the connection.
 */
import type { Request, Response } from 'express';

export interface ServerSentEvent {
  /** Sent as `id:`; a reconnecting client sends the last one back as `Last-Event-ID`. */
  readonly id?: string | number;
  readonly event?: string;
  readonly data: unknown;
}

export interface EventStreamOptions {
  readonly heartbeatMs?: number;
}

export interface EventStream {
  send(event: ServerSentEvent): void;
  /** Ends the response; idempotent. */
  close(): void;
  readonly closed: boolean;
  /** Resolves when the stream ends, by `close()` or because the client went away. */
  readonly done: Promise<void>;
  /** The `Last-Event-ID` the client sent when it reconnected, if any. */
  readonly lastEventId: string | null;
}

const oneLine = (value: string): string => value.replace(/[\r\n]/g, ' ');

export function openEventStream(req: Request, res: Response, options: EventStreamOptions = {}): EventStream {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  let closed = false;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const heartbeat = setInterval(() => {
    if (!closed) res.write(': keep-alive\n\n');
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    res.end();
    finish();
  };
  req.on('close', close);
  const header = req.headers['last-event-id'];
  return {
    send(event) {
      if (closed) return;
      const lines: string[] = [];
      if (event.id !== undefined) lines.push(`id: ${oneLine(String(event.id))}`);
      if (event.event !== undefined) lines.push(`event: ${oneLine(event.event)}`);
      // JSON has no raw newlines, so one data line carries the whole payload.
      lines.push(`data: ${JSON.stringify(event.data)}`);
      res.write(`${lines.join('\n')}\n\n`);
    },
    close,
    get closed() {
      return closed;
    },
    done,
    lastEventId: typeof header === 'string' && header.length <= 100 ? header : null,
  };
}
