/**
 * Groups a file's versions into editing sessions people can read: consecutive versions by the same
 * author with no pause longer than the gap form one session; a restore, a named version or another
 * author starts a new one. Live editing stores a version every fraction of a second, so a flat list
 * is unreadable; a session says "Ann edited for 12 minutes, +340 −20".
 */
import type { FileVersion } from '@resoft/documents';

export interface VersionSession {
  readonly authorId: string;
  /** First and last version of the session (inclusive). */
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly inserted: number;
  readonly removed: number;
  readonly kind: 'created' | 'edited' | 'restored';
  /** Set when the session is a restore: the version it brought back. */
  readonly restoredFrom?: number;
  /** Named versions inside the session, by version. */
  readonly labels: readonly { readonly version: number; readonly label: string }[];
}

export function groupIntoSessions(versions: readonly FileVersion[], labels: ReadonlyMap<number, string>, gapMs: number): VersionSession[] {
  const sessions: VersionSession[] = [];
  let current: VersionSession | null = null;
  for (const v of versions) {
    const label = labels.get(v.version);
    const startsNew = current === null || v.kind !== 'changed' || current.kind !== 'edited' || current.authorId !== v.authorId || Date.parse(v.at) - Date.parse(current.endedAt) > gapMs;
    if (current !== null && !startsNew) {
      const c: VersionSession = current;
      current = { ...c, toVersion: v.version, endedAt: v.at, inserted: c.inserted + v.inserted, removed: c.removed + v.removed, labels: label ? [...c.labels, { version: v.version, label }] : c.labels };
      sessions[sessions.length - 1] = current;
      continue;
    }
    current = {
      authorId: v.authorId, fromVersion: v.version, toVersion: v.version, startedAt: v.at, endedAt: v.at, inserted: v.inserted, removed: v.removed,
      kind: v.kind === 'changed' ? 'edited' : v.kind, ...(v.restoredFrom !== undefined ? { restoredFrom: v.restoredFrom } : {}),
      labels: label ? [{ version: v.version, label }] : [],
    };
    sessions.push(current);
  }
  return sessions;
}
