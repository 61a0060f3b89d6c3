/**
 * Answers kept until the read models they were read from change: the hottest listings (your projects,
 * a chat history page) are read and serialised once per change of their collections instead of once
 * per request. The read store's change mark says when (`QueryServiceDeps.readModelMark`); without one
 * every request reads afresh. Who may read is not cached: the routes check it on every request.
 */
import type { JsonText } from '@resoft/http-kit';

export type ReadModelMark = (collections: readonly string[]) => number;

/** Enough for every user's project list and the first pages of the busy rooms; a full cache starts dropping its oldest entries. */
const DEFAULT_ENTRIES = 1000;

export class AnswersPerChange<T = JsonText> {
  private readonly answers = new Map<string, { readonly mark: number; readonly answer: T }>();

  constructor(
    private readonly collections: readonly string[],
    private readonly markOf: ReadModelMark | undefined,
    private readonly maxEntries = DEFAULT_ENTRIES,
  ) {}

  /** The answer kept under `key` if its collections have not changed since it was read; otherwise `read`'s, kept. */
  async answer(key: string, read: () => Promise<T>): Promise<T> {
    if (!this.markOf) return read();
    // The mark is taken before the read: a change during it leaves the answer under the older mark, so it is read again next time.
    const mark = this.markOf(this.collections);
    const kept = this.answers.get(key);
    if (kept?.mark === mark) return kept.answer;
    const answer = await read();
    this.answers.delete(key);
    if (this.answers.size >= this.maxEntries) this.answers.delete(this.answers.keys().next().value!);
    this.answers.set(key, { mark, answer });
    return answer;
  }
}
