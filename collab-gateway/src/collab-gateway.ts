/**
 * The collaboration gateway: one server object that authenticates WebSocket upgrades, keeps
 * connections, rooms, presence and open documents, and routes client frames to the command side
 * (the same rules as HTTP) and server frames back. Every limit is a named option; bad input gets
 * an error frame or a close code and never an exception out of a handler.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { DomainError } from '@resoft/domain';
import { newId, type Ephemeral, type EventStore, type Logger, type ReadStore } from '@resoft/infra';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { BroadcastHub } from './broadcast/broadcast-hub.js';
import { Connection, type ConnectionUser } from './connection.js';
import { DocumentRegistry } from './documents/document-registry.js';
import { defaultGatewayOptions, type GatewayOptions } from './gateway-options.js';
import type { CollaborationPort, GatewayCommandMetadata, TokenVerifier } from './gateway-ports.js';
import { FrameHandlers } from './frame-handlers.js';
import { PresenceTracker, roomChannel } from './presence/presence-tracker.js';
import { AUTH_SUBPROTOCOL_PREFIX, CloseCodes, PROTOCOL_VERSION, SUBPROTOCOL, clientFrameSchema, decodeSyncFrame } from './protocol/protocol.js';

export interface GatewayDeps {
  readonly store: EventStore;
  readonly readStore: ReadStore;
  readonly ephemeral: Ephemeral;
  readonly tokens: TokenVerifier;
  readonly commands: CollaborationPort;
  readonly logger: Logger;
  readonly options?: Partial<GatewayOptions>;
}

export const GATEWAY_PATH = '/ws';

export class CollabGateway {
  readonly options: GatewayOptions;
  readonly instanceId = randomUUID();
  readonly hub: BroadcastHub;
  readonly documents: DocumentRegistry;
  readonly presence: PresenceTracker;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly roomChannels = new Map<string, Promise<(() => Promise<void>) | null>>();
  private readonly userHits = new Map<string, { windowStart: number; count: number }>();
  private readonly handlers: FrameHandlers;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly deps: GatewayDeps) {
    this.options = { ...defaultGatewayOptions, ...deps.options };
    this.options = { ...this.options, flushMs: Math.min(this.options.flushMs, 20) };
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.options.maxMessageBytes,
      handleProtocols: (offered) => (offered.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    });
    this.presence = new PresenceTracker(deps.ephemeral, this.options.presenceTtlMs, deps.logger);
    this.documents = new DocumentRegistry(
      { store: deps.store, readStore: deps.readStore, ephemeral: deps.ephemeral, commands: deps.commands, logger: deps.logger, instanceId: this.instanceId, flushMs: this.options.flushMs },
      (connection, fileId, code, message) => connection.send({ type: 'collaboration:refused', fileId, code, message }),
    );
    this.hub = new BroadcastHub(deps.store, {
      documentChanged: (fileId, changes) => this.documents.applyStored(fileId, changes),
      lockChanged: (fileId, lockedBy) => this.documents.lockChanged(fileId, lockedBy),
      fileGone: (fileId) => this.handlers.fileGone(fileId),
      accessChanged: (projectId, userId, role) => this.handlers.accessChanged(projectId, userId, role),
    }, deps.logger);
    this.handlers = new FrameHandlers(this, deps);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  allConnections(): ReadonlySet<Connection> {
    return this.connections;
  }

  async start(): Promise<void> {
    await this.hub.start();
    this.timers.push(setInterval(() => this.reap(), this.options.pingIntervalMs));
    this.timers.push(setInterval(() => void this.heartbeat(), Math.max(1000, Math.floor(this.options.presenceTtlMs / 3))));
  }

  /** Serves the gateway on `path` of an existing HTTP server (the all-in-one's, or its own). */
  attach(server: Server, path = GATEWAY_PATH): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(request.url ?? '/', 'http://gateway');
      if (url.pathname !== path) return; // Another upgrade handler may own it; unknown paths are closed by Node.
      socket.on('error', () => undefined);
      void this.upgrade(request, socket, head, url);
    });
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    for (const connection of this.connections) connection.close(CloseCodes.goingAway, 'the gateway is shutting down');
    await this.documents.closeAll();
    await this.hub.stop();
    await Promise.all([...this.roomChannels.values()].map(async (p) => (await p)?.().catch(() => undefined)));
    this.roomChannels.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** Makes sure this instance hears the room's presence announcements (while it has connections there). */
  followRoom(roomId: string): void {
    if (this.roomChannels.has(roomId)) return;
    this.roomChannels.set(roomId, this.deps.ephemeral.subscribe(roomChannel(roomId), () => void this.pushPresence(roomId)).catch(() => null));
  }

  unfollowRoomIfEmpty(roomId: string): void {
    if (this.hub.roomConnections(roomId).size > 0) return;
    const subscription = this.roomChannels.get(roomId);
    this.roomChannels.delete(roomId);
    void subscription?.then((unsubscribe) => unsubscribe?.().catch(() => undefined));
  }

  async pushPresence(roomId: string): Promise<void> {
    const local = this.hub.roomConnections(roomId);
    if (local.size === 0) return;
    const presence = await this.presence.list(roomId);
    for (const connection of local) connection.send({ type: 'collaboration:presence', roomId, presence });
  }

  metadata(connection: Connection): GatewayCommandMetadata {
    return { actor: connection.user.id, correlationId: newId(), causationId: null };
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
    const offered = String(request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const token = offered.find((p) => p.startsWith(AUTH_SUBPROTOCOL_PREFIX))?.slice(AUTH_SUBPROTOCOL_PREFIX.length) ?? url.searchParams.get('access_token') ?? '';
    let verified: Awaited<ReturnType<TokenVerifier['verifyWithExpiry']>> = null;
    try {
      verified = token ? await this.deps.tokens.verifyWithExpiry(token) : null;
    } catch {
      verified = null;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      if (!verified) {
        ws.close(CloseCodes.unauthorized, token ? 'invalid or expired access token' : 'an access token is required');
        return;
      }
      this.accept(ws, verified.user, verified.expiresAtMs);
    });
  }

  private accept(ws: WebSocket, user: ConnectionUser, expiresAtMs: number): void {
    const connection = new Connection(newId(), user, ws, this.options);
    this.connections.add(connection);
    connection.expireAt(expiresAtMs);
    ws.on('pong', () => {
      connection.alive = true;
    });
    ws.on('message', (data: RawData, isBinary: boolean) => this.receive(connection, data, isBinary));
    ws.on('error', (error) => this.deps.logger.debug({ err: error, connectionId: connection.id }, 'socket error'));
    ws.on('close', () => {
      connection.clearExpiry();
      connection.closed = true;
      this.connections.delete(connection);
      void this.handlers.disconnected(connection).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'cleanup after a disconnect failed'));
    });
    connection.send({
      type: 'collaboration:welcome', protocol: PROTOCOL_VERSION, userId: user.id, username: user.username, color: connection.color, connectionId: connection.id,
      limits: { maxMessageBytes: this.options.maxMessageBytes, maxOpenDocuments: this.options.maxOpenDocuments, maxRoomsPerConnection: this.options.maxRoomsPerConnection, userFramesPerSecond: this.options.userFramesPerSecond },
    });
  }

  private receive(connection: Connection, data: RawData, isBinary: boolean): void {
    if (!this.withinRate(connection)) return;
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (isBinary) {
      const frame = decodeSyncFrame(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if (!frame) return connection.close(CloseCodes.badFrame, 'unknown binary frame');
      connection.enqueue(() => this.handlers.sync(connection, frame.fileId, frame.payload));
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      return connection.close(CloseCodes.badFrame, 'a text frame must be JSON');
    }
    const frame = clientFrameSchema.safeParse(parsed);
    if (!frame.success) {
      const issue = frame.error.issues[0];
      return connection.close(CloseCodes.badFrame, `bad frame: ${issue?.path.join('.') || 'type'} ${issue?.message ?? ''}`.trim());
    }
    connection.enqueue(async () => {
      const ref = frame.data.ref;
      try {
        await this.handlers.handle(connection, frame.data);
      } catch (error) {
        if (error instanceof DomainError) {
          connection.send({ type: 'collaboration:error', ...(ref ? { ref } : {}), code: error.code, message: error.message });
        } else {
          this.deps.logger.error({ err: error, frame: frame.data.type, connectionId: connection.id }, 'a frame handler failed');
          connection.send({ type: 'collaboration:error', ...(ref ? { ref } : {}), code: 'internal', message: 'Something went wrong handling this frame' });
        }
      }
    });
  }

  /** Counts the frame against its user's per-second budget; far over it closes the connection. */
  private withinRate(connection: Connection): boolean {
    const now = Date.now();
    const hits = this.userHits.get(connection.user.id);
    if (!hits || now - hits.windowStart >= 1000) {
      this.userHits.set(connection.user.id, { windowStart: now, count: 1 });
      return true;
    }
    hits.count += 1;
    const limit = this.options.userFramesPerSecond;
    if (hits.count <= limit) return true;
    if (hits.count > limit * 3) connection.close(CloseCodes.rateLimited, 'far over the frame rate limit');
    else if (hits.count === limit + 1) connection.send({ type: 'collaboration:error', code: 'rate_limited', message: `More than ${limit} frames a second: frames are being dropped` });
    return false;
  }

  private reap(): void {
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.terminate();
        continue;
      }
      connection.alive = false;
      connection.ping();
    }
    const now = Date.now();
    for (const [userId, hits] of this.userHits) if (now - hits.windowStart > 5000) this.userHits.delete(userId);
  }

  private async heartbeat(): Promise<void> {
    for (const connection of this.connections) {
      for (const roomId of connection.rooms.keys()) await this.presence.touch(connection, roomId, false);
    }
  }
}
