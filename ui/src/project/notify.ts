/** How a controller tells the user something (the page turns it into a toast); controllers hold no element. */
import type { ToastKind } from '../events.js';

export type Notify = (kind: ToastKind, text: string) => void;
