/**
 * The typed collaboration client used by the UI, the tests and the benchmarks: connects with an
 * access token, reconnects with exponential backoff and jitter, resumes rooms from the last
 * position it saw, reopens documents (offline edits merge on return), and exposes chat,
 * presence, cursors and broadcasts as typed frames.
 */
import { AUTH_SUBPROTOCOL_PREFIX, CloseCodes, SUBPROTOCOL, decodeSyncFrame, encodeSyncFrame, type ClientFrameInput, type ServerFrame } from '@resoft/contracts/socket';
import { ClientDocument } from './client-document.js';

/** The part of the WebSocket API the client uses: the browser's and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

export interface CollabClientOptions {
  /** The gateway's address, e.g. `ws://localhost:3000/ws`. */
  readonly url: string;
  /** The current access token; called again on every reconnect, so it can refresh. */
  readonly token: () => string | Promise<string>;
  readonly WebSocket?: WebSocketConstructor;
  readonly reconnect?: boolean;
  readonly minReconnectDelayMs?: number;
  readonly maxReconnectDelayMs?: number;
  /** How long a request waits for its answer. */
  readonly requestTimeoutMs?: number;
}

type Welcome = Extract<ServerFrame, { type: 'collaboration:welcome' }>;
type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;
type ConnectionState = 'connecting' | 'open' | 'closed';
const OPEN = 1;

export class CollabClientError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'CollabClientError';
  }
}

export class CollabClient {
  state: ConnectionState = 'closed';
  welcome: Welcome | null = null;
  /** Highest event position seen: sent on resume so the gateway replays what was missed. */
  lastPosition = 0;
  /** The last close code the gateway sent (e.g. 4401 when the token expired). */
  lastCloseCode: number | null = null;
  private socket: WebSocketLike | null = null;
  private readonly rooms = new Set<string>();
  private readonly documents = new Map<string, ClientDocument>();
  private readonly pending = new Map<string, { resolve: (f: ServerFrame) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  private readonly listeners = new Map<string, Set<(frame: never) => void>>();
  private nextRef = 1;
  private attempts = 0;
  private stopped = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private opened: Promise<Welcome> | null = null;

  constructor(private readonly options: CollabClientOptions) {}

  /** Connects (once); resolves with the gateway's welcome. */
  connect(): Promise<Welcome> {
    this.stopped = false;
    this.opened ??= this.openSocket();
    return this.opened;
  }

  /** Resolves once connected (at once when it is): a page that loaded offline waits here for the network to return. */
  connected(): Promise<Welcome> {
    if (this.state === 'open' && this.welcome) return Promise.resolve(this.welcome);
    return new Promise((resolve) => {
      const off = this.on('collaboration:welcome', (welcome) => {
        off();
        resolve(welcome);
      });
    });
  }

  /** Closes for good: no reconnect. */
  close(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    for (const doc of this.documents.values()) doc.detach();
    this.socket?.close(1000, 'client closed');
    this.state = 'closed';
  }

  /** Drops the connection as a network failure would (the client reconnects by itself). For tests and diagnostics. */
  dropConnection(): void {
    this.socket?.close(4000, 'dropped by the client');
  }

  on<T extends ServerFrame['type']>(type: T, listener: (frame: FrameOf<T>) => void): () => void {
    const set = this.listeners.get(type) ?? this.listeners.set(type, new Set()).get(type)!;
    set.add(listener as (frame: never) => void);
    return () => set.delete(listener as (frame: never) => void);
  }

  /** Waits for the next frame of a type that satisfies `match`. */
  next<T extends ServerFrame['type']>(type: T, match: (frame: FrameOf<T>) => boolean = () => true, timeoutMs = this.options.requestTimeoutMs ?? 10_000): Promise<FrameOf<T>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new CollabClientError('timeout', `no ${type} frame within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on(type, (frame) => {
        if (!match(frame)) return;
        clearTimeout(timer);
        off();
        resolve(frame);
      });
    });
  }

  async join(roomId: string): Promise<FrameOf<'collaboration:joined'>> {
    const joined = await this.request<'collaboration:joined'>({ type: 'collaboration:join', roomId });
    this.rooms.add(roomId);
    this.lastPosition = Math.max(this.lastPosition, joined.position);
    return joined;
  }

  async leave(roomId: string): Promise<void> {
    await this.request({ type: 'collaboration:leave', roomId });
    this.rooms.delete(roomId);
  }

  /** Opens a file; the returned document is ready once it has synced with the gateway (`await doc.ready`). */
  async open(projectId: string, fileId: string): Promise<ClientDocument> {
    const existing = this.documents.get(fileId);
    if (existing) return existing;
    const doc = new ClientDocument(projectId, fileId, () => this.welcome?.connectionId ?? '', {
      sendSync: (id, message) => this.sendBinary(encodeSyncFrame(id, message)),
      sendCursor: (id, cursor, ranges) => {
        this.sendFrame({ type: 'collaboration:cursor_move', fileId: id, cursor });
        if (ranges) this.sendFrame({ type: 'collaboration:selection', fileId: id, ranges });
      },
      reopen: (document) => void this.reopen(document),
    });
    this.documents.set(fileId, doc);
    try {
      // The `opened` answer itself (see dispatch) sets the document up, before any sync frame that follows it.
      await this.request<'collaboration:opened'>({ type: 'collaboration:open', projectId, fileId });
    } catch (error) {
      this.documents.delete(fileId);
      throw error;
    }
    return doc;
  }

  async closeDocument(fileId: string): Promise<void> {
    this.documents.get(fileId)?.detach();
    this.documents.delete(fileId);
    await this.request({ type: 'collaboration:close', fileId });
  }

  async chat(roomId: string, text: string): Promise<{ messageId: string; mentions: string[]; position: number }> {
    const ack = await this.request<'collaboration:ack'>({ type: 'collaboration:chat', roomId, text });
    return { ...(ack.data as { messageId: string; mentions: string[] }), position: ack.position ?? 0 };
  }

  async editChat(roomId: string, messageId: string, text: string): Promise<void> {
    await this.request({ type: 'collaboration:chat_edit', roomId, messageId, text });
  }

  async deleteChat(roomId: string, messageId: string): Promise<void> {
    await this.request({ type: 'collaboration:chat_delete', roomId, messageId });
  }

  history(roomId: string, before?: number, limit = 50): Promise<FrameOf<'collaboration:history'>> {
    return this.request<'collaboration:history'>({ type: 'collaboration:chat_history', roomId, limit, ...(before ? { before } : {}) });
  }

  async setPresence(status: 'online' | 'away', more: { viewing?: string | null; typing?: boolean } = {}): Promise<void> {
    await this.request({ type: 'collaboration:presence', status, ...more });
  }

  /** Sends a frame and waits for the answer that carries its ref (an ack, or the frame it asked for). */
  request<T extends ServerFrame['type'] = 'collaboration:ack'>(frame: ClientFrameInput): Promise<FrameOf<T>> {
    const ref = String(this.nextRef++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(ref);
        reject(new CollabClientError('timeout', `no answer to ${frame.type} within the request timeout`));
      }, this.options.requestTimeoutMs ?? 10_000);
      this.pending.set(ref, { resolve: resolve as (f: ServerFrame) => void, reject, timer });
      if (!this.sendFrame({ ...frame, ref })) {
        clearTimeout(timer);
        this.pending.delete(ref);
        reject(new CollabClientError('offline', 'Not connected to the gateway'));
      }
    });
  }

  /** Sends a raw text frame (for tests of the gateway's input handling). */
  sendRaw(data: string | Uint8Array): boolean {
    if (this.socket?.readyState !== OPEN) return false;
    this.socket.send(data);
    return true;
  }

  private sendFrame(frame: ClientFrameInput): boolean {
    return this.sendRaw(JSON.stringify(frame));
  }

  private sendBinary(data: Uint8Array): boolean {
    return this.sendRaw(data);
  }

  private async openSocket(): Promise<Welcome> {
    const token = await this.options.token();
    const Impl = this.options.WebSocket ?? (globalThis as unknown as { WebSocket: WebSocketConstructor }).WebSocket;
    this.state = 'connecting';
    const socket = new Impl(this.options.url, [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${token}`]);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    return new Promise<Welcome>((resolve, reject) => {
      let welcomed = false;
      socket.onmessage = (event) => {
        const frame = this.dispatch(event.data);
        if (frame?.type === 'collaboration:welcome' && !welcomed) {
          welcomed = true;
          this.welcome = frame;
          this.state = 'open';
          this.attempts = 0;
          resolve(frame);
          void this.resume();
        }
      };
      socket.onerror = () => undefined;
      socket.onclose = (event) => {
        this.lastCloseCode = event.code;
        this.state = 'closed';
        for (const [ref, waiting] of this.pending) {
          clearTimeout(waiting.timer);
          waiting.reject(new CollabClientError('disconnected', `The connection closed (${event.code} ${event.reason})`));
          this.pending.delete(ref);
        }
        if (!welcomed) reject(new CollabClientError(String(event.code), event.reason || 'could not connect'));
        this.emit({ type: 'collaboration:error', code: `closed_${event.code}`, message: event.reason });
        this.scheduleReconnect(event.code);
      };
    });
  }

  /** After a (re)connect: rejoin rooms from the last position seen and reopen documents. */
  private async resume(): Promise<void> {
    for (const roomId of this.rooms) {
      this.request({ type: 'collaboration:join', roomId, since: this.lastPosition }).catch(() => undefined);
    }
    for (const doc of this.documents.values()) {
      this.request<'collaboration:opened'>({ type: 'collaboration:open', projectId: doc.projectId, fileId: doc.fileId }).catch(() => undefined);
    }
  }

  /** Closes and reopens a document whose changes were refused, so the gateway starts it afresh (see ClientDocument). */
  private async reopen(doc: ClientDocument): Promise<void> {
    try {
      await this.request({ type: 'collaboration:close', fileId: doc.fileId });
    } catch {
      // Disconnected: the reconnect reopens every document anyway.
      return;
    }
    if (this.documents.get(doc.fileId) !== doc) return;
    await this.request<'collaboration:opened'>({ type: 'collaboration:open', projectId: doc.projectId, fileId: doc.fileId }).catch(() => undefined);
  }

  private scheduleReconnect(code: number): void {
    this.opened = null;
    const hopeless = code === CloseCodes.badFrame || code === CloseCodes.roomFull;
    if (this.stopped || this.options.reconnect === false || hopeless) return;
    const min = this.options.minReconnectDelayMs ?? 250;
    const max = this.options.maxReconnectDelayMs ?? 10_000;
    const delay = Math.min(max, min * 2 ** this.attempts) * (0.5 + Math.random() / 2);
    this.attempts += 1;
    this.reconnectTimer = setTimeout(() => {
      if (this.stopped) return;
      this.opened = this.openSocket();
      this.opened.catch(() => undefined);
    }, delay);
  }

  private dispatch(data: unknown): ServerFrame | null {
    if (typeof data !== 'string') {
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data instanceof Uint8Array ? data : null;
      const frame = bytes ? decodeSyncFrame(bytes) : null;
      // Applied at the end of this turn, with any others of the same document that arrived in it.
      if (frame) this.documents.get(frame.fileId)?.queueSync(frame.payload);
      return null;
    }
    const frame = JSON.parse(data) as ServerFrame;
    if ('position' in frame && typeof frame.position === 'number' && frame.type !== 'collaboration:joined' && frame.type !== 'collaboration:resync') {
      this.lastPosition = Math.max(this.lastPosition, frame.position);
    }
    if (frame.type === 'collaboration:cursor_update') this.documents.get(frame.fileId)?.receiveCursors(frame.cursors);
    if (frame.type === 'collaboration:refused') this.documents.get(frame.fileId)?.refused(frame.code, frame.message);
    if (frame.type === 'collaboration:opened') this.documents.get(frame.fileId)?.opened(frame);
    if (frame.type === 'collaboration:permissions') this.documents.get(frame.fileId)?.permissions(frame);
    if (frame.type === 'collaboration:stored') this.documents.get(frame.fileId)?.stored(frame.position, frame.changes);
    const ref = 'ref' in frame ? frame.ref : undefined;
    const waiting = ref ? this.pending.get(ref) : undefined;
    if (ref && waiting) {
      this.pending.delete(ref);
      clearTimeout(waiting.timer);
      if (frame.type === 'collaboration:error') waiting.reject(new CollabClientError(frame.code, frame.message));
      else waiting.resolve(frame);
    }
    this.emit(frame);
    return frame;
  }

  private emit(frame: ServerFrame): void {
    for (const listener of this.listeners.get(frame.type) ?? []) (listener as (f: ServerFrame) => void)(frame);
  }
}
