/**
 * The time slider's arithmetic, apart from the component so it is tested on its own: which moments
 * the slider stops at (one per project event), and what changed between two moments in the file
 * list and the member list.
 */

export interface Moment {
  readonly position: number;
  readonly occurredAt: string;
  readonly type: string;
  readonly actor: string | null;
}

export interface FileAsOf {
  readonly id: string;
  readonly path: string;
  readonly version: number;
  readonly size: number;
}

export interface MemberAsOf {
  readonly userId: string;
  readonly username: string;
  readonly role: string;
}

export interface ListChanges<T> {
  readonly added: readonly T[];
  readonly removed: readonly T[];
  /** In both, but different: [then, now]. */
  readonly changed: ReadonlyArray<readonly [T, T]>;
}

/** The moments of a project's history, oldest first, one per event (duplicates and disorder from paging removed). */
export function momentsOf(events: readonly Moment[]): Moment[] {
  const byPosition = new Map(events.map((e) => [e.position, e]));
  return [...byPosition.values()].sort((a, b) => a.position - b.position);
}

function compareBy<T>(before: readonly T[], after: readonly T[], key: (item: T) => string, same: (a: T, b: T) => boolean): ListChanges<T> {
  const then = new Map(before.map((item) => [key(item), item]));
  const now = new Map(after.map((item) => [key(item), item]));
  return {
    added: after.filter((item) => !then.has(key(item))),
    removed: before.filter((item) => !now.has(key(item))),
    changed: after.flatMap((item) => {
      const old = then.get(key(item));
      return old && !same(old, item) ? [[old, item] as const] : [];
    }),
  };
}

/** Files by id: a rename or a new version is a change, not a removal and an addition. */
export const compareFiles = (before: readonly FileAsOf[], after: readonly FileAsOf[]): ListChanges<FileAsOf> =>
  compareBy(before, after, (f) => f.id, (a, b) => a.path === b.path && a.version === b.version);

export const compareMembers = (before: readonly MemberAsOf[], after: readonly MemberAsOf[]): ListChanges<MemberAsOf> =>
  compareBy(before, after, (m) => m.userId, (a, b) => a.role === b.role);
