/**
 * A file's text replayed from its changes in JavaScript, without Automerge: the rebuild's way to
 * record each version's text edits (docs/performance.md, 2026-12-04: the document-heavy rebuild).
 * The text object is a sequence of elements (Automerge's RGA), each named by the op that inserted it
 * (counter, actor); an insert goes right after its reference element, past the following elements
 * with a greater id (counter first, then actor), and a delete marks its element. An element holds
 * what its op inserted (one code point: one or two UTF-16 units), so positions are UTF-16 offsets,
 * as Automerge's JavaScript API counts them.
 *
 * It knows only what a server's text edits make: the `text` field created once at the root, and
 * string inserts and deletes in it. Any other op (other fields or objects, values set in place,
 * marks, an element named twice or unknown, a change whose dependencies it has not seen) makes
 * `apply` answer null, and the caller goes on with Automerge from that change; the caller also checks
 * the final text against Automerge's.
 */
import { OpAction, readChangeOps } from './change-ops.js';
import type { TextSplice } from './file-text-versions.js';

interface Element {
  readonly ctr: number;
  readonly actor: string;
  readonly value: string;
  deleted: boolean;
}

const greater = (a: Element, ctr: number, actor: string): boolean => a.ctr > ctr || (a.ctr === ctr && a.actor > actor);

/** The text object's id as one number: counter and the replica's number for the actor (actors past this bound are not understood). */
const ACTOR_BITS = 2 ** 21;
const MAX_COUNTER = 2 ** 31;

export class TextReplica {
  private readonly elements: Element[] = [];
  /** Elements by actor number, then counter: small integer keys (one number for both was a heap number per lookup). */
  private readonly byActor: Map<number, Element>[] = [];
  /** The replica's number of each actor seen (hex id to number). */
  private readonly actorNumbers = new Map<string, number>();
  /** The text object's id (see ACTOR_BITS), once the `text` field was made. */
  private textObject = -1;
  /** Checksums of the changes applied (the first four bytes of their hashes): a change's dependencies must all be here. */
  private readonly seen = new Set<string>();
  private text = '';
  /** The checksum of the change applied last, while every change depended on exactly the one before it. */
  private head: string | null = null;
  private linearSoFar = true;
  /** An index into `elements` and the UTF-16 width of the visible elements before it: edits are mostly near the last one. */
  private cursorIndex = 0;
  private cursorOffset = 0;

  get currentText(): string {
    return this.text;
  }

  /**
   * Whether every change applied so far depended on exactly the change applied before it (one writer
   * at a time, as the server's merged stream mostly is): no two inserts were concurrent, so no
   * element was ever placed by the id order that decides between concurrent inserts.
   */
  get linear(): boolean {
    return this.linearSoFar;
  }

  /**
   * Applies one change; answers its text edits (in order), or null when it holds anything this
   * replica does not understand — the replica is then unusable (part of the change may be applied).
   */
  apply(change: Uint8Array): TextSplice[] | null {
    const decoded = readChangeOps(change);
    if (!decoded || this.seen.has(decoded.checksum)) return null;
    for (const dep of decoded.depChecksums) if (!this.seen.has(dep)) return null;
    this.seen.add(decoded.checksum);
    const deps = decoded.depChecksums;
    if (!(this.head === null ? deps.length === 0 : deps.length === 1 && deps[0] === this.head)) this.linearSoFar = false;
    this.head = decoded.checksum;
    const { actors, startOp, ops } = decoded;
    if (startOp + ops.length >= MAX_COUNTER) return null;
    const numbers = actors.map((actor) => {
      let n = this.actorNumbers.get(actor);
      if (n === undefined) this.actorNumbers.set(actor, (n = this.actorNumbers.size));
      return n;
    });
    if (this.actorNumbers.size >= ACTOR_BITS) return null;
    const own = numbers[0]!;
    const splices: [number, number, string][] = [];
    for (let i = 0; i < ops.length; i += 1) {
      const op = ops[i]!;
      const ctr = startOp + i;
      if (op.objActor < 0) {
        // The root: only the text field's creation, once.
        if (this.textObject >= 0 || op.action !== OpAction.makeText || op.keyStr !== 'text' || op.insert || op.predCount !== 0) return null;
        this.textObject = ctr * ACTOR_BITS + own;
        continue;
      }
      if (this.textObject < 0 || op.objCtr * ACTOR_BITS + numbers[op.objActor]! !== this.textObject) return null;
      const reference = op.keyActor < 0 ? null : this.byActor[numbers[op.keyActor]!]?.get(op.keyCtr);
      if (reference === undefined || (reference === null && (op.keyCtr !== 0 || !op.insert))) return null;
      if (op.insert) {
        if (op.action !== OpAction.set || op.value === null || op.otherValue) return null;
        const at = this.insertAfter(reference, ctr, actors[0]!, own, op.value);
        if (at === null) return null;
        const last = splices.at(-1);
        if (last && last[0] + last[2].length === at) last[2] += op.value;
        else splices.push([at, 0, op.value]);
      } else {
        if (op.action !== OpAction.del || reference === null) return null;
        const at = this.remove(reference);
        if (at === null) continue;
        const last = splices.at(-1);
        if (last && last[2] === '' && last[0] === at) last[1] += reference.value.length;
        else if (last && last[2] === '' && at + reference.value.length === last[0]) {
          last[0] = at;
          last[1] += reference.value.length;
        } else splices.push([at, reference.value.length, '']);
      }
    }
    for (const [at, deleted, inserted] of splices) this.text = this.text.slice(0, at) + inserted + this.text.slice(at + deleted);
    return splices;
  }

  /** Inserts an element; answers its UTF-16 offset, or null when its id is taken. */
  private insertAfter(reference: Element | null, ctr: number, actor: string, actorNumber: number, value: string): number | null {
    let ids = this.byActor[actorNumber];
    if (!ids) this.byActor[actorNumber] = ids = new Map();
    if (ids.has(ctr)) return null;
    let index = reference === null ? 0 : this.indexOf(reference) + 1;
    const elements = this.elements;
    while (index < elements.length && greater(elements[index]!, ctr, actor)) index += 1;
    const at = this.offsetAt(index);
    const element: Element = { ctr, actor, value, deleted: false };
    // Typing appends at the end: a push, not a splice.
    if (index === elements.length) elements.push(element);
    else elements.splice(index, 0, element);
    ids.set(ctr, element);
    this.cursorIndex = index + 1;
    this.cursorOffset = at + value.length;
    return at;
  }

  /** Marks an element deleted; answers its UTF-16 offset, or null when it was deleted already. */
  private remove(element: Element): number | null {
    if (element.deleted) return null;
    const index = this.indexOf(element);
    const at = this.offsetAt(index);
    element.deleted = true;
    return at;
  }

  private indexOf(element: Element): number {
    // Near the cursor first (an edit mostly continues the last one), within the array's bounds:
    // reading past them is a slow lookup in V8.
    const elements = this.elements;
    const from = Math.max(0, this.cursorIndex - 2);
    const to = Math.min(elements.length, this.cursorIndex + 3);
    for (let i = to - 1; i >= from; i -= 1) if (elements[i] === element) return i;
    return elements.indexOf(element);
  }

  /** The UTF-16 width of the visible elements before `index` (moves the cursor there). */
  private offsetAt(index: number): number {
    let i = this.cursorIndex;
    let offset = this.cursorOffset;
    if (index < i / 2) {
      i = 0;
      offset = 0;
    }
    for (; i < index; i += 1) {
      const e = this.elements[i]!;
      if (!e.deleted) offset += e.value.length;
    }
    for (; i > index; i -= 1) {
      const e = this.elements[i - 1]!;
      if (!e.deleted) offset -= e.value.length;
    }
    this.cursorIndex = index;
    this.cursorOffset = offset;
    return offset;
  }
}
