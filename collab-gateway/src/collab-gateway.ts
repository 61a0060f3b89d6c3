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
import { inSpan, newId, type Logger, type Metrics } from '@resoft/infra';
import { type Ephemeral, type EventStore, type ReadStore } from '@resoft/ports';
import { HttpError } from '@resoft/http-kit';
import { summarizeSyncMessage } from '@resoft/documents';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { BroadcastHub } from './broadcast/broadcast-hub.js';
import { Connection, type ConnectionUser } from './connection.js';
import { DocumentRegistry } from './documents/document-registry.js';
import { defaultGatewayOptions, type GatewayOptions } from './gateway-options.js';
import type { CollaborationPort, GatewayCommandMetadata, TokenVerifier } from './gateway-ports.js';
import { FrameHandlers } from './frame-handlers.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { PresenceRooms } from './presence/presence-rooms.js';
import { PresenceTracker } from './presence/presence-tracker.js';
import type { RoomPresence } from './presence/room-presence.js';
import { AUTH_SUBPROTOCOL_PREFIX, CloseCodes, PROTOCOL_VERSION, SUBPROTOCOL, clientFrameSchema, decodeSyncFrame } from './protocol/protocol.js';

export interface GatewayDeps {
  readonly store: EventStore;
  readonly readStore: ReadStore;
  readonly ephemeral: Ephemeral;
  readonly tokens: TokenVerifier;
  readonly commands: CollaborationPort;
  readonly logger: Logger;
  readonly options?: Partial<GatewayOptions>;
  /** Where frames, connections and slow consumers are counted (issue 16); nowhere when absent. */
  readonly metrics?: Metrics;
}

export const GATEWAY_PATH = '/ws';

/** Answers an upgrade that will not be served with a plain HTTP error, then closes the socket. */
function refuseUpgrade(socket: Duplex, status: 404 | 503, message: string): void {
  const body = JSON.stringify({ error: { code: status === 404 ? 'route_not_found' : 'unavailable', message } });
  const reason = status === 404 ? 'Not Found' : 'Service Unavailable';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  // `end` waits for the peer's FIN to free the socket; a peer that never sends one must not keep it.
  setTimeout(() => socket.destroy(), 1000).unref();
}

export class CollabGateway {
  readonly options: GatewayOptions;
  readonly instanceId = randomUUID();
  readonly hub: BroadcastHub;
  readonly documents: DocumentRegistry;
  readonly presence: PresenceTracker;
  readonly presenceRooms: PresenceRooms;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly userHits = new Map<string, { windowStart: number; count: number }>();
  private readonly handlers: FrameHandlers;
  private readonly meter: GatewayMetrics;
  private timers: NodeJS.Timeout[] = [];
  /** Upgrades whose token is being verified: destroyed on stop, as they belong to nobody yet. */
  private readonly pendingUpgrades = new Set<Duplex>();
  private stopping = false;
  private stopFollowingRevocations: (() => void) | null = null;

  constructor(private readonly deps: GatewayDeps) {
    this.options = { ...defaultGatewayOptions, ...deps.options };
    this.options = { ...this.options, flushMs: Math.min(this.options.flushMs, 20) };
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.options.maxMessageBytes,
      handleProtocols: (offered) => (offered.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    });
    this.presence = new PresenceTracker(deps.ephemeral, this.options.presenceTtlMs, deps.logger);
    this.presenceRooms = new PresenceRooms({
      ephemeral: deps.ephemeral, tracker: this.presence, logger: deps.logger, flushMs: this.options.flushMs, pageSize: this.options.presencePageSize,
      localConnections: (roomId) => this.hub.roomConnections(roomId),
    });
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
    this.meter = new GatewayMetrics(deps.metrics, () => this.census());
  }

  /** Connections, distinct rooms and distinct open documents on this instance, for the gauges. */
  private census() {
    const rooms = new Set<string>();
    const documents = new Set<string>();
    for (const connection of this.connections) {
      for (const roomId of connection.rooms.keys()) rooms.add(roomId);
      for (const fileId of connection.documents) documents.add(fileId);
    }
    return { connections: this.connections.size, rooms: rooms.size, openDocuments: documents.size };
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  allConnections(): ReadonlySet<Connection> {
    return this.connections;
  }

  async start(): Promise<void> {
    this.stopFollowingRevocations = this.deps.tokens.onSessionRevoked?.((sessionId) => this.sessionRevoked(sessionId)) ?? null;
    await this.hub.start();
    this.timers.push(setInterval(() => this.reap(), this.options.pingIntervalMs));
    this.timers.push(setInterval(() => void this.heartbeat(), Math.max(1000, Math.floor(this.options.presenceTtlMs / 3))));
  }

  /** Serves the gateway on `path` of an existing HTTP server (the all-in-one's, or its own). */
  attach(server: Server, path = GATEWAY_PATH): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => undefined);
      // Node hands every upgrade to this listener and then forgets the socket: one left unanswered
      // would sit in CLOSE-WAIT for ever and keep a graceful stop waiting.
      const url = new URL(request.url ?? '/', 'http://gateway');
      if (url.pathname !== path) return refuseUpgrade(socket, 404, `No WebSocket endpoint at ${url.pathname}: connect to ${path}`);
      if (this.stopping) return refuseUpgrade(socket, 503, 'The gateway is shutting down');
      this.pendingUpgrades.add(socket);
      socket.once('close', () => this.pendingUpgrades.delete(socket));
      void this.upgrade(request, socket, head, url).finally(() => this.pendingUpgrades.delete(socket));
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopFollowingRevocations?.();
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    for (const socket of this.pendingUpgrades) socket.destroy();
    this.pendingUpgrades.clear();
    for (const connection of this.connections) connection.close(CloseCodes.goingAway, 'the gateway is shutting down');
    // A peer that never answers the close handshake would hold the stop (ws waits 30 s for it).
    await this.untilDisconnected(this.options.closeGraceMs);
    for (const connection of this.connections) connection.terminate();
    await this.documents.closeAll();
    await this.hub.stop();
    await this.presenceRooms.stop();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private async untilDisconnected(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.wss.clients.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** Makes sure this instance follows the room's presence (while it has connections there) and answers it. */
  followRoom(roomId: string): Promise<RoomPresence> {
    return this.presenceRooms.follow(roomId);
  }

  unfollowRoomIfEmpty(roomId: string): void {
    if (this.hub.roomConnections(roomId).size > 0) return;
    this.presenceRooms.unfollow(roomId);
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
      this.accept(ws, verified.user, verified.expiresAtMs, verified.sessionId ?? null);
    });
  }

  /** A signed-out session's sockets close as its tokens stop working over HTTP. */
  private sessionRevoked(sessionId: string): void {
    for (const connection of this.connections) {
      if (connection.sessionId === sessionId) connection.close(CloseCodes.unauthorized, 'the session was signed out or revoked');
    }
  }

  private accept(ws: WebSocket, user: ConnectionUser, expiresAtMs: number, sessionId: string | null): void {
    let open = 0;
    for (const other of this.connections) if (other.user.id === user.id) open += 1;
    if (open >= this.options.maxConnectionsPerUser) {
      ws.close(CloseCodes.rateLimited, `at most ${this.options.maxConnectionsPerUser} connections per user`);
      return;
    }
    const connection = new Connection(newId(), user, ws, this.options, sessionId, this.meter);
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
      const done = this.meter.receivedFrame('sync');
      const handle = () => this.handlers.sync(connection, frame.fileId, frame.payload);
      // Only frames that carry changes are traced: the rest acknowledge updates (49 of every 50
      // frames at 50 editors), and a span each cost more than handling them.
      const traced = (summarizeSyncMessage(frame.payload)?.changes ?? 1) > 0;
      connection.enqueue(() => (traced ? inSpan('ws collaboration:sync', { role: 'server', parent: null, attributes: { 'resoft.file_id': frame.fileId } }, handle) : handle()).then(() => done('ok'), (error: unknown) => {
        done('error');
        throw error;
      }));
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
    const done = this.meter.receivedFrame(frame.data.type);
    connection.enqueue(async () => {
      const ref = frame.data.ref;
      // An error names what it answers: the frame's ref and, for a file's frame, the file.
      const about = { ...(ref ? { ref } : {}), ...('fileId' in frame.data ? { fileId: frame.data.fileId } : {}) };
      try {
        // Each frame is a user action of its own: a new trace, which the events it appends carry on.
        await inSpan(`ws ${frame.data.type}`, { role: 'server', parent: null, attributes: { 'resoft.connection_id': connection.id } }, () => this.handlers.handle(connection, frame.data));
        done('ok');
      } catch (error) {
        done('error');
        if (error instanceof DomainError) {
          connection.send({ type: 'collaboration:error', ...about, code: error.code, message: error.message });
        } else if (error instanceof HttpError && error.status === 429) {
          // A per-user write limit of the command side (chat posts): the frame is refused, the socket stays.
          connection.send({ type: 'collaboration:error', ...about, code: 'rate_limited', message: error.message });
        } else {
          this.deps.logger.error({ err: error, frame: frame.data.type, connectionId: connection.id }, 'a frame handler failed');
          connection.send({ type: 'collaboration:error', ...about, code: 'internal', message: 'Something went wrong handling this frame' });
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
    await this.presenceRooms.refresh();
  }
}
