/**
 * The collaboration benchmark's Yjs side: editors and joiners as Hocuspocus providers (the
 * provider's default settings), each with its own Y.Doc and socket, as browsers would have.
 */
import { HocuspocusProvider } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { sleep, type Editor } from './collab-editor.js';

function connect(url: string, name: string): HocuspocusProvider {
  // Node 20 has no global WebSocket: the provider takes `ws` as its polyfill.
  return new HocuspocusProvider({ url, name, WebSocketPolyfill: WebSocket } as never);
}

function synced(provider: HocuspocusProvider, timeoutMs: number): Promise<void> {
  if (provider.isSynced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('a Hocuspocus provider did not sync in time')), timeoutMs);
    provider.on('synced', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** `count` editors of one document; `numbers` names them in awareness (editor k is `numbers[k]`). */
export async function hocuspocusEditors(url: string, count: number, documentName: string, numbers: readonly number[] = Array.from({ length: count }, (_, k) => k)): Promise<Editor[]> {
  const providers = Array.from({ length: count }, () => connect(url, documentName));
  await Promise.all(providers.map((p) => synced(p, 60_000)));
  return providers.map((provider, k) => {
    const i = numbers[k]!;
    const text = provider.document.getText('text');
    provider.setAwarenessField('user', { name: `editor ${i}`, typing: false });
    return {
      insertAtStart: (token) => {
        text.insert(0, token);
        provider.setAwarenessField('cursor', { index: token.length });
      },
      setTyping: (typing) => provider.setAwarenessField('user', { name: `editor ${i}`, typing }),
      onText: (listener) => text.observe(() => listener(text.toString())),
      text: () => text.toString(),
      close: () => provider.destroy(),
    };
  });
}

/** `count` providers open one document at once, each announcing itself in awareness; answers the time until all are synced. */
export async function hocuspocusJoinStorm(url: string, count: number, documentName: string): Promise<{ ms: number; close: () => Promise<void> }> {
  const started = performance.now();
  const providers = Array.from({ length: count }, (_, i) => {
    const provider = connect(url, documentName);
    provider.setAwarenessField('user', { name: `joiner ${i}` });
    return provider;
  });
  await Promise.all(providers.map((p) => synced(p, 300_000)));
  const ms = performance.now() - started;
  return {
    ms,
    close: async () => {
      for (const p of providers) p.destroy();
      await sleep(500);
    },
  };
}
