import { bucketStart, bucketStarts, isTimeZone, localIso, nextBucket } from './time-buckets.js';

const at = (iso: string): number => Date.parse(iso);

describe('time buckets', () => {
  it('puts the last and first moments of a UTC day in different day buckets', () => {
    expect(localIso(bucketStart(at('2026-03-10T23:59:59.999Z'), 'day', 'UTC'), 'UTC')).toBe('2026-03-10T00:00:00Z');
    expect(localIso(bucketStart(at('2026-03-11T00:00:00.000Z'), 'day', 'UTC'), 'UTC')).toBe('2026-03-11T00:00:00Z');
  });

  it('starts days at local midnight in the requested zone', () => {
    // 23:30 UTC on the 10th is already the 11th in Berlin (UTC+1 in winter).
    expect(localIso(bucketStart(at('2026-03-10T23:30:00Z'), 'day', 'Europe/Berlin'), 'Europe/Berlin')).toBe('2026-03-11T00:00:00+01:00');
    expect(localIso(bucketStart(at('2026-03-11T03:00:00Z'), 'day', 'America/New_York'), 'America/New_York')).toBe('2026-03-10T00:00:00-04:00');
  });

  it('follows daylight saving: the day of the spring change is 23 hours long, the autumn one 25', () => {
    const spring = bucketStart(at('2026-03-29T12:00:00Z'), 'day', 'Europe/Berlin');
    expect(localIso(spring, 'Europe/Berlin')).toBe('2026-03-29T00:00:00+01:00');
    expect((nextBucket(spring, 'day', 'Europe/Berlin') - spring) / 3_600_000).toBe(23);
    expect(localIso(nextBucket(spring, 'day', 'Europe/Berlin'), 'Europe/Berlin')).toBe('2026-03-30T00:00:00+02:00');
    const autumn = bucketStart(at('2026-10-25T12:00:00Z'), 'day', 'Europe/Berlin');
    expect((nextBucket(autumn, 'day', 'Europe/Berlin') - autumn) / 3_600_000).toBe(25);
  });

  it('starts weeks on Monday, local time', () => {
    // Sunday 2026-03-15 22:30 UTC is Monday 16th in Tokyo.
    expect(localIso(bucketStart(at('2026-03-15T22:30:00Z'), 'week', 'UTC'), 'UTC')).toBe('2026-03-09T00:00:00Z');
    expect(localIso(bucketStart(at('2026-03-15T22:30:00Z'), 'week', 'Asia/Tokyo'), 'Asia/Tokyo')).toBe('2026-03-16T00:00:00+09:00');
  });

  it('lists the buckets of a period and refuses too many', () => {
    const starts = bucketStarts(at('2026-03-01T05:00:00Z'), at('2026-03-04T00:00:00Z'), 'day', 'UTC', 100)!;
    expect(starts.map((s) => localIso(s, 'UTC'))).toEqual(['2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z']);
    expect(bucketStarts(at('2026-01-01T00:00:00Z'), at('2026-03-01T00:00:00Z'), 'hour', 'UTC', 100)).toBeNull();
  });

  it('knows zone names', () => {
    expect([isTimeZone('Europe/Berlin'), isTimeZone('UTC'), isTimeZone('Mars/Olympus'), isTimeZone('')]).toEqual([true, true, false, false]);
  });
});
