/**
 * What controller specs run against instead of a page: a minimal Lit controller host (it counts
 * the updates asked for), the API client over a scripted network (fetch is the boundary), and an
 * in-memory Storage.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiClient } from '../api/api-client.js';
import { SessionStore } from '../api/session-store.js';
import type { ToastKind } from '../events.js';

export class TestHost implements ReactiveControllerHost {
  readonly controllers = new Set<ReactiveController>();
  updates = 0;
  addController(controller: ReactiveController): void {
    this.controllers.add(controller);
  }
  removeController(controller: ReactiveController): void {
    this.controllers.delete(controller);
  }
  requestUpdate(): void {
    this.updates++;
  }
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
  disconnect(): void {
    for (const controller of this.controllers) controller.hostDisconnected?.();
  }
}

export function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly authorization: string | null;
}

/** Answers for `METHOD /path` (query strings ignored): a status and a JSON body; unknown requests answer 500. */
export type Answers = Record<string, { status: number; body?: unknown } | ((body: unknown) => { status: number; body?: unknown })>;

/** An API client signed in as `self`, whose network answers from `answers`; `requests` records every call. */
export function scriptedApi(answers: Answers, self = { id: 'u-self', username: 'self', email: 'self@example.com' }) {
  const requests: SeenRequest[] = [];
  const session = new SessionStore(memoryStorage());
  session.set({ accessToken: 'token-1', refreshToken: 'refresh-1', user: self });
  const fetchImpl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const headers = new Headers(init.headers);
    requests.push({ method, path: url.pathname, body, authorization: headers.get('authorization') });
    const answer = answers[`${method} ${url.pathname}`];
    const { status, body: out } = typeof answer === 'function' ? answer(body) : (answer ?? { status: 500, body: { error: { code: 'unscripted', message: `no answer for ${method} ${url.pathname}` } } });
    return new Response(out === undefined ? null : JSON.stringify(out), { status, headers: { 'content-type': 'application/json' } });
  };
  globalThis.fetch = fetchImpl as typeof fetch;
  return { api: new ApiClient(session, 'http://api.test'), requests };
}

/** Collects what a controller tells the user. */
export function toasts() {
  const seen: { kind: ToastKind; text: string }[] = [];
  return { seen, notify: (kind: ToastKind, text: string) => void seen.push({ kind, text }) };
}
