/**
 * The documents a rebuild has written so far, per collection. A rebuild writes into staging
 * collections that start empty and only it writes there, so a document it has not written does
 * not exist: the unit of work answers null for it without asking the store. In sparse histories
 * nearly every event opens a new document (an analytics hour bucket), so this saves about one
 * read-store lookup per event. Past `maxIds` it stops answering (every lookup goes to the store
 * again, which is always right), so a very long rebuild's memory stays bounded.
 */
export class WrittenDocuments {
  private readonly ids = new Map<string, Set<string>>();
  private size = 0;
  private overflowed = false;

  /** `staged`: the collections the rebuild stages (a projection may read others, which it does not write). */
  constructor(private readonly staged: ReadonlySet<string>, private readonly maxIds = 2_000_000) {}

  /** Whether the document certainly does not exist; false when not known (then the store must be asked). */
  absent(collection: string, id: string): boolean {
    return !this.overflowed && this.staged.has(collection) && !this.ids.get(collection)?.has(id);
  }

  /** Records what a batch wrote (put: exists now; delete: absent again). */
  record(collection: string, id: string, exists: boolean): void {
    if (this.overflowed) return;
    let set = this.ids.get(collection);
    if (!set) this.ids.set(collection, (set = new Set()));
    if (exists) {
      if (set.has(id)) return;
      set.add(id);
      if (++this.size > this.maxIds) {
        this.overflowed = true;
        this.ids.clear();
      }
    } else if (set.delete(id)) this.size -= 1;
  }
}
