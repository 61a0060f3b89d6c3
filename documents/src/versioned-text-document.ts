/**
 * A file's Automerge document as the files projection keeps it: changes are applied one version at
 * a time to Automerge's backend alone, and each version's text edits are read from the backend's
 * incremental diff. The JavaScript `Automerge.applyChanges` also copies the document into a frozen
 * JavaScript object after every call (and builds its patches twice over); in a rebuild that replays a
 * file's every version, that copy was a third of the apply's CPU (docs/performance.md, 2026-12-04).
 */
import { randomBytes } from 'node:crypto';
import * as Automerge from '@automerge/automerge/next';
import { applySplices, type TextSplice } from './file-text-versions.js';
import { textOf, type TextDoc, type TextDocument } from './text-document.js';

type Backend = ReturnType<typeof Automerge.getBackend>;

/** One version applied: the text after it and its edits (null when the diff was not plain text edits: record the whole text). */
export interface AppliedTextVersion {
  readonly text: string;
  readonly splices: TextSplice[] | null;
}

export class VersionedTextDocument {
  private constructor(
    private readonly backend: Backend,
    private text: string,
  ) {
    backend.updateDiffCursor();
  }

  /** Takes `doc` over: its JavaScript copy is not kept up to date from here on, so the caller must not use `doc` again. */
  static adopt(doc: TextDocument): VersionedTextDocument {
    return new VersionedTextDocument(Automerge.getBackend(doc), textOf(doc));
  }

  /**
   * The document made of `changes` (each a stored change, in an order Automerge can apply), loaded in
   * one call: Automerge loads concatenated change chunks as it loads a save, about half the cost of
   * applying them (docs/performance.md, 2026-12-04: the document-heavy rebuild).
   */
  static load(changes: readonly Uint8Array[]): VersionedTextDocument {
    const bytes = new Uint8Array(changes.reduce((sum, c) => sum + c.length, 0));
    let offset = 0;
    for (const change of changes) {
      bytes.set(change, offset);
      offset += change.length;
    }
    return VersionedTextDocument.adopt(Automerge.load<TextDoc>(bytes, { actor: randomBytes(16).toString('hex') }));
  }

  get currentText(): string {
    return this.text;
  }

  /**
   * Applies each version's changes in order (one backend call per version: a version's edits can only
   * be told apart by applying it on its own). The edits are checked once at the end against the text
   * Automerge holds; if they do not lead there, every version of the call is answered with its whole
   * text read from Automerge at that version, so a surprise in the diff never makes a wrong version.
   */
  applyVersions(versions: readonly (readonly string[])[]): AppliedTextVersion[] {
    const applied: AppliedTextVersion[] = [];
    const heads: string[][] = [];
    for (const changes of versions) {
      this.backend.applyChanges(changes.map((change) => Buffer.from(change, 'base64')));
      heads.push(this.backend.getHeads());
      const splices = textSplices(this.backend.diffIncremental());
      this.text = splices ? applySplices(this.text, splices) : this.textAt();
      applied.push({ text: this.text, splices });
    }
    if (applied.length === 0 || this.text === this.textAt()) return applied;
    this.text = this.textAt();
    return heads.map((at) => ({ text: this.textAt(at), splices: null }));
  }

  /** `Automerge.save` of the document, base64 (a snapshot). */
  save(): string {
    return Buffer.from(this.backend.save()).toString('base64');
  }

  /**
   * Gives the document's WebAssembly memory back at once. Left to the garbage collector, dropped
   * documents pile up in Automerge's heap, which then grows, and each growth makes V8 run a full
   * collection: a rebuild that lets go of documents would spend most of its time there.
   */
  free(): void {
    this.backend.free();
  }

  /** The text as Automerge holds it (now, or at `heads`), as `textOf` reads it from a loaded document. */
  private textAt(heads?: string[]): string {
    const [kind, value] = this.backend.getWithType('_root', 'text', heads) ?? [];
    if (kind === 'text' && typeof value === 'string') return this.backend.text(value, heads);
    return kind === 'str' && typeof value === 'string' ? value : '';
  }
}

/** A diff's edits of the `text` field as splices, or null when it holds anything else (the field replaced, say). */
function textSplices(patches: readonly Automerge.Patch[]): TextSplice[] | null {
  const splices: TextSplice[] = [];
  for (const patch of patches) {
    const [field, at] = patch.path;
    if (field !== 'text' || patch.path.length !== 2 || typeof at !== 'number') return null;
    if (patch.action === 'splice') splices.push([at, 0, patch.value]);
    else if (patch.action === 'del') splices.push([at, patch.length ?? 1, '']);
    else return null;
  }
  return splices;
}
