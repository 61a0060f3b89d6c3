/**
 * The rooms this instance follows for presence: each room's `RoomPresence`, kept current by the
 * deltas on the room's channel, and the coalesced push of the room's presence to its local
 * connections. A push is encoded once per room and written as it is to every connection. Pushes are
 * at most one per window, and the window grows with the room (one flush window per 50 local
 * connections, at most a second), so a storm of joins into a large room costs a bounded number of
 * pushes rather than one per join per connection. Large rooms are paged: a push carries the first
 * `presencePageSize` users (online first) and `total`; `collaboration:presence_list` asks for
 * another page.
 */
import type { Logger } from '@resoft/infra';
import type { Ephemeral } from '@resoft/ports';
import { encodeFrame, type Connection } from '../connection.js';
import type { PresenceEntry } from '../protocol/protocol.js';
import { parseDelta, roomChannel, type PresenceTracker } from './presence-tracker.js';
import { RoomPresence, type PresenceDelta } from './room-presence.js';

interface FollowedRoom {
  readonly presence: RoomPresence;
  readonly ready: Promise<void>;
  readonly unsubscribe: Promise<(() => Promise<void>) | null>;
  timer: NodeJS.Timeout | null;
  sentVersion: number;
}

export class PresenceRooms {
  private readonly rooms = new Map<string, FollowedRoom>();

  constructor(
    private readonly deps: {
      ephemeral: Ephemeral;
      tracker: PresenceTracker;
      logger: Logger;
      flushMs: number;
      pageSize: number;
      /** This instance's connections in a room. */
      localConnections: (roomId: string) => ReadonlySet<Connection>;
    },
  ) {}

  /** Starts following the room (once) and answers its presence when loaded. */
  async follow(roomId: string): Promise<RoomPresence> {
    let room = this.rooms.get(roomId);
    if (!room) {
      const presence = new RoomPresence();
      const unsubscribe = this.deps.ephemeral.subscribe(roomChannel(roomId), (raw) => this.announced(roomId, raw)).catch(() => null);
      const ready = unsubscribe.then(async () => {
        const { live, seen } = await this.deps.tracker.load(roomId);
        presence.reload(live, seen);
      });
      room = { presence, ready, unsubscribe, timer: null, sentVersion: -1 };
      this.rooms.set(roomId, room);
    }
    await room.ready;
    return room.presence;
  }

  unfollow(roomId: string): void {
    const room = this.rooms.get(roomId);
    if (!room) return;
    this.rooms.delete(roomId);
    if (room.timer) clearTimeout(room.timer);
    void room.unsubscribe.then((unsubscribe) => unsubscribe?.().catch(() => undefined));
  }

  /** A delta this instance made: applied at once (the channel brings it back too; applying twice changes nothing). */
  applyLocal(roomId: string, delta: PresenceDelta | null): void {
    const room = this.rooms.get(roomId);
    if (!room || !delta) return;
    room.presence.apply(delta);
    this.schedule(roomId, room);
  }

  /** The first page of the room's presence, and how many users it has in all (the page is the whole list in a small room). */
  page(presence: RoomPresence, offset = 0, limit = this.deps.pageSize): { presence: PresenceEntry[]; total: number } {
    return { presence: presence.page(offset, Math.min(limit, this.deps.pageSize)), total: presence.userCount };
  }

  /** Reloads every followed room from the store (expired connections of a stopped instance disappear). */
  async refresh(): Promise<void> {
    for (const [roomId, room] of this.rooms) {
      const version = room.presence.version;
      const { live, seen } = await this.deps.tracker.load(roomId);
      // A delta applied meanwhile may be newer than what was read: the next refresh catches up.
      if (room.presence.version !== version) continue;
      if (room.presence.reload(live, seen)) this.schedule(roomId, room);
    }
  }

  async stop(): Promise<void> {
    const rooms = [...this.rooms.values()];
    this.rooms.clear();
    for (const room of rooms) if (room.timer) clearTimeout(room.timer);
    await Promise.all(rooms.map(async (room) => (await room.unsubscribe)?.().catch(() => undefined)));
  }

  private announced(roomId: string, raw: string): void {
    const room = this.rooms.get(roomId);
    if (!room) return;
    const delta = parseDelta(raw);
    if (delta) {
      room.presence.apply(delta);
      this.schedule(roomId, room);
      return;
    }
    // An instance of an older version announces only that something changed.
    void this.deps.tracker.load(roomId).then(({ live, seen }) => {
      if (room.presence.reload(live, seen)) this.schedule(roomId, room);
    });
  }

  private schedule(roomId: string, room: FollowedRoom): void {
    if (room.timer) return;
    const local = this.deps.localConnections(roomId).size;
    const window = Math.min(1000, this.deps.flushMs * Math.max(1, Math.ceil(local / 50)));
    room.timer = setTimeout(() => {
      room.timer = null;
      this.push(roomId, room);
    }, window);
  }

  private push(roomId: string, room: FollowedRoom): void {
    if (room.presence.version === room.sentVersion) return;
    room.sentVersion = room.presence.version;
    const local = this.deps.localConnections(roomId);
    if (local.size === 0) return;
    const { presence, total } = this.page(room.presence);
    const frame = encodeFrame({ type: 'collaboration:presence', roomId, presence, ...(total > presence.length ? { total } : {}) });
    for (const connection of local) connection.sendEncoded(frame);
  }
}
