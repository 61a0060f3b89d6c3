/**
 * Who is in a room right now: one ephemeral entry per connection (heartbeat-refreshed, expiring
 * after the TTL), folded per user into online / away, what they are viewing and whether they are
 * typing; plus when each member was last seen, so recent visitors show as offline with a time.
 * Nothing here is stored in the event store. Every change is announced on the room's channel,
 * which every gateway instance with connections in the room follows.
 */
import type { Ephemeral, Logger } from '@resoft/infra';
import type { Connection } from '../connection.js';
import type { PresenceEntry } from '../protocol/protocol.js';

const LAST_SEEN_TTL_MS = 7 * 24 * 3600 * 1000;
const liveGroup = (roomId: string) => `collab:presence:${roomId}`;
const seenGroup = (roomId: string) => `collab:seen:${roomId}`;
export const roomChannel = (roomId: string) => `collab:room:${roomId}`;

interface LiveValue {
  userId: string;
  username: string;
  color: string;
  status: 'online' | 'away';
  viewing: string | null;
  typing: boolean;
  at: string;
}

export class PresenceTracker {
  constructor(
    private readonly ephemeral: Ephemeral,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  /** Records (or refreshes) the connection's presence in the room and announces it. */
  async touch(connection: Connection, roomId: string, announce = true): Promise<void> {
    const value: LiveValue = {
      userId: connection.user.id, username: connection.user.username, color: connection.color,
      status: connection.status, viewing: connection.viewing, typing: connection.typing, at: new Date().toISOString(),
    };
    await this.safely(async () => {
      await this.ephemeral.putMember(liveGroup(roomId), connection.id, JSON.stringify(value), this.ttlMs);
      await this.ephemeral.putMember(seenGroup(roomId), connection.user.id, JSON.stringify({ username: value.username, color: value.color, lastSeen: value.at }), LAST_SEEN_TTL_MS);
      if (announce) await this.ephemeral.publish(roomChannel(roomId), 'presence');
    });
  }

  async remove(connection: Connection, roomId: string): Promise<void> {
    await this.safely(async () => {
      await this.ephemeral.removeMember(liveGroup(roomId), connection.id);
      await this.ephemeral.putMember(seenGroup(roomId), connection.user.id, JSON.stringify({ username: connection.user.username, color: connection.color, lastSeen: new Date().toISOString() }), LAST_SEEN_TTL_MS);
      await this.ephemeral.publish(roomChannel(roomId), 'presence');
    });
  }

  /** Everyone online, away, or seen recently (offline), one entry per user, online first. */
  async list(roomId: string): Promise<PresenceEntry[]> {
    const [live, seen] = await Promise.all([
      this.ephemeral.members(liveGroup(roomId)).catch(() => new Map<string, string>()),
      this.ephemeral.members(seenGroup(roomId)).catch(() => new Map<string, string>()),
    ]);
    const byUser = new Map<string, PresenceEntry>();
    for (const [connectionId, raw] of live) {
      const v = parse<LiveValue>(raw);
      if (!v) continue;
      const known = byUser.get(v.userId);
      const connection = { connectionId, status: v.status, viewing: v.viewing ?? null, typing: v.typing };
      byUser.set(v.userId, {
        connections: [...(known?.connections ?? []), connection].sort((a, b) => a.connectionId.localeCompare(b.connectionId)),
        userId: v.userId, username: v.username, color: v.color,
        status: known?.status === 'online' || v.status === 'online' ? 'online' : 'away',
        lastSeen: known && known.lastSeen > v.at ? known.lastSeen : v.at,
        viewing: v.viewing ?? known?.viewing ?? null, typing: v.typing || (known?.typing ?? false),
      });
    }
    for (const [userId, raw] of seen) {
      const v = parse<{ username: string; color: string; lastSeen: string }>(raw);
      if (!v || byUser.has(userId)) continue;
      byUser.set(userId, { userId, username: v.username, color: v.color, status: 'offline', lastSeen: v.lastSeen, viewing: null, typing: false, connections: [] });
    }
    const rank = { online: 0, away: 1, offline: 2 } as const;
    return [...byUser.values()].sort((a, b) => rank[a.status] - rank[b.status] || a.username.localeCompare(b.username));
  }

  /** Live connections in the room, on every instance (for the per-room connection limit). */
  async connectionCount(roomId: string): Promise<number> {
    return (await this.ephemeral.members(liveGroup(roomId)).catch(() => new Map())).size;
  }

  private async safely(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      // Presence is best effort: an unreachable ephemeral store must not break editing or chat.
      this.logger.warn({ err: error }, 'presence unavailable (ephemeral store down)');
    }
  }
}

function parse<T>(raw: string): T | null {
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
