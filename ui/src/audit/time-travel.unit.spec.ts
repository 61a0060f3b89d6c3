import { compareFiles, compareMembers, momentsOf, type Moment } from './time-travel.js';

const moment = (position: number): Moment => ({ position, occurredAt: `2026-01-01T00:00:0${position % 10}Z`, type: 'Something', actor: null });

describe('the time slider', () => {
  it('stops at each project event once, oldest first', () => {
    const moments = momentsOf([moment(9), moment(3), moment(5), moment(3)]);
    expect(moments.map((m) => m.position)).toEqual([3, 5, 9]);
  });

  it('tells added, removed, renamed and edited files apart by id', () => {
    const before = [{ id: 'a', path: 'a.py', version: 0, size: 1 }, { id: 'b', path: 'b.py', version: 2, size: 1 }, { id: 'c', path: 'c.py', version: 0, size: 1 }];
    const after = [{ id: 'a', path: 'a.py', version: 0, size: 1 }, { id: 'b', path: 'b.py', version: 3, size: 2 }, { id: 'c', path: 'lib/c.py', version: 0, size: 1 }, { id: 'd', path: 'd.py', version: 0, size: 0 }];
    const changes = compareFiles(before, after);
    expect(changes.added.map((f) => f.path)).toEqual(['d.py']);
    expect(changes.removed).toEqual([]);
    expect(changes.changed.map(([then, now]) => `${then.path}@${then.version} → ${now.path}@${now.version}`)).toEqual(['b.py@2 → b.py@3', 'c.py@0 → lib/c.py@0']);
    expect(compareFiles(after, before).removed.map((f) => f.path)).toEqual(['d.py']);
  });

  it('lists members who joined, left or changed role', () => {
    const before = [{ userId: '1', username: 'ann', role: 'owner' }, { userId: '2', username: 'bob', role: 'viewer' }];
    const after = [{ userId: '1', username: 'ann', role: 'owner' }, { userId: '2', username: 'bob', role: 'editor' }, { userId: '3', username: 'cy', role: 'viewer' }];
    const changes = compareMembers(before, after);
    expect(changes.added.map((m) => m.username)).toEqual(['cy']);
    expect(changes.changed.map(([, now]) => `${now.username}:${now.role}`)).toEqual(['bob:editor']);
    expect(compareMembers(after, before).removed.map((m) => m.username)).toEqual(['cy']);
  });
});
