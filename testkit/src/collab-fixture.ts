/** A project with an owner, editors and a viewer, a room and a file, and collaboration clients that talk to a test server's gateway. */
import { CollabClient } from '@resoft/collab-client';
import WebSocket from 'ws';
import { ApiClient, type Session } from './api-client.js';

export interface CollabFixture {
  readonly api: ApiClient;
  readonly projectId: string;
  readonly roomId: string;
  readonly fileId: string;
  readonly owner: Session;
  readonly editors: Session[];
  readonly viewer: Session;
  readonly outsider: Session;
}

export async function collabFixture(baseUrl: string, options: { editors?: number; content?: string; prefix?: string } = {}): Promise<CollabFixture> {
  const api = new ApiClient(baseUrl);
  const prefix = options.prefix ?? `u${Math.random().toString(36).slice(2, 8)}`;
  const owner = await api.signUp(`${prefix}owner`);
  const editors = await Promise.all(Array.from({ length: options.editors ?? 2 }, (_, i) => api.signUp(`${prefix}ed${i}`)));
  const viewer = await api.signUp(`${prefix}viewer`);
  const outsider = await api.signUp(`${prefix}outsider`);
  const ok = async (p: Promise<{ status: number; body: any }>) => {
    const r = await p;
    if (r.status >= 300) throw new Error(`fixture: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const projectId = (await ok(api.post('/api/projects', { name: 'Collab' }, owner.accessToken))).id;
  for (const e of editors) await ok(api.post(`/api/projects/${projectId}/members`, { userId: e.userId, role: 'editor' }, owner.accessToken));
  await ok(api.post(`/api/projects/${projectId}/members`, { userId: viewer.userId, role: 'viewer' }, owner.accessToken));
  const roomId = (await ok(api.post('/api/collaboration/rooms', { projectId, name: 'Pairing' }, owner.accessToken))).id;
  const fileId = (await ok(api.post(`/api/projects/${projectId}/files`, { path: 'src/main.py', content: options.content ?? 'def main():\n    pass\n' }, owner.accessToken))).id;
  return { api, projectId, roomId, fileId, owner, editors, viewer, outsider };
}

export function wsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, 'ws')}/ws`;
}

export async function connectClient(baseUrl: string, session: Pick<Session, 'accessToken'>, options: { reconnect?: boolean; minReconnectDelayMs?: number } = {}): Promise<CollabClient> {
  const client = new CollabClient({ url: wsUrl(baseUrl), token: () => session.accessToken, WebSocket: WebSocket as never, ...options });
  await client.connect();
  return client;
}

/** Resolves once `check` holds, polling (bounded by jest's timeout). */
export async function until(check: () => boolean, pollMs = 20): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, pollMs));
}
