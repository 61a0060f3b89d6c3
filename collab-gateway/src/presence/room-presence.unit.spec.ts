/** A room's presence kept from deltas: folded per user, offline after the last connection leaves, paged, and unchanged by a reload that says the same. */
import { RoomPresence, type LiveValue, type PresenceDelta } from './room-presence.js';

const live = (userId: string, username: string, more: Partial<LiveValue> = {}): LiveValue => ({ userId, username, color: 'red', status: 'online', viewing: null, typing: false, at: '2026-12-03T08:00:00.000Z', ...more });
const put = (connectionId: string, value: LiveValue): PresenceDelta => ({ kind: 'put', connectionId, value });

describe('a room\'s presence', () => {
  it('folds a user\'s connections: online if any is, typing if any types', () => {
    const room = new RoomPresence();
    room.apply(put('c1', live('u1', 'ann', { status: 'away' })));
    room.apply(put('c2', live('u1', 'ann', { typing: true, viewing: 'f1' })));
    const [ann] = room.list();
    expect(ann).toMatchObject({ userId: 'u1', status: 'online', typing: true, viewing: 'f1' });
    expect(ann!.connections.map((c) => c.connectionId)).toEqual(['c1', 'c2']);
    expect(room.connectionCount).toBe(2);
  });

  it('shows a user offline, with when they were seen, once their last connection leaves', () => {
    const room = new RoomPresence();
    room.apply(put('c1', live('u1', 'ann')));
    room.apply({ kind: 'remove', connectionId: 'c1', userId: 'u1', seen: { username: 'ann', color: 'red', lastSeen: '2026-12-03T08:05:00.000Z' } });
    expect(room.list()).toEqual([expect.objectContaining({ userId: 'u1', status: 'offline', lastSeen: '2026-12-03T08:05:00.000Z', connections: [] })]);
    expect(room.connectionCount).toBe(0);
  });

  it('lists online users first, then by name, and pages the list', () => {
    const room = new RoomPresence();
    for (let i = 0; i < 250; i += 1) room.apply(put(`c${i}`, live(`u${i}`, `user${String(i).padStart(3, '0')}`, { status: i % 2 ? 'away' : 'online' })));
    expect(room.userCount).toBe(250);
    const first = room.page(0, 100);
    expect(first).toHaveLength(100);
    expect(first.every((e) => e.status === 'online')).toBe(true);
    expect(room.page(200, 100)).toHaveLength(50);
    expect(room.page(200, 100).every((e) => e.status === 'away')).toBe(true);
  });

  it('counts a reload that changes nothing a client sees as no change', () => {
    const room = new RoomPresence();
    room.apply(put('c1', live('u1', 'ann')));
    const version = room.version;
    const heartbeat = new Map([['c1', live('u1', 'ann', { at: '2026-12-03T08:10:00.000Z' })]]);
    expect(room.reload(heartbeat, new Map())).toBe(false);
    expect(room.version).toBe(version);
    expect(room.reload(new Map(), new Map())).toBe(true);
    expect(room.list()).toEqual([]);
  });
});
