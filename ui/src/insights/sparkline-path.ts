/** The points of an activity sparkline: counts scaled into a width × height box, the largest at the top, zero on the bottom edge. */
export function sparklinePoints(counts: readonly number[], width: number, height: number): string {
  if (counts.length === 0) return '';
  const max = Math.max(1, ...counts);
  const step = counts.length > 1 ? width / (counts.length - 1) : 0;
  const round = (n: number) => Math.round(n * 10) / 10;
  return counts.map((n, i) => `${round(i * step)},${round(height - (n / max) * height)}`).join(' ');
}
