/** The collaboration benchmark's Resoft side: editors as typed `CollabClient`s (Automerge replicas), each with its own socket, as browsers would have. */
import { CollabClient } from '@resoft/collab-client';
import WebSocket from 'ws';
import type { Editor } from './collab-editor.js';

export interface ResoftEditorsSetup {
  readonly baseUrl: string;
  /** One access token per editor. */
  readonly tokens: readonly string[];
  readonly projectId: string;
  readonly roomId: string;
  readonly fileId: string;
}

export async function resoftEditors({ baseUrl, tokens, projectId, roomId, fileId }: ResoftEditorsSetup): Promise<Editor[]> {
  return Promise.all(tokens.map(async (token) => {
    const client = new CollabClient({ url: `${baseUrl.replace(/^http/, 'ws')}/ws`, token: () => token, WebSocket: WebSocket as never, requestTimeoutMs: 60_000 });
    await client.connect();
    await client.join(roomId);
    const doc = await client.open(projectId, fileId);
    await doc.ready;
    return {
      insertAtStart: (text) => {
        doc.insert(0, text);
        doc.setCursor(text.length);
      },
      setTyping: (typing) => void client.setPresence('online', { viewing: fileId, typing }).catch(() => undefined),
      onText: (listener) => void doc.on('change', listener),
      text: () => doc.text,
      close: () => client.close(),
    };
  }));
}
