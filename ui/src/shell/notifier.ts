/**
 * Opt-in alerts for mentions and check results, beside the toasts: a desktop notification (the
 * Notification API; permission is asked only when the user turns it on in Settings) and a short
 * WebAudio beep (no audio file). Settings are per user, in localStorage. The shell imports this
 * module lazily, the first time an alert-worthy toast arrives or the settings page opens.
 */
export interface NotificationSettings {
  readonly desktop: boolean;
  readonly sound: boolean;
}

export const NO_ALERTS: NotificationSettings = { desktop: false, sound: false };

const key = (userId: string) => `resoft.notifications.${userId}`;

export function loadSettings(userId: string, storage: Pick<Storage, 'getItem'> = localStorage): NotificationSettings {
  try {
    const raw = JSON.parse(storage.getItem(key(userId)) ?? 'null') as Partial<NotificationSettings> | null;
    return { desktop: raw?.desktop === true, sound: raw?.sound === true };
  } catch {
    return NO_ALERTS;
  }
}

export function saveSettings(userId: string, settings: NotificationSettings, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(key(userId), JSON.stringify({ desktop: settings.desktop, sound: settings.sound }));
}

export const desktopSupported = (): boolean => typeof window !== 'undefined' && 'Notification' in window;

/** Asks the browser for permission (only call from a user's action); true when notifications may be shown. */
export async function requestDesktopPermission(): Promise<boolean> {
  if (!desktopSupported()) return false;
  if (Notification.permission === 'granted') return true;
  if (Notification.permission === 'denied') return false;
  return (await Notification.requestPermission()) === 'granted';
}

let audio: AudioContext | null = null;

/** A short two-tone beep through WebAudio. */
export function beep(): void {
  const Context = window.AudioContext;
  if (!Context) return;
  audio ??= new Context();
  const ctx = audio;
  if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
  const gain = ctx.createGain();
  gain.connect(ctx.destination);
  const start = ctx.currentTime;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
  const tone = ctx.createOscillator();
  tone.type = 'sine';
  tone.frequency.setValueAtTime(880, start);
  tone.frequency.setValueAtTime(660, start + 0.15);
  tone.connect(gain);
  tone.start(start);
  tone.stop(start + 0.32);
}

/** Alerts the user about `text` as their settings ask (nothing when they opted out). */
export function alertUser(userId: string, about: 'mention' | 'check', text: string): void {
  const settings = loadSettings(userId);
  const title = about === 'mention' ? 'Resoft: you were mentioned' : 'Resoft: check finished';
  if (settings.desktop && desktopSupported() && Notification.permission === 'granted') {
    try {
      new Notification(title, { body: text, tag: `resoft-${title}` });
    } catch {
      // Some browsers only allow notifications from a service worker; the toast still shows.
    }
  }
  if (settings.sound) beep();
}
