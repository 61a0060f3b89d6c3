/** The collaboration benchmark's automerge-repo side: editors as `Repo`s, each with its own socket, sharing one document. */
import * as Automerge from '@automerge/automerge/next';
import { Repo, type AutomergeUrl, type DocHandle } from '@automerge/automerge-repo';
import { BrowserWebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { sleep, type Editor } from './collab-editor.js';

/** `count` editors of the document at `documentUrl`, or of a new one (made by the first editor) when it is absent. */
export async function automergeRepoEditors(url: string, count: number, documentUrl?: string): Promise<{ editors: Editor[]; documentUrl: string }> {
  const repos = Array.from({ length: count }, () => new Repo({ network: [new BrowserWebSocketClientAdapter(url)], sharePolicy: async () => true }));
  let handles: DocHandle<{ text: string }>[];
  if (documentUrl === undefined) {
    const first = repos[0]!.create<{ text: string }>({ text: '' });
    await sleep(500); // let the server receive the new document before the others ask for it
    handles = [first, ...(await Promise.all(repos.slice(1).map((r) => r.find<{ text: string }>(first.url))))];
  } else {
    handles = await Promise.all(repos.map((r) => r.find<{ text: string }>(documentUrl as AutomergeUrl)));
  }
  const editors = handles.map((handle, i): Editor => ({
    insertAtStart: (token) => {
      handle.change((d) => Automerge.splice(d, ['text'], 0, 0, token));
      // automerge-repo's presence channel: ephemeral messages to the document's other peers.
      handle.broadcast({ cursor: token.length });
    },
    setTyping: (typing) => handle.broadcast({ typing }),
    onText: (listener) => void handle.on('change', ({ doc }) => listener(doc.text)),
    text: () => handle.doc()?.text ?? '',
    close: () => void repos[i]!.shutdown(),
  }));
  return { editors, documentUrl: handles[0]!.url };
}
