/** A small HTTP client for tests and benchmarks: JSON in, status and JSON out. */

export interface ApiResponse<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export interface Session {
  readonly userId: string;
  readonly username: string;
  readonly email: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Position of the sign-in, for reads that must see the new user (`?after=`). */
  readonly position: number;
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const response = await fetch(this.baseUrl + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (the docs page, say): keep the text.
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = any>(path: string, token?: string) {
    return this.request<T>('GET', path, token ? { token } : {});
  }

  post<T = any>(path: string, body: unknown, token?: string) {
    return this.request<T>('POST', path, { body, ...(token ? { token } : {}) });
  }

  /** Asks for `urlPath?after=<position>` until the answer says fresh, at most `timeoutMs` (each ask waits up to the server's read wait); resolves with the last answer. */
  async readWhenFresh(urlPath: string, position: number, token: string, timeoutMs = 60_000): Promise<ApiResponse> {
    const deadline = Date.now() + timeoutMs;
    const separator = urlPath.includes('?') ? '&' : '?';
    for (;;) {
      const answer = await this.get(`${urlPath}${separator}after=${position}`, token);
      if (answer.headers.get('resoft-consistency') === 'fresh' || Date.now() > deadline) return answer;
    }
  }

  /** Registers and signs in a user named `username` (email `<username>@example.com`). */
  async signUp(username: string, password = 'correct horse battery'): Promise<Session> {
    const email = `${username}@example.com`;
    const registered = await this.post('/api/auth/register', { email, username, password });
    if (registered.status !== 201) throw new Error(`register ${username}: ${registered.status} ${JSON.stringify(registered.body)}`);
    const login = await this.post('/api/auth/login', { email, password });
    if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${JSON.stringify(login.body)}`);
    return { userId: login.body.user.id, username, email, accessToken: login.body.accessToken, refreshToken: login.body.refreshToken, position: login.body.position };
  }
}
