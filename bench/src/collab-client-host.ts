/**
 * Where some of a level's editors live during `bench:collab`: it connects them (whichever system),
 * types on their schedule and notes, on the thread that holds the receiving editor, when each
 * token shows up in its text. One host per worker thread (see collab-client-threads.ts), so an
 * editor's Automerge or Yjs work does not wait behind the other editors' as it would if every
 * replica shared the benchmark's one thread; or one host for all, in the benchmark's own thread.
 *
 * Tokens are `#<editor>.<n>;`, made in order by each editor: a change that brings token n of an
 * editor causally follows the one that brought n - 1, so each receiver only looks for the next
 * token of every other editor. Times are `process.hrtime` (one clock for every thread).
 */
import { sleep, type Editor } from './collab-editor.js';
import { hocuspocusEditors } from './hocuspocus-clients.js';
import { automergeRepoEditors } from './automerge-repo-clients.js';
import { resoftEditors, type ResoftEditorsSetup } from './resoft-clients.js';

const SCAN_WINDOW = 6000;
const TOKEN = /#(\d+)\.(\d+);/g;

export type CollabSystem = 'resoft' | 'hocuspocus' | 'automerge-repo';

export interface HostSetup {
  readonly system: CollabSystem;
  /** The level's editor numbers this host holds. */
  readonly editors: readonly number[];
  /** Editors in the level (every host). */
  readonly level: number;
  readonly resoft?: Omit<ResoftEditorsSetup, 'tokens'> & { readonly tokens: readonly string[] };
  readonly hocuspocus?: { readonly url: string; readonly documentName: string };
  /** automerge-repo: the server, and the document (absent for the host that creates it). */
  readonly automergeRepo?: { readonly url: string; readonly documentUrl?: string };
}

export interface TypingPlan {
  /** Time between one editor's edits, ms. */
  readonly intervalMs: number;
  readonly durationMs: number;
  /** Each editor's first edit, ms after the start (by editor number). */
  readonly offsets: readonly number[];
}

/** What a host saw: tokens typed here and when, and when each of its editors saw the others'. */
export interface HostReport {
  /** `[token, time typed]` */
  readonly sent: [string, number][];
  /** `[token, time seen]`, one per receiving editor */
  readonly seen: [string, number][];
}

export const clock = (): number => Number(process.hrtime.bigint()) / 1e6;

export class ClientHost {
  private readonly sent: [string, number][] = [];
  private readonly seen: [string, number][] = [];
  /** next[k][j]: the number of editor j's next token that local editor k waits for. */
  private readonly next: number[][];
  private timers: NodeJS.Timeout[] = [];

  private constructor(private readonly setup: HostSetup, private readonly editors: readonly Editor[], readonly documentUrl: string | null) {
    this.next = editors.map(() => Array.from({ length: setup.level }, () => 0));
    for (const [k, editor] of editors.entries()) editor.onText((text) => this.look(k, text));
  }

  static async create(setup: HostSetup): Promise<ClientHost> {
    const count = setup.editors.length;
    if (setup.system === 'resoft') {
      const r = setup.resoft!;
      return new ClientHost(setup, await resoftEditors({ ...r, tokens: setup.editors.map((e) => r.tokens[e]!) }), null);
    }
    if (setup.system === 'hocuspocus') {
      const h = setup.hocuspocus!;
      return new ClientHost(setup, await hocuspocusEditors(h.url, count, h.documentName, setup.editors), null);
    }
    const a = setup.automergeRepo!;
    const { editors, documentUrl } = await automergeRepoEditors(a.url, count, a.documentUrl);
    return new ClientHost(setup, editors, documentUrl);
  }

  /** Types on the plan's schedule until its duration is over; answers how many tokens each editor of the level typed here (by editor number). */
  async type(plan: TypingPlan): Promise<number[]> {
    const counts = this.editors.map(() => 0);
    for (const [k, editor] of this.editors.entries()) {
      const self = this.setup.editors[k]!;
      this.timers.push(setTimeout(() => {
        this.timers.push(setInterval(() => {
          const n = counts[k]!++;
          const token = `#${self}.${n};`;
          this.sent.push([token, clock()]);
          editor.insertAtStart(token);
          if (n % 10 === 0) editor.setTyping(n % 20 === 0);
        }, plan.intervalMs));
      }, plan.offsets[self]!));
    }
    await sleep(plan.durationMs);
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    const typed = Array.from({ length: this.setup.level }, () => 0);
    for (const [k, self] of this.setup.editors.entries()) typed[self] = counts[k]!;
    return typed;
  }

  /** Waits (at most `timeoutMs`) until every local editor has seen `typed[j]` tokens of each other editor j; answers how many are still missing. */
  async settle(typed: readonly number[], timeoutMs: number): Promise<number> {
    const missing = (): number => {
      let n = 0;
      for (const [k, next] of this.next.entries()) {
        const self = this.setup.editors[k]!;
        for (const [j, count] of typed.entries()) if (j !== self) n += Math.max(0, count - next[j]!);
      }
      return n;
    };
    for (let waited = 0; waited < timeoutMs && missing() > 0; waited += 100) await sleep(100);
    return missing();
  }

  report(): HostReport {
    return { sent: this.sent.splice(0), seen: this.seen.splice(0) };
  }

  texts(): string[] {
    return this.editors.map((e) => e.text());
  }

  close(): void {
    for (const t of this.timers) clearInterval(t);
    for (const e of this.editors) e.close();
  }

  /** The text is made of tokens only: every token of another editor beyond the last one seen has just arrived (with those before it). */
  private look(k: number, text: string): void {
    const now = clock();
    const self = this.setup.editors[k]!;
    const next = this.next[k]!;
    const newest = new Map<number, number>();
    for (const match of text.slice(0, SCAN_WINDOW).matchAll(TOKEN)) {
      const j = Number(match[1]);
      const n = Number(match[2]);
      if (j !== self && n >= next[j]! && n > (newest.get(j) ?? -1)) newest.set(j, n);
    }
    for (const [j, n] of newest) {
      for (let m = next[j]!; m <= n; m += 1) this.seen.push([`#${j}.${m};`, now]);
      next[j] = n + 1;
    }
  }
}
