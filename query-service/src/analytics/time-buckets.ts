/**
 * Time buckets for the analysts' views. The read model counts per UTC hour; a day or week is the
 * hours whose start falls on that local day or week (weeks start on Monday, ISO 8601) in the
 * requested time zone, so days follow the zone's midnight across daylight-saving changes. In zones
 * whose offset is not a whole number of hours (Asia/Kolkata) a day's edge falls on the UTC hour
 * that starts inside it, up to 45 minutes off local midnight.
 */
export type Interval = 'hour' | 'day' | 'week';

const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let format = formatters.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, format);
  }
  return format;
}

/** Whether the runtime knows the IANA zone name. */
export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTime(ms: number, tz: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(ms))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts['year']!, month: parts['month']!, day: parts['day']!, hour: parts['hour']!, minute: parts['minute']!, second: parts['second']! };
}

const DAY = 24 * HOUR;
const MAX_CACHED = 200_000;
/** Offsets Intl gave, per zone and instant (numbers as keys: this is on the hot path of every sum). */
const offsets = new Map<string, Map<number, number>>();
let cached = 0;

/** The offset as Intl computes it (slow: a formatter call), remembered. */
function exactOffset(ms: number, tz: string): number {
  let zone = offsets.get(tz);
  if (!zone) offsets.set(tz, (zone = new Map()));
  let offset = zone.get(ms);
  if (offset === undefined) {
    const w = wallTime(ms, tz);
    offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
    if (++cached > MAX_CACHED) {
      offsets.clear();
      cached = 0;
    }
    zone.set(ms, offset);
  }
  return offset;
}

/**
 * The zone's offset from UTC at an instant, in ms (east positive). Asked of Intl once per UTC day
 * (at its start and end) and, only on a day when the two differ (a daylight-saving change), once per
 * hour of that day; remembered, so summing a year of hours costs a few hundred formatter calls once.
 */
export function offsetAt(ms: number, tz: string): number {
  if (tz === 'UTC') return 0;
  const day = Math.floor(ms / DAY) * DAY;
  const atStart = exactOffset(day, tz);
  return atStart === exactOffset(day + DAY, tz) ? atStart : exactOffset(Math.floor(ms / HOUR) * HOUR, tz);
}

/** The instant at which local wall-clock time `wall` (as if UTC, in ms) occurs. */
function instantOf(wall: number, tz: string): number {
  const guess = wall - offsetAt(wall, tz);
  return wall - offsetAt(guess, tz);
}

/** Local midnight of the local day holding the instant, as a wall-clock time (as if UTC). */
const localDayOf = (ms: number, tz: string): number => Math.floor((ms + offsetAt(ms, tz)) / DAY) * DAY;

/** Start of the bucket that holds the instant `ms`. */
export function bucketStart(ms: number, interval: Interval, tz: string): number {
  if (interval === 'hour') return Math.floor(ms / HOUR) * HOUR;
  const day = localDayOf(ms, tz);
  if (interval === 'day') return instantOf(day, tz);
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  return instantOf(day - weekday * DAY, tz);
}

/** Start of the bucket after the one starting at `start`. */
export function nextBucket(start: number, interval: Interval, tz: string): number {
  if (interval === 'hour') return start + HOUR;
  // Noon of the bucket's first day is safely inside it whatever the offset.
  return instantOf(localDayOf(start + 12 * HOUR, tz) + (interval === 'day' ? 1 : 7) * DAY, tz);
}

/** Every bucket start from the one holding `since` up to (not including) `until`. */
export function bucketStarts(since: number, until: number, interval: Interval, tz: string, max: number): number[] | null {
  const starts: number[] = [];
  for (let start = bucketStart(since, interval, tz); start < until; start = nextBucket(start, interval, tz)) {
    if (starts.length >= max) return null;
    starts.push(start);
  }
  return starts;
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** The instant as local time with its offset, e.g. `2026-03-29T00:00:00+01:00`. */
export function localIso(ms: number, tz: string): string {
  const offset = offsetAt(ms, tz);
  const wall = new Date(ms + offset).toISOString().slice(0, 19);
  if (tz === 'UTC') return `${wall}Z`;
  const minutes = Math.round(offset / 60_000);
  return `${wall}${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}
