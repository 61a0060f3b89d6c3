/**
 * Who is in a room right now: one ephemeral entry per connection (heartbeat-refreshed, expiring
 * after the TTL) plus when each member was last seen, so recent visitors show as offline with a
 * time. Nothing here is stored in the event store. Every change is announced on the room's channel
 * as a delta (`PresenceDelta`), which every gateway instance with connections in the room applies
 * to its `RoomPresence`.
 */
import type { Logger } from '@resoft/infra';
import type { Ephemeral } from '@resoft/ports';
import type { Connection } from '../connection.js';
import type { LiveValue, PresenceDelta, SeenValue } from './room-presence.js';

const LAST_SEEN_TTL_MS = 7 * 24 * 3600 * 1000;
const liveGroup = (roomId: string) => `collab:presence:${roomId}`;
const seenGroup = (roomId: string) => `collab:seen:${roomId}`;
export const roomChannel = (roomId: string) => `collab:room:${roomId}`;

export class PresenceTracker {
  constructor(
    private readonly ephemeral: Ephemeral,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  /** Records (or refreshes) the connection's presence in the room and announces it; answers the delta (null when the store is down). */
  async touch(connection: Connection, roomId: string, announce = true): Promise<PresenceDelta | null> {
    const value: LiveValue = {
      userId: connection.user.id, username: connection.user.username, color: connection.color,
      status: connection.status, viewing: connection.viewing, typing: connection.typing, at: new Date().toISOString(),
    };
    const delta: PresenceDelta = { kind: 'put', connectionId: connection.id, value };
    const ok = await this.safely(async () => {
      await this.ephemeral.putMember(liveGroup(roomId), connection.id, JSON.stringify(value), this.ttlMs);
      await this.ephemeral.putMember(seenGroup(roomId), connection.user.id, JSON.stringify({ username: value.username, color: value.color, lastSeen: value.at }), LAST_SEEN_TTL_MS);
      if (announce) await this.ephemeral.publish(roomChannel(roomId), JSON.stringify(delta));
    });
    return ok ? delta : null;
  }

  async remove(connection: Connection, roomId: string): Promise<PresenceDelta | null> {
    const seen: SeenValue = { username: connection.user.username, color: connection.color, lastSeen: new Date().toISOString() };
    const delta: PresenceDelta = { kind: 'remove', connectionId: connection.id, userId: connection.user.id, seen };
    const ok = await this.safely(async () => {
      await this.ephemeral.removeMember(liveGroup(roomId), connection.id);
      await this.ephemeral.putMember(seenGroup(roomId), connection.user.id, JSON.stringify(seen), LAST_SEEN_TTL_MS);
      await this.ephemeral.publish(roomChannel(roomId), JSON.stringify(delta));
    });
    return ok ? delta : null;
  }

  /** Everything the store holds for the room (read when an instance starts following it, and now and then to catch expiries). */
  async load(roomId: string): Promise<{ live: Map<string, LiveValue>; seen: Map<string, SeenValue> }> {
    const [liveRaw, seenRaw] = await Promise.all([
      this.ephemeral.members(liveGroup(roomId)).catch(() => new Map<string, string>()),
      this.ephemeral.members(seenGroup(roomId)).catch(() => new Map<string, string>()),
    ]);
    const live = new Map<string, LiveValue>();
    for (const [connectionId, raw] of liveRaw) {
      const v = parse<LiveValue>(raw);
      if (v) live.set(connectionId, v);
    }
    const seen = new Map<string, SeenValue>();
    for (const [userId, raw] of seenRaw) {
      const v = parse<SeenValue>(raw);
      if (v) seen.set(userId, v);
    }
    return { live, seen };
  }

  private async safely(work: () => Promise<void>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (error) {
      // Presence is best effort: an unreachable ephemeral store must not break editing or chat.
      this.logger.warn({ err: error }, 'presence unavailable (ephemeral store down)');
      return false;
    }
  }
}

/** A delta from the room's channel, or null for anything else (an older instance announces the bare word `presence`). */
export function parseDelta(raw: string): PresenceDelta | null {
  const value = parse<PresenceDelta>(raw);
  if (!value || typeof value !== 'object' || typeof value.connectionId !== 'string') return null;
  if (value.kind === 'put' && value.value && typeof value.value.userId === 'string') return value;
  if (value.kind === 'remove' && typeof value.userId === 'string' && value.seen) return value;
  return null;
}

function parse<T>(raw: string): T | null {
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
