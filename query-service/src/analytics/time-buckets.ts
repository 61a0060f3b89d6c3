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

/** The zone's offset from UTC at an instant, in ms (east positive). */
export function offsetAt(ms: number, tz: string): number {
  const w = wallTime(ms, tz);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/** The instant the local day `year-month-day` begins (months from 1; days may overflow). */
function localMidnight(year: number, month: number, day: number, tz: string): number {
  const wall = Date.UTC(year, month - 1, day);
  let guess = wall - offsetAt(wall, tz);
  guess = wall - offsetAt(guess, tz);
  return guess;
}

/** Start of the bucket that holds the instant `ms`. */
export function bucketStart(ms: number, interval: Interval, tz: string): number {
  if (interval === 'hour') return Math.floor(ms / HOUR) * HOUR;
  const w = wallTime(ms, tz);
  if (interval === 'day') return localMidnight(w.year, w.month, w.day, tz);
  const weekday = (new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7;
  return localMidnight(w.year, w.month, w.day - weekday, tz);
}

/** Start of the bucket after the one starting at `start`. */
export function nextBucket(start: number, interval: Interval, tz: string): number {
  if (interval === 'hour') return start + HOUR;
  // Noon of the bucket's first day is safely inside it whatever the offset.
  const w = wallTime(start + 12 * HOUR, tz);
  return localMidnight(w.year, w.month, w.day + (interval === 'day' ? 1 : 7), tz);
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
  const w = wallTime(ms, tz);
  const offsetMinutes = Math.round(offsetAt(ms, tz) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const zone = offsetMinutes === 0 && tz === 'UTC' ? 'Z' : `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${zone}`;
}
