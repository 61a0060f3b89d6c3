import type { AnalyticsBucketCounts } from '@resoft/projectors';
import { narrowToPeople } from './people-filter.js';

const doc = (hour: string, actorAreas: Record<string, Record<string, number>>): AnalyticsBucketCounts => {
  const actors = Object.fromEntries(Object.entries(actorAreas).map(([a, areas]) => [a, Object.values(areas).reduce((x, y) => x + y, 0)]));
  const areas: Record<string, number> = {};
  for (const byArea of Object.values(actorAreas)) for (const [area, n] of Object.entries(byArea)) areas[area] = (areas[area] ?? 0) + n;
  const total = Object.values(actors).reduce((x, y) => x + y, 0);
  return { id: hour, projectId: 'p', streamId: 's', hour, total, types: { Some: total }, areas, actors, actorAreas, churn: {}, responses: { count: 0, totalMs: 0, maxMs: 0 } };
};

describe('narrowToPeople', () => {
  const docs = [
    doc('2026-03-01T10:00:00.000Z', { ann: { chat: 2, files: 1 }, bob: { chat: 4 }, system: { checks: 1 } }),
    doc('2026-03-01T11:00:00.000Z', { bob: { files: 3 } }),
  ];

  it('keeps only the named people\'s counts, by area and actor, with their total', () => {
    const [first, ...rest] = narrowToPeople(docs, ['ann', 'system']);
    expect(first).toMatchObject({ total: 4, areas: { chat: 2, files: 1, checks: 1 }, actors: { ann: 3, system: 1 }, types: {} });
    expect(rest).toEqual([]);
  });

  it('sums several people and leaves out documents where none of them acted', () => {
    expect(narrowToPeople(docs, ['bob']).map((d) => [d.hour, d.total, d.areas])).toEqual([
      ['2026-03-01T10:00:00.000Z', 4, { chat: 4 }],
      ['2026-03-01T11:00:00.000Z', 3, { files: 3 }],
    ]);
    expect(narrowToPeople(docs, ['nobody'])).toEqual([]);
  });
});
