/** What the gateway does with each client frame, and with disconnects and access changes. */
import type { ProjectRole } from '@resoft/domain';
import { mayEditFile, reject } from '@resoft/domain';
import { readChatHistory } from '@resoft/query-service/reads';
import type { ClientFrame, ChatMessageFrame } from './protocol/protocol.js';
import { CloseCodes } from './protocol/protocol.js';
import type { CollabGateway, GatewayDeps } from './collab-gateway.js';
import type { Connection } from './connection.js';
import { deliveriesFor } from './broadcast/event-frames.js';

type Frame<T extends ClientFrame['type']> = Extract<ClientFrame, { type: T }>;

export class FrameHandlers {
  constructor(
    private readonly gateway: CollabGateway,
    private readonly deps: GatewayDeps,
  ) {}

  async handle(connection: Connection, frame: ClientFrame): Promise<void> {
    switch (frame.type) {
      case 'collaboration:auth': return this.auth(connection, frame);
      case 'collaboration:join': return this.join(connection, frame);
      case 'collaboration:leave': return this.leave(connection, frame);
      case 'collaboration:open': return this.open(connection, frame);
      case 'collaboration:close': return this.close(connection, frame);
      case 'collaboration:edit': return this.sync(connection, frame.fileId, new Uint8Array(Buffer.from(frame.sync, 'base64')), frame.ref);
      // The caret and the selections are independent: each frame changes only its own part.
      case 'collaboration:cursor_move': return this.cursor(connection, frame.fileId, { cursor: frame.cursor });
      case 'collaboration:selection': return this.cursor(connection, frame.fileId, { ranges: frame.ranges });
      case 'collaboration:presence': return this.presence(connection, frame);
      case 'collaboration:presence_list': return this.presenceList(connection, frame);
      case 'collaboration:chat': {
        const posted = await this.deps.commands.postChat(connection.user.id, frame.roomId, frame.text, this.gateway.metadata(connection));
        return this.ack(connection, frame.ref, posted.position, { messageId: posted.messageId, mentions: posted.mentions });
      }
      case 'collaboration:chat_edit': {
        const { position } = await this.deps.commands.editChat(connection.user.id, frame.roomId, frame.messageId, frame.text, this.gateway.metadata(connection));
        return this.ack(connection, frame.ref, position);
      }
      case 'collaboration:chat_delete': {
        const { position } = await this.deps.commands.deleteChat(connection.user.id, frame.roomId, frame.messageId, this.gateway.metadata(connection));
        return this.ack(connection, frame.ref, position);
      }
      case 'collaboration:chat_history': return this.history(connection, frame);
    }
  }

  /** A binary (or JSON `collaboration:edit`) sync message for a document this connection has open. */
  async sync(connection: Connection, fileId: string, payload: Uint8Array, ref?: string): Promise<void> {
    const document = connection.documents.has(fileId) ? this.gateway.documents.get(fileId) : null;
    if (!document) {
      connection.send({ type: 'collaboration:error', ...(ref ? { ref } : {}), fileId, code: 'not_open', message: 'Open the file before syncing it' });
      return;
    }
    try {
      document.receive(connection, payload);
    } catch (error) {
      this.deps.logger.debug({ err: error, fileId }, 'undecodable sync message');
      connection.close(CloseCodes.badFrame, 'not an Automerge sync message');
    }
  }

  async disconnected(connection: Connection): Promise<void> {
    for (const fileId of [...connection.documents]) await this.closeDocument(connection, fileId);
    for (const [roomId, projectId] of [...connection.rooms]) {
      connection.rooms.delete(roomId);
      this.gateway.hub.removeFromRoom(connection, roomId, projectId);
      this.gateway.presenceRooms.applyLocal(roomId, await this.gateway.presence.remove(connection, roomId));
      this.gateway.unfollowRoomIfEmpty(roomId);
    }
  }

  /** A deleted file: its peers are told and it is closed for them. */
  fileGone(fileId: string): void {
    const document = this.gateway.documents.get(fileId);
    if (!document) return;
    for (const connection of document.connections()) {
      connection.send({ type: 'collaboration:refused', fileId, code: 'file_deleted', message: 'The file was deleted' });
      void this.closeDocument(connection, fileId);
    }
  }

  /** A member's role changed or they left the project: their documents follow, and a removed member stops hearing the project. */
  accessChanged(projectId: string, userId: string, role: ProjectRole | null): void {
    this.gateway.documents.roleChanged(projectId, userId, role);
    if (role !== null) return;
    for (const connection of this.gateway.allConnections()) {
      if (connection.user.id !== userId) continue;
      for (const [roomId, roomProject] of [...connection.rooms]) {
        if (roomProject !== projectId) continue;
        connection.rooms.delete(roomId);
        this.gateway.hub.removeFromRoom(connection, roomId, projectId);
        void this.gateway.presence.remove(connection, roomId).then((delta) => this.gateway.presenceRooms.applyLocal(roomId, delta));
      }
      for (const fileId of [...connection.documents]) {
        if (this.gateway.documents.get(fileId)?.projectId === projectId) void this.closeDocument(connection, fileId);
      }
    }
  }

  private async auth(connection: Connection, frame: Frame<'collaboration:auth'>): Promise<void> {
    const verified = await this.deps.tokens.verifyWithExpiry(frame.token);
    if (!verified || verified.user.id !== connection.user.id) {
      connection.close(CloseCodes.unauthorized, 'the new access token is invalid or names someone else');
      return;
    }
    connection.expireAt(verified.expiresAtMs);
    connection.sessionId = verified.sessionId ?? connection.sessionId;
    this.ack(connection, frame.ref);
  }

  private async join(connection: Connection, frame: Frame<'collaboration:join'>): Promise<void> {
    const { roomId } = frame;
    const { options, hub, presence, presenceRooms } = this.gateway;
    // The room's presence is loaded once per instance; after that a join costs one delta, whatever the room's size.
    const room = await this.gateway.followRoom(roomId);
    try {
      if (!connection.rooms.has(roomId)) {
        if (connection.rooms.size >= options.maxRoomsPerConnection) reject('conflict', 'too_many_rooms', `A connection may be in at most ${options.maxRoomsPerConnection} rooms`);
        if (Math.max(hub.roomConnections(roomId).size, room.connectionCount) >= options.maxConnectionsPerRoom) {
          connection.close(CloseCodes.roomFull, `the room is full (${options.maxConnectionsPerRoom} connections)`);
          return;
        }
      }
      const { projectId } = await this.deps.commands.joinRoom(connection.user.id, roomId, this.gateway.metadata(connection));
      if (frame.since !== undefined) connection.holdLive();
      if (!connection.rooms.has(roomId)) {
        connection.rooms.set(roomId, projectId);
        hub.addToRoom(connection, roomId, projectId);
      }
      presenceRooms.applyLocal(roomId, await presence.touch(connection, roomId));
      const page = presenceRooms.page(room);
      connection.send({ type: 'collaboration:joined', ...(frame.ref ? { ref: frame.ref } : {}), roomId, projectId, presence: page.presence, ...(page.total > page.presence.length ? { total: page.total } : {}), position: hub.head });
    } finally {
      this.gateway.unfollowRoomIfEmpty(roomId);
    }
    if (frame.since !== undefined) await this.replay(connection, frame.since);
  }

  /** A page of a joined room's presence (rooms larger than the page size push only the first page). */
  private async presenceList(connection: Connection, frame: Frame<'collaboration:presence_list'>): Promise<void> {
    if (!connection.rooms.has(frame.roomId)) reject('not_found', 'room_not_joined', 'Join the room before reading its presence');
    const room = await this.gateway.followRoom(frame.roomId);
    const page = this.gateway.presenceRooms.page(room, frame.offset, frame.limit);
    connection.send({ type: 'collaboration:presence', ...(frame.ref ? { ref: frame.ref } : {}), roomId: frame.roomId, presence: page.presence, offset: frame.offset, total: page.total });
  }

  /** Sends what the connection missed since `since`, or tells it to refetch when that is too much. */
  private async replay(connection: Connection, since: number): Promise<void> {
    const replayed = new Set<number>();
    try {
      const limit = this.gateway.options.resumeLimit;
      const missed = await this.deps.store.readAll({ after: since, maxCount: limit + 1 });
      if (missed.length > limit) {
        connection.send({ type: 'collaboration:resync', reason: `more than ${limit} events happened since position ${since}: refetch through the HTTP API`, position: this.gateway.hub.head });
        return;
      }
      for (const event of missed) {
        for (const delivery of deliveriesFor(event)) {
          if (this.gateway.hub.audience(delivery, [connection]).length === 0) continue;
          connection.send(delivery.frame);
          replayed.add(event.position);
        }
      }
    } finally {
      connection.releaseLive(replayed);
    }
  }

  private async leave(connection: Connection, frame: Frame<'collaboration:leave'>): Promise<void> {
    const { position, projectId } = await this.deps.commands.leaveRoom(connection.user.id, frame.roomId, this.gateway.metadata(connection));
    if (connection.rooms.delete(frame.roomId)) {
      this.gateway.hub.removeFromRoom(connection, frame.roomId, projectId);
      this.gateway.presenceRooms.applyLocal(frame.roomId, await this.gateway.presence.remove(connection, frame.roomId));
      this.gateway.unfollowRoomIfEmpty(frame.roomId);
    }
    this.ack(connection, frame.ref, position);
  }

  private async open(connection: Connection, frame: Frame<'collaboration:open'>): Promise<void> {
    const { fileId, projectId } = frame;
    if (connection.documents.has(fileId)) reject('conflict', 'already_open', 'The file is already open on this connection');
    const limit = this.gateway.options.maxOpenDocuments;
    if (connection.documents.size >= limit) reject('conflict', 'too_many_documents', `A connection may have at most ${limit} documents open`);
    const info = await this.deps.commands.openFile(connection.user.id, projectId, fileId);
    connection.documents.add(fileId);
    this.gateway.hub.follow(connection, projectId);
    try {
      const document = this.gateway.documents.get(fileId);
      const canEdit = document ? document.canEdit(connection.user.id, info.role) : mayEditFile({ role: info.role, userId: connection.user.id, lockedBy: info.lockedBy });
      connection.send({ type: 'collaboration:opened', ...(frame.ref ? { ref: frame.ref } : {}), fileId, projectId, path: info.path, lockedBy: info.lockedBy, canEdit });
      await this.gateway.documents.open(connection, projectId, fileId, info);
    } catch (error) {
      connection.documents.delete(fileId);
      this.gateway.hub.unfollow(connection, projectId);
      throw error;
    }
  }

  private async close(connection: Connection, frame: Frame<'collaboration:close'>): Promise<void> {
    if (!connection.documents.has(frame.fileId)) reject('not_found', 'not_open', 'The file is not open on this connection');
    await this.closeDocument(connection, frame.fileId);
    this.ack(connection, frame.ref);
  }

  private async closeDocument(connection: Connection, fileId: string): Promise<void> {
    if (!connection.documents.delete(fileId)) return;
    const projectId = this.gateway.documents.get(fileId)?.projectId;
    if (projectId) this.gateway.hub.unfollow(connection, projectId);
    await this.gateway.documents.close(connection, fileId);
  }

  private cursor(connection: Connection, fileId: string, change: { cursor?: string; ranges?: readonly { anchor: string; head: string }[] }): void {
    const document = connection.documents.has(fileId) ? this.gateway.documents.get(fileId) : null;
    if (!document) return connection.send({ type: 'collaboration:error', fileId, code: 'not_open', message: 'Open the file before moving a cursor in it' });
    const before = document.cursorOf(connection.id);
    document.setCursor(connection.id, {
      fileId, connectionId: connection.id, userId: connection.user.id, username: connection.user.username, color: connection.color,
      cursor: change.cursor ?? before?.cursor ?? null, ranges: [...(change.ranges ?? before?.ranges ?? [])],
    });
  }

  private async presence(connection: Connection, frame: Frame<'collaboration:presence'>): Promise<void> {
    connection.status = frame.status;
    if (frame.viewing !== undefined) connection.viewing = frame.viewing;
    if (frame.typing !== undefined) connection.typing = frame.typing;
    for (const roomId of connection.rooms.keys()) this.gateway.presenceRooms.applyLocal(roomId, await this.gateway.presence.touch(connection, roomId));
    this.ack(connection, frame.ref);
  }

  /**
   * A page of a room's chat history: the same read and the same rule as `GET /api/collaboration/chat/:roomId/history`
   * (any member of the room's project, joined or not). `nextCursor` is the HTTP name; `nextBefore` stays for old clients.
   */
  private async history(connection: Connection, frame: Frame<'collaboration:chat_history'>): Promise<void> {
    const page = await readChatHistory(this.deps.readStore, { roomId: frame.roomId, before: frame.before, limit: frame.limit, viewer: connection.user.id });
    const messages: ChatMessageFrame[] = page.messages.map((m) => ({
      messageId: m.id, roomId: m.roomId, authorId: m.authorId, text: m.deleted ? null : m.text, mentions: m.mentions,
      deleted: m.deleted, edited: m.editedAt !== null, position: m.position, at: m.postedAt,
    }));
    connection.send({ type: 'collaboration:history', ...(frame.ref ? { ref: frame.ref } : {}), roomId: frame.roomId, messages, nextCursor: page.nextCursor, nextBefore: page.nextCursor });
  }

  private ack(connection: Connection, ref: string | undefined, position?: number, data?: unknown): void {
    connection.send({ type: 'collaboration:ack', ...(ref ? { ref } : {}), ...(position !== undefined ? { position } : {}), ...(data !== undefined ? { data } : {}) });
  }
}
