/**
 * One client socket: who it is, which rooms and documents it has, and a bounded queue so its
 * frames are handled one at a time, in order. Sending never throws; a client that stops reading
 * is closed instead of buffering without bound.
 */
import type { WebSocket } from 'ws';
import { CloseCodes, userColor, type ServerFrame } from './protocol/protocol.js';
import type { ConnectionMeter } from './gateway-metrics.js';

/** A text frame encoded once and written as it is to many connections (presence, cursors). */
export interface EncodedFrame {
  readonly type: ServerFrame['type'];
  readonly data: Buffer;
}

export const encodeFrame = (frame: ServerFrame): EncodedFrame => ({ type: frame.type, data: Buffer.from(JSON.stringify(frame)) });

export interface ConnectionUser {
  readonly id: string;
  readonly username: string;
}

export class Connection {
  readonly color: string;
  /** roomId → projectId */
  readonly rooms = new Map<string, string>();
  readonly documents = new Set<string>();
  alive = true;
  closed = false;
  /** Live broadcasts held back while a resume replays what the client missed (null: not resuming). */
  private held: ServerFrame[] | null = null;
  status: 'online' | 'away' = 'online';
  viewing: string | null = null;
  typing = false;
  private expiry: NodeJS.Timeout | null = null;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(
    readonly id: string,
    readonly user: ConnectionUser,
    private readonly socket: WebSocket,
    private readonly limits: { maxQueuedFrames: number; maxBufferedBytes: number },
    /** The sign-in session of its latest token (`collaboration:auth` may bring another): its revocation closes the socket. */
    public sessionId: string | null = null,
    private readonly meter: ConnectionMeter | null = null,
  ) {
    this.color = userColor(user.id);
  }

  /** The projects this connection follows: those of its rooms and open documents. */
  projects(): Set<string> {
    return new Set(this.rooms.values());
  }

  send(frame: ServerFrame): void {
    if (this.write(JSON.stringify(frame))) this.meter?.sent(frame.type);
  }

  sendEncoded(frame: EncodedFrame): void {
    if (this.write(frame.data, false)) this.meter?.sent(frame.type);
  }

  /** A live broadcast: sent now, or after the replay in progress. `encoded`: the same frame, encoded once for its whole audience. */
  deliver(frame: ServerFrame, encoded?: EncodedFrame): void {
    if (this.held) this.held.push(frame);
    else if (encoded) this.sendEncoded(encoded);
    else this.send(frame);
  }

  holdLive(): void {
    this.held ??= [];
  }

  /** Ends a replay: sends the broadcasts held meanwhile, except those the replay already sent. */
  releaseLive(replayed: ReadonlySet<number>): void {
    const held = this.held ?? [];
    this.held = null;
    for (const frame of held) if (!('position' in frame) || frame.position === undefined || !replayed.has(frame.position)) this.send(frame);
  }

  sendBinary(data: Uint8Array): void {
    if (this.write(data)) this.meter?.sent('sync');
  }

  /** Runs `work` after every frame queued before it; too many waiting closes the connection. */
  enqueue(work: () => Promise<void>): void {
    if (this.queued >= this.limits.maxQueuedFrames) {
      this.close(CloseCodes.rateLimited, 'too many frames waiting');
      return;
    }
    this.queued += 1;
    this.queue = this.queue.then(work).finally(() => {
      this.queued -= 1;
    });
  }

  /** Closes the connection when its access token expires (a fresh token moves the moment). */
  expireAt(expiresAtMs: number): void {
    this.clearExpiry();
    // setTimeout's longest delay is about 24.8 days; a token lives minutes.
    const delay = Math.min(Math.max(0, expiresAtMs - Date.now()), 2_000_000_000);
    this.expiry = setTimeout(() => this.close(CloseCodes.unauthorized, 'the access token expired'), delay);
  }

  clearExpiry(): void {
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.close(code, reason.slice(0, 120));
    } catch {
      this.socket.terminate();
    }
  }

  terminate(): void {
    this.closed = true;
    this.socket.terminate();
  }

  ping(): void {
    try {
      this.socket.ping();
    } catch {
      // A socket that cannot be pinged is reaped at the next round.
    }
  }

  /** Whether the data went out. */
  private write(data: string | Uint8Array, binary = typeof data !== 'string'): boolean {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return false;
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.meter?.slowConsumerClosed();
      this.close(CloseCodes.slowConsumer, 'the client is not reading its messages');
      return false;
    }
    this.socket.send(data, { binary });
    return true;
  }
}
