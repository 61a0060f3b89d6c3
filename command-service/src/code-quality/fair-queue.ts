/**
 * Work grouped by owner and taken round-robin: each take serves the owner served least recently
 * (owners never served, in the order they arrived, first). So an owner with a long backlog is
 * served once, then every other waiting owner is served once, before it is served again: another
 * owner's item waits behind at most one of its items per worker.
 */
interface Lane<T> {
  readonly items: T[];
  /** When this owner was last served, in takes; ties go to the lane that appeared first. */
  servedAt: number;
  readonly arrival: number;
}

export class FairQueue<T> {
  private readonly lanes = new Map<string, Lane<T>>();
  private readonly ownerOf = new Map<T, string>();
  private takes = 0;
  private arrivals = 0;
  /** The owner of the latest take: coming back with more work at once must not put it first again. */
  private lastOwner: string | null = null;

  get size(): number {
    return this.ownerOf.size;
  }

  has(item: T): boolean {
    return this.ownerOf.has(item);
  }

  /** Adds `item` at the end of its owner's lane; an item already queued stays where it is. */
  push(owner: string, item: T): void {
    if (this.ownerOf.has(item)) return;
    let lane = this.lanes.get(owner);
    if (!lane) {
      // A newcomer goes behind every owner waiting since before the latest take and ahead of that
      // take's owner, so it waits for at most one more item of anyone, and a stream of newcomers
      // cannot starve an owner who is already waiting.
      lane = { items: [], servedAt: owner === this.lastOwner ? this.takes : this.takes - 0.5, arrival: (this.arrivals += 1) };
      this.lanes.set(owner, lane);
    }
    lane.items.push(item);
    this.ownerOf.set(item, owner);
  }

  remove(item: T): boolean {
    const owner = this.ownerOf.get(item);
    if (owner === undefined) return false;
    this.ownerOf.delete(item);
    const lane = this.lanes.get(owner)!;
    lane.items.splice(lane.items.indexOf(item), 1);
    if (lane.items.length === 0) this.lanes.delete(owner);
    return true;
  }

  /** The next item: the first of the least recently served owner's lane. */
  shift(): T | undefined {
    let chosen: [string, Lane<T>] | null = null;
    for (const entry of this.lanes) {
      const [, lane] = entry;
      if (!chosen || lane.servedAt < chosen[1].servedAt || (lane.servedAt === chosen[1].servedAt && lane.arrival < chosen[1].arrival)) chosen = entry;
    }
    if (!chosen) return undefined;
    const [owner, lane] = chosen;
    const item = lane.items.shift()!;
    this.ownerOf.delete(item);
    lane.servedAt = this.takes += 1;
    this.lastOwner = owner;
    if (lane.items.length === 0) this.lanes.delete(owner);
    return item;
  }
}
