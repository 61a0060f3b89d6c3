/**
 * The timeline's `people` filter: each bucket document narrowed to what the named people did. A
 * document keeps counts by actor and by actor and area, so totals, areas and actors can be narrowed;
 * counts by event type are not kept per person, so a grouping by type cannot be (the route refuses it).
 */
import type { HourCounts } from './analytics-answers.js';

/** The documents as if only `people` (actor ids, `system` for events without one) had acted; documents with none of their events are left out. */
export function narrowToPeople<D extends HourCounts>(docs: readonly D[], people: readonly string[]): D[] {
  const narrowed: D[] = [];
  for (const doc of docs) {
    const actors: Record<string, number> = {};
    const areas: Record<string, number> = {};
    let total = 0;
    for (const person of people) {
      const n = doc.actors[person];
      if (!n) continue;
      actors[person] = n;
      total += n;
      for (const [area, count] of Object.entries(doc.actorAreas[person] ?? {})) areas[area] = (areas[area] ?? 0) + count;
    }
    if (total > 0) narrowed.push({ ...doc, total, actors, areas, types: {}, actorAreas: Object.fromEntries(people.filter((p) => doc.actorAreas[p]).map((p) => [p, doc.actorAreas[p]!])) });
  }
  return narrowed;
}
