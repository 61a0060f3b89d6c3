/**
 * Replays the worked example of docs/collaboration-protocol.md against a real gateway with a plain
 * WebSocket client (not the typed one): the example is parsed out of the markdown, so the document
 * and the wire cannot drift apart. The notation is explained next to the example.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Automerge from '@automerge/automerge/next';
import WebSocket from 'ws';
import { collabFixture, wsUrl, type CollabFixture, startTestServer, type TestServer } from '@resoft/testkit';

const here = path.dirname(fileURLToPath(import.meta.url));
const docPath = path.resolve(here, '../../../docs/collaboration-protocol.md');
const ANY = '…';
const WAIT_MS = 15_000;

/** The lines of the first ```session block. */
function exampleSession(markdown: string): string[] {
  const block = /```session\n([\s\S]*?)```/.exec(markdown);
  if (!block) throw new Error('docs/collaboration-protocol.md has no ```session example');
  return block[1]!.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
}

type TextDoc = { text: string };

/** One participant: a socket, the frames it received, and its copy of each open document. */
class Participant {
  readonly frames: Record<string, unknown>[] = [];
  /** Frames already matched by a `←` line (each frame matches one line at most). */
  readonly used = new Set<number>();
  /** Where the frames answering the latest `→` line start. */
  groupStart = 0;
  readonly docs = new Map<string, { doc: Automerge.Doc<TextDoc>; sync: Automerge.SyncState; heard: boolean }>();
  private constructor(readonly socket: WebSocket) {}

  static async connect(url: string, token: string): Promise<Participant> {
    const socket = new WebSocket(url, ['resoft.collab.v1', `auth.${token}`]);
    const participant = new Participant(socket);
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) participant.receiveSync(new Uint8Array(data));
      else participant.frames.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return participant;
  }

  document(fileId: string) {
    let entry = this.docs.get(fileId);
    if (!entry) this.docs.set(fileId, (entry = { doc: Automerge.init<TextDoc>(), sync: Automerge.initSyncState(), heard: false }));
    return entry;
  }

  /** `[1][16 bytes of the file id][sync message]`: applied, and answered as any client would. */
  private receiveSync(bytes: Uint8Array): void {
    if (bytes[0] !== 1) throw new Error(`unknown binary frame kind ${bytes[0]}`);
    const hex = Buffer.from(bytes.subarray(1, 17)).toString('hex');
    const fileId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    const entry = this.document(fileId);
    [entry.doc, entry.sync] = Automerge.receiveSyncMessage(entry.doc, entry.sync, bytes.subarray(17));
    entry.heard = true;
    this.sendSync(fileId);
  }

  sendSync(fileId: string): boolean {
    const entry = this.document(fileId);
    const [sync, message] = Automerge.generateSyncMessage(entry.doc, entry.sync);
    entry.sync = sync;
    if (!message) return false;
    const hex = fileId.replace(/-/g, '');
    this.socket.send(Buffer.concat([Buffer.from([1]), Buffer.from(hex, 'hex'), Buffer.from(message)]));
    return true;
  }
}

/** Deep match: same keys (objects), same length (arrays), `…` matches anything, `$name` binds or must equal its binding. */
function matches(expected: unknown, actual: unknown, bindings: Map<string, unknown>, tentative: Map<string, unknown>): boolean {
  if (expected === ANY) return actual !== undefined;
  if (typeof expected === 'string' && /^\$[A-Za-z]+$/.test(expected)) {
    const bound = bindings.has(expected) ? bindings.get(expected) : tentative.get(expected);
    if (bound !== undefined) return JSON.stringify(bound) === JSON.stringify(actual);
    tentative.set(expected, actual);
    return actual !== undefined;
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(e, actual[i], bindings, tentative));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const keys = Object.keys(expected);
    const actualKeys = Object.keys(actual);
    return keys.length === actualKeys.length && keys.every((k) => k in actual && matches((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], bindings, tentative));
  }
  return expected === actual;
}

async function waitFor<T>(what: string, probe: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = probe();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let server: TestServer;
let fixture: CollabFixture;

beforeAll(async () => {
  server = await startTestServer();
  fixture = await collabFixture(server.baseUrl, { editors: 2 });
}, 60_000);
afterAll(() => server.stop());

describe('the worked example in docs/collaboration-protocol.md', () => {
  it('plays out against a real gateway, frame by frame', async () => {
    const lines = exampleSession(fs.readFileSync(docPath, 'utf8'));
    expect(lines.length).toBeGreaterThan(10);
    const bindings = new Map<string, unknown>([['$projectId', fixture.projectId], ['$roomId', fixture.roomId], ['$fileId', fixture.fileId]]);
    const sessions = { ann: fixture.editors[0]!, bob: fixture.editors[1]! };
    const participants = new Map<string, Participant>();
    const substitute = (text: string) => text.replace(/\$[A-Za-z]+/g, (name) => (bindings.has(name) ? String(bindings.get(name)) : name));
    try {
      for (const [number, line] of lines.entries()) {
        const [, who, rest] = /^(ann|bob) (.*)$/.exec(line) ?? [];
        if (!who || rest === undefined) throw new Error(`line ${number + 1}: unknown speaker in ${line}`);
        const at = `line ${number + 1} (${line.slice(0, 80)})`;
        let participant = participants.get(who);
        if (!participant) {
          participant = await Participant.connect(wsUrl(server.baseUrl), sessions[who as 'ann' | 'bob'].accessToken);
          participants.set(who, participant);
        }
        const p = participant;
        if (rest.startsWith('→ ')) {
          const frame = JSON.parse(rest.slice(2)) as Record<string, unknown>;
          const resolved = JSON.parse(JSON.stringify(frame, (_key, value: unknown) => {
            if (typeof value !== 'string') return value;
            const cursorAt = /^\$cursor\((\d+)\)$/.exec(value);
            if (cursorAt) return Automerge.getCursor(p.document(substitute(String(frame['fileId']))).doc, ['text'], Number(cursorAt[1]));
            return bindings.has(value) ? bindings.get(value) : value;
          })) as Record<string, unknown>;
          p.groupStart = p.frames.length;
          p.socket.send(JSON.stringify(resolved));
        } else if (rest.startsWith('← ')) {
          const expected = JSON.parse(rest.slice(2)) as unknown;
          const tentative = new Map<string, unknown>();
          await waitFor(at, () => {
            for (let i = p.groupStart; i < p.frames.length; i += 1) {
              if (p.used.has(i)) continue;
              tentative.clear();
              if (matches(expected, p.frames[i], bindings, tentative)) {
                p.used.add(i);
                return true;
              }
            }
            return false;
          });
          for (const [name, value] of tentative) bindings.set(name, value);
        } else if (rest.startsWith('⇄ sync ')) {
          const fileId = substitute(rest.slice('⇄ sync '.length));
          // In step: the document arrived and neither side has anything more to say.
          await waitFor(at, () => {
            const entry = p.document(fileId);
            return entry.heard && typeof entry.doc.text === 'string' && !p.sendSync(fileId) && Automerge.hasOurChanges(entry.doc, entry.sync);
          });
        } else if (rest.startsWith('✎ ')) {
          const [, index, text, file] = /^✎ insert (\d+) (".*") in (\$\w+)$/.exec(rest) ?? [];
          if (!index || !text || !file) throw new Error(`${at}: cannot read the edit`);
          const fileId = substitute(file);
          const entry = p.document(fileId);
          entry.doc = Automerge.change(entry.doc, (d) => Automerge.splice(d, ['text'], Number(index), 0, JSON.parse(text) as string));
          p.sendSync(fileId);
        } else if (rest.startsWith('GET ')) {
          const [, url, body] = /^GET (\S+) (\{.*\})$/.exec(rest) ?? [];
          if (!url || !body) throw new Error(`${at}: cannot read the request`);
          const answer = await fixture.api.get(substitute(url), sessions[who as 'ann' | 'bob'].accessToken);
          expect(answer.status).toBe(200);
          expect(answer.body).toMatchObject(JSON.parse(body) as Record<string, unknown>);
        } else {
          throw new Error(`${at}: unknown kind of line`);
        }
      }
    } finally {
      for (const p of participants.values()) p.socket.close();
    }
  }, 60_000);
});
