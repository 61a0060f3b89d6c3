/** A stable colour per user, so every client shows the same person in the same colour. */
export function userColor(userId: string): string {
  let hash = 0;
  for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360}, 70%, 45%)`;
}
