/**
 * A day document's counts as the analytics rebuild holds them (analytics-rebuild-state.ts): per hour
 * a flat array of numbers instead of four objects keyed by type, area and person (nested for the
 * counts by person and area). Counting an event is then a few array reads with no property of a
 * new name added to an object, and a rebuild holds about a hundred thousand days with far fewer
 * objects for the garbage collector to copy and mark. `toDocument` gives the day document
 * (AnalyticsDayView) a rebuild counting into it directly would have built, keys in the same order.
 */
import type { AnalyticsDayView } from './analytics-model.js';

/** Numbers for names (event types, areas, people), shared by all the days of a rebuild. */
export class NameNumbers {
  private readonly numbers = new Map<string, number>();
  readonly names: string[] = [];

  of(name: string): number {
    let n = this.numbers.get(name);
    if (n === undefined) {
      n = this.names.length;
      this.numbers.set(name, n);
      this.names.push(name);
    }
    return n;
  }
}

/** The names a rebuild's days count by. */
export interface DayNames {
  readonly types: NameNumbers;
  readonly areas: NameNumbers;
  readonly actors: NameNumbers;
}

/**
 * A new object for counts by name: one with no prototype, which V8 keeps as a dictionary from the
 * start. Filling plain objects with ever other keys (people's ids, hours, types in any order) made
 * a hidden class per key order, and building a rebuild's day documents cost about five times as
 * much. It serialises as a plain object does (JSON, BSON); readers get the documents from the store.
 */
const nameCounts = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

/** What a count's key says (its two low bits); the rest is the name's number (a person's and an area's for ACTOR_AREA). */
const TYPE = 0;
const AREA = 1;
const ACTOR = 2;
const ACTOR_AREA = 3;
/** Areas are fewer than this (analytics-areas.ts has seven): a person's count in an area is keyed person × AREAS + area. */
const AREAS = 16;

/** Adds one to the count of `key` in an hour's counts (total first, then key and count pairs). */
function bump(counts: number[], key: number): void {
  for (let i = 1; i < counts.length; i += 2) {
    if (counts[i] === key) {
      counts[i + 1]! += 1;
      return;
    }
  }
  counts.push(key, 1);
}

export class RebuiltDay {
  /** The hours counted (`"13"`), in the order first counted. */
  private readonly hours: string[] = [];
  /** Per hour (same index): its total, then pairs of a key and its count, keys in the order first counted. */
  private readonly counts: number[][] = [];
  private lastH = '';
  private last: number[] | null = null;

  constructor(
    readonly id: string,
    readonly projectId: string,
    /** The UTC day, `YYYY-MM-DDT00:00:00.000Z`. */
    readonly day: string,
    readonly writer: string | null,
  ) {}

  /** Counts one event of hour `h` (`"13"`) and the numbered type, area and person. */
  count(h: string, type: number, area: number, actor: number): void {
    if (area >= AREAS) throw new Error(`Area number ${area} out of range`);
    let counts = this.last;
    if (counts === null || this.lastH !== h) {
      const i = this.hours.indexOf(h);
      if (i >= 0) counts = this.counts[i]!;
      else {
        this.hours.push(h);
        this.counts.push((counts = [0]));
      }
      this.last = counts;
      this.lastH = h;
    }
    counts[0]! += 1;
    bump(counts, type * 4 + TYPE);
    bump(counts, area * 4 + AREA);
    bump(counts, actor * 4 + ACTOR);
    bump(counts, (actor * AREAS + area) * 4 + ACTOR_AREA);
  }

  toDocument({ types: typeNames, areas: areaNames, actors: actorNames }: DayNames): AnalyticsDayView {
    const doc: AnalyticsDayView = { id: this.id, projectId: this.projectId, day: this.day, writer: this.writer, total: nameCounts(), types: nameCounts(), areas: nameCounts(), actors: nameCounts(), actorAreas: nameCounts() };
    for (let i = 0; i < this.hours.length; i += 1) {
      const h = this.hours[i]!;
      const hour = this.counts[i]!;
      const types = (doc.types[h] = nameCounts<number>());
      const areas = (doc.areas[h] = nameCounts<number>());
      const actors = (doc.actors[h] = nameCounts<number>());
      const actorAreas = (doc.actorAreas[h] = nameCounts<Record<string, number>>());
      doc.total[h] = hour[0]!;
      for (let k = 1; k < hour.length; k += 2) {
        const key = hour[k]!;
        const n = hour[k + 1]!;
        const number = key >> 2;
        switch (key & 3) {
          case TYPE:
            types[typeNames.names[number]!] = n;
            break;
          case AREA:
            areas[areaNames.names[number]!] = n;
            break;
          case ACTOR:
            actors[actorNames.names[number]!] = n;
            break;
          default:
            (actorAreas[actorNames.names[Math.floor(number / AREAS)]!] ??= nameCounts<number>())[areaNames.names[number % AREAS]!] = n;
        }
      }
    }
    return doc;
  }
}
