/**
 * One room's presence as this gateway instance knows it: every live connection (on any instance)
 * and every member seen in the last week, folded per user. It is loaded once from the ephemeral
 * store when the instance starts following the room, then kept current by the deltas announced on
 * the room's channel — a join or a status change costs one delta, applied in time proportional to
 * that user's connections, not to the room (issue 19). A periodic reload catches what deltas cannot
 * say (connections of a stopped instance expiring).
 */
import type { PresenceConnection, PresenceEntry } from '../protocol/protocol.js';

/** A connection's presence as stored in the ephemeral group and announced in deltas. */
export interface LiveValue {
  userId: string;
  username: string;
  color: string;
  status: 'online' | 'away';
  viewing: string | null;
  typing: boolean;
  at: string;
}

export interface SeenValue {
  username: string;
  color: string;
  lastSeen: string;
}

/** A change announced on the room's channel. */
export type PresenceDelta =
  | { kind: 'put'; connectionId: string; value: LiveValue }
  | { kind: 'remove'; connectionId: string; userId: string; seen: SeenValue };

const rank = { online: 0, away: 1, offline: 2 } as const;

export class RoomPresence {
  private readonly live = new Map<string, LiveValue>();
  private readonly connectionsByUser = new Map<string, Set<string>>();
  private readonly seen = new Map<string, SeenValue>();
  private readonly entries = new Map<string, PresenceEntry>();
  private sorted: PresenceEntry[] | null = null;
  /** Bumped on every change that a client would see. */
  version = 0;

  get connectionCount(): number {
    return this.live.size;
  }

  get userCount(): number {
    return this.entries.size;
  }

  /** Replaces everything with what the ephemeral store holds; answers whether anything a client sees changed. */
  reload(live: ReadonlyMap<string, LiveValue>, seen: ReadonlyMap<string, SeenValue>): boolean {
    const before = this.signature();
    this.live.clear();
    this.connectionsByUser.clear();
    this.seen.clear();
    this.entries.clear();
    for (const [userId, value] of seen) this.seen.set(userId, value);
    for (const [connectionId, value] of live) this.addLive(connectionId, value);
    for (const userId of this.seen.keys()) this.refold(userId);
    for (const userId of this.connectionsByUser.keys()) this.refold(userId);
    this.sorted = null;
    if (this.signature() === before) return false;
    this.version += 1;
    return true;
  }

  apply(delta: PresenceDelta): void {
    if (delta.kind === 'put') {
      const previous = this.live.get(delta.connectionId);
      if (previous) this.connectionsByUser.get(previous.userId)?.delete(delta.connectionId);
      this.addLive(delta.connectionId, delta.value);
      this.seen.set(delta.value.userId, { username: delta.value.username, color: delta.value.color, lastSeen: delta.value.at });
      if (previous && previous.userId !== delta.value.userId) this.refold(previous.userId);
      this.refold(delta.value.userId);
    } else {
      const previous = this.live.get(delta.connectionId);
      this.live.delete(delta.connectionId);
      const userId = previous?.userId ?? delta.userId;
      this.connectionsByUser.get(userId)?.delete(delta.connectionId);
      this.seen.set(userId, delta.seen);
      this.refold(userId);
    }
    this.sorted = null;
    this.version += 1;
  }

  /** Everyone online, away or seen recently, one entry per user, online first, then by name. */
  list(): PresenceEntry[] {
    this.sorted ??= [...this.entries.values()].sort((a, b) => rank[a.status] - rank[b.status] || a.username.localeCompare(b.username));
    return this.sorted;
  }

  /** A page of `list()`. */
  page(offset: number, limit: number): PresenceEntry[] {
    return this.list().slice(offset, offset + limit);
  }

  private addLive(connectionId: string, value: LiveValue): void {
    this.live.set(connectionId, value);
    let set = this.connectionsByUser.get(value.userId);
    if (!set) this.connectionsByUser.set(value.userId, (set = new Set()));
    set.add(connectionId);
  }

  /** Folds one user's connections: online wins over away, typing if any connection types. */
  private refold(userId: string): void {
    const ids = this.connectionsByUser.get(userId);
    if (!ids || ids.size === 0) {
      this.connectionsByUser.delete(userId);
      const seen = this.seen.get(userId);
      if (seen) this.entries.set(userId, { userId, username: seen.username, color: seen.color, status: 'offline', lastSeen: seen.lastSeen, viewing: null, typing: false, connections: [] });
      else this.entries.delete(userId);
      return;
    }
    const connections: PresenceConnection[] = [];
    let online = false;
    let typing = false;
    let viewing: string | null = null;
    let lastSeen = '';
    let first: LiveValue | null = null;
    for (const connectionId of [...ids].sort()) {
      const v = this.live.get(connectionId)!;
      first ??= v;
      connections.push({ connectionId, status: v.status, viewing: v.viewing ?? null, typing: v.typing });
      online ||= v.status === 'online';
      typing ||= v.typing;
      viewing = v.viewing ?? viewing;
      if (v.at > lastSeen) lastSeen = v.at;
    }
    const { username, color } = first!;
    this.entries.set(userId, { connections, userId, username, color, status: online ? 'online' : 'away', lastSeen, viewing, typing });
  }

  /** What a client sees, without the times a heartbeat refreshes. */
  private signature(): string {
    return [...this.entries.values()].map((e) => `${e.userId}:${e.status}:${e.viewing}:${e.typing}:${e.connections.map((c) => `${c.connectionId}/${c.status}/${c.viewing}/${c.typing}`).join(',')}`).sort().join(';');
  }
}
