import type { FileVersion } from '@resoft/documents';
import { groupIntoSessions } from './version-sessions.js';

const ANN = 'ann';
const BOB = 'bob';
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 9, 0) + minutes * 60_000).toISOString();
const version = (n: number, authorId: string, minutes: number, kind: FileVersion['kind'] = 'changed', extra: Partial<FileVersion> = {}): FileVersion => ({
  version: n, authorId, at: at(minutes), position: n + 1, kind, length: 0, inserted: 2, removed: 1, ...extra,
});
const FIVE_MINUTES = 5 * 60_000;

describe('grouping versions into editing sessions', () => {
  it('puts one author’s steady typing into one session with the summed changes', () => {
    const sessions = groupIntoSessions([version(0, ANN, 0, 'created'), version(1, ANN, 1), version(2, ANN, 2), version(3, ANN, 4)], new Map(), FIVE_MINUTES);
    expect(sessions.map((s) => [s.kind, s.fromVersion, s.toVersion, s.inserted, s.removed])).toEqual([['created', 0, 0, 2, 1], ['edited', 1, 3, 6, 3]]);
  });

  it('starts a new session after an idle gap longer than the configured one, and for another author', () => {
    const versions = [version(1, ANN, 0), version(2, ANN, 3), version(3, ANN, 20), version(4, BOB, 21), version(5, ANN, 22)];
    expect(groupIntoSessions(versions, new Map(), FIVE_MINUTES).map((s) => [s.authorId, s.fromVersion, s.toVersion])).toEqual([[ANN, 1, 2], [ANN, 3, 3], [BOB, 4, 4], [ANN, 5, 5]]);
    expect(groupIntoSessions(versions, new Map(), 30 * 60_000).map((s) => [s.authorId, s.fromVersion, s.toVersion])).toEqual([[ANN, 1, 3], [BOB, 4, 4], [ANN, 5, 5]]);
  });

  it('keeps a restore on its own and carries the named versions of each session', () => {
    const versions = [version(1, ANN, 0), version(2, ANN, 1), version(3, ANN, 2, 'restored', { restoredFrom: 1 }), version(4, ANN, 3)];
    const sessions = groupIntoSessions(versions, new Map([[2, 'before refactor']]), FIVE_MINUTES);
    expect(sessions.map((s) => [s.kind, s.fromVersion, s.toVersion, s.restoredFrom ?? null, s.labels])).toEqual([
      ['edited', 1, 2, null, [{ version: 2, label: 'before refactor' }]],
      ['restored', 3, 3, 1, []],
      ['edited', 4, 4, null, []],
    ]);
  });
});
