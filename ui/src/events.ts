/** The events components send up to the app shell: navigation and toasts. Both bubble and cross shadow roots. */

export type ToastKind = 'info' | 'success' | 'error' | 'mention';

export interface ToastRequest {
  readonly kind: ToastKind;
  readonly text: string;
  /** Also an opt-in desktop notification and sound (Settings): for mentions and check results. */
  readonly alert?: 'mention' | 'check';
  /** An app path the toast links to (the message, the check). */
  readonly link?: string;
}

export const navigate = (from: EventTarget, path: string): boolean => from.dispatchEvent(new CustomEvent<string>('resoft-navigate', { detail: path, bubbles: true, composed: true }));

export const toast = (from: EventTarget, kind: ToastKind, text: string, alert?: ToastRequest['alert'], link?: string): boolean =>
  from.dispatchEvent(new CustomEvent<ToastRequest>('resoft-toast', { detail: { kind, text, ...(alert ? { alert } : {}), ...(link ? { link } : {}) }, bubbles: true, composed: true }));

/** An event of one component's own (not bubbling past its parent's template). */
export const emit = <T>(from: EventTarget, name: string, detail: T): boolean => from.dispatchEvent(new CustomEvent<T>(name, { detail }));
