/**
 * How long a pause splits two editing sessions in the history, per browser (Settings). The server
 * groups with whatever the page asks; five minutes unless the user chose otherwise.
 */
export const SESSION_GAP_CHOICES = [60, 300, 900, 3600] as const;
const KEY = 'resoft.history.sessionGapSeconds';
export const DEFAULT_SESSION_GAP_SECONDS = 300;

export function sessionGapSeconds(storage: Pick<Storage, 'getItem'> = localStorage): number {
  const stored = Number(storage.getItem(KEY));
  return (SESSION_GAP_CHOICES as readonly number[]).includes(stored) ? stored : DEFAULT_SESSION_GAP_SECONDS;
}

export function saveSessionGapSeconds(seconds: number, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(KEY, String(seconds));
}
