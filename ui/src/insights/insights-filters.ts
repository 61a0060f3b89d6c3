/**
 * The Insights page's filters as they live in the URL (`interval`, `since`, `until`, `tz`, `areas`,
 * `people`), so a view can be shared or reloaded: read with defaults, written back leaving defaults out.
 */
export const AREAS = ['project', 'members', 'milestones', 'chat', 'files', 'checks', 'templates', 'agents'] as const;

export interface Filters {
  readonly interval: 'hour' | 'day' | 'week';
  readonly since: string;
  readonly until: string;
  readonly tz: string;
  readonly areas: readonly string[];
  /** Actor ids (or `system`) the charts count; empty: everyone. */
  readonly people: readonly string[];
}

const daysAgo = (n: number, now: number): string => new Date(now - n * 86_400_000).toISOString().slice(0, 10);
const isDate = (text: string | null): text is string => /^\d{4}-\d{2}-\d{2}$/.test(text ?? '');

export function filtersFrom(search: string, now = Date.now(), localZone = 'UTC'): Filters {
  const q = new URLSearchParams(search);
  const interval = q.get('interval');
  const areas = (q.get('areas') ?? '').split(',').filter((a) => (AREAS as readonly string[]).includes(a));
  const people = [...new Set((q.get('people') ?? '').split(',').filter((p) => /^[0-9A-Za-z-]{1,36}$/.test(p)))].slice(0, 50);
  const since = q.get('since');
  const until = q.get('until');
  return {
    interval: interval === 'hour' || interval === 'week' ? interval : 'day',
    since: isDate(since) ? since : daysAgo(30, now),
    until: isDate(until) ? until : daysAgo(-1, now),
    tz: q.get('tz') || localZone,
    areas: areas.length ? areas : AREAS,
    people,
  };
}

export function searchOf(f: Filters): string {
  const q = new URLSearchParams({ interval: f.interval, since: f.since, until: f.until, tz: f.tz });
  if (f.areas.length !== AREAS.length) q.set('areas', f.areas.join(','));
  if (f.people.length) q.set('people', f.people.join(','));
  return `?${q}`;
}
