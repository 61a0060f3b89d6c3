/**
 * The browser's HTTP client for the Resoft API: JSON in and out, the access token on every call,
 * one refresh (rotating the refresh token) when a call answers 401, and read-your-writes: every
 * write's `position` is remembered and passed to later reads as `?after=`.
 */
import type { Session, SessionStore } from './session-store.js';

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export class ApiClient {
  /** The highest event position this client's writes produced. */
  lastPosition = 0;
  private refreshing: Promise<boolean> | null = null;

  constructor(
    private readonly session: SessionStore,
    private readonly baseUrl = '',
  ) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', this.withAfter(path));
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PATCH', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.call<T>('DELETE', path);
  }

  /** A GET whose answer is not JSON (exports): the body as text. */
  async text(path: string, retried = false): Promise<string> {
    const token = this.session.get()?.accessToken;
    const response = await fetch(this.baseUrl + path, { headers: token ? { authorization: `Bearer ${token}` } : {} }).catch(() => null);
    if (!response) throw new ApiError(0, 'network', 'The server cannot be reached');
    if (response.status === 401 && !retried && (await this.refresh())) return this.text(path, true);
    if (!response.ok) throw new ApiError(response.status, 'http_' + response.status, `The server answered ${response.status}`);
    return response.text();
  }

  /** Reads a Server-Sent Events stream (with the access token, which EventSource cannot send) until the server ends it. */
  async events(path: string, onEvent: (type: string, data: unknown) => void): Promise<void> {
    const token = this.session.get()?.accessToken;
    const response = await fetch(this.baseUrl + path, { headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) } }).catch(() => null);
    if (!response?.ok || !response.body) throw new ApiError(response?.status ?? 0, 'stream_failed', `The progress stream answered ${response?.status ?? 'nothing'}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let type = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) type = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (data.length === 0) continue;
        try {
          onEvent(type, JSON.parse(data.join('\n')));
        } catch {
          onEvent(type, data.join('\n'));
        }
      }
    }
  }

  async register(email: string, username: string, password: string): Promise<void> {
    await this.call('POST', '/api/auth/register', { email, username, password }, false);
  }

  async signIn(email: string, password: string): Promise<Session> {
    const answer = await this.call<{ accessToken: string; refreshToken: string; user: { id: string; username: string; email: string } }>(
      'POST',
      '/api/auth/login',
      { email, password },
      false,
    );
    const session: Session = { accessToken: answer.accessToken, refreshToken: answer.refreshToken, user: answer.user };
    this.session.set(session);
    return session;
  }

  async signOut(): Promise<void> {
    const current = this.session.get();
    this.session.set(null);
    if (!current) return;
    // Revoke the refresh token; the local session is gone whatever the server says.
    await fetch(this.baseUrl + '/api/auth/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${current.accessToken}` },
      body: JSON.stringify({ refreshToken: current.refreshToken }),
    }).catch(() => undefined);
  }

  /** A valid access token (refreshed when the server said the current one expired). */
  async accessToken(): Promise<string> {
    const current = this.session.get();
    if (!current) throw new ApiError(401, 'signed_out', 'You are signed out');
    return current.accessToken;
  }

  /** Refreshes the session once, shared by concurrent callers; false when the session is over. */
  refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const current = this.session.get();
      if (!current) return false;
      const response = await fetch(this.baseUrl + '/api/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: current.refreshToken }),
      }).catch(() => null);
      if (!response?.ok) {
        if (response && response.status < 500) this.session.set(null);
        return false;
      }
      const body = (await response.json()) as { accessToken: string; refreshToken: string };
      this.session.set({ ...current, accessToken: body.accessToken, refreshToken: body.refreshToken });
      return true;
    })().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private withAfter(path: string): string {
    if (this.lastPosition === 0) return path;
    return `${path}${path.includes('?') ? '&' : '?'}after=${this.lastPosition}`;
  }

  private async call<T>(method: Method, path: string, body?: unknown, authenticated = true, retried = false): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const token = authenticated ? this.session.get()?.accessToken : undefined;
    if (token) headers['authorization'] = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch {
      throw new ApiError(0, 'network', 'The server cannot be reached');
    }
    if (response.status === 401 && authenticated && !retried && (await this.refresh())) {
      return this.call<T>(method, path, body, authenticated, true);
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; fields?: FieldError[] } } | undefined)?.error;
      if (response.status === 401 && authenticated) this.session.set(null);
      throw new ApiError(response.status, error?.code ?? 'http_' + response.status, error?.message ?? `The server answered ${response.status}`, error?.fields ?? []);
    }
    const position = (parsed as { position?: unknown } | undefined)?.position;
    if (method !== 'GET' && typeof position === 'number') this.lastPosition = Math.max(this.lastPosition, position);
    return parsed as T;
  }
}
