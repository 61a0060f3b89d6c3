/** The signed-in session, kept in localStorage so a reload stays signed in; listeners hear sign-in and sign-out. */

export interface Session {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly user: { readonly id: string; readonly username: string; readonly email: string };
}

const KEY = 'resoft.session';

export class SessionStore {
  private current: Session | null;
  private readonly listeners = new Set<(session: Session | null) => void>();

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = localStorage) {
    this.current = SessionStore.parse(storage.getItem(KEY));
  }

  get(): Session | null {
    return this.current;
  }

  set(session: Session | null): void {
    const changedUser = (session?.user.id ?? null) !== (this.current?.user.id ?? null);
    this.current = session;
    if (session) this.storage.setItem(KEY, JSON.stringify(session));
    else this.storage.removeItem(KEY);
    if (changedUser) for (const listener of this.listeners) listener(session);
  }

  /** Called when the user signs in or out (not on a token refresh). */
  subscribe(listener: (session: Session | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private static parse(raw: string | null): Session | null {
    if (!raw) return null;
    try {
      const value = JSON.parse(raw) as Session;
      return typeof value.accessToken === 'string' && typeof value.refreshToken === 'string' && value.user ? value : null;
    } catch {
      return null;
    }
  }
}
