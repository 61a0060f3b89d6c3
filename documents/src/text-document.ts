/**
 * A project file's content as an Automerge document with one text field. Every server-side change
 * is made under a fresh random actor, so two server copies can never produce clashing changes.
 * Change bytes travel in events as base64.
 */
import * as Automerge from '@automerge/automerge/next';
import { randomBytes } from 'node:crypto';
import { fastChangeHash } from './live-text-document.js';

export type TextDoc = {
  text: string;
};
export type TextDocument = Automerge.Doc<TextDoc>;

export interface EncodedChange {
  readonly bytes: string;
  readonly hash: string;
}

const freshActor = (): string => randomBytes(16).toString('hex');

export const encodeChange = (change: Uint8Array): EncodedChange => ({ bytes: Buffer.from(change).toString('base64'), hash: fastChangeHash(change) });
export const decodeChangeBytes = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, 'base64'));
export const changeHash = (change: Uint8Array): string => fastChangeHash(change);

/** A new document holding `text`, and the single change that creates it. */
export function createTextDocument(text: string): { doc: TextDocument; initial: EncodedChange } {
  const doc = Automerge.from<TextDoc>({ text }, { actor: freshActor() });
  const [change] = Automerge.getAllChanges(doc);
  return { doc, initial: encodeChange(change!) };
}

/** Builds a document from its initial change and later changes (base64, in stored order). */
export function loadTextDocument(initialChange: string, later: readonly string[] = []): TextDocument {
  const [doc] = Automerge.applyChanges(Automerge.init<TextDoc>({ actor: freshActor() }), [decodeChangeBytes(initialChange), ...later.map(decodeChangeBytes)]);
  return doc;
}

export function applyEncodedChanges(doc: TextDocument, changes: readonly string[]): TextDocument {
  return Automerge.applyChanges(doc, changes.map(decodeChangeBytes))[0];
}

export const textOf = (doc: TextDocument): string => (typeof doc.text === 'string' ? doc.text : '');

/** Makes the document's text equal `text` as one new change (a minimal diff, so concurrent edits elsewhere survive). */
export function replaceText(doc: TextDocument, text: string): { doc: TextDocument; change: EncodedChange | null } {
  const before = Automerge.clone(doc, { actor: freshActor() });
  const after = Automerge.change(before, (d) => Automerge.updateText(d, ['text'], text));
  const change = Automerge.getLastLocalChange(after);
  return { doc: after, change: change ? encodeChange(change) : null };
}

/** Compact binary form of the whole document, for snapshots. */
export const saveTextDocument = (doc: TextDocument): string => Buffer.from(Automerge.save(doc)).toString('base64');
export const loadSavedTextDocument = (saved: string): TextDocument => Automerge.load<TextDoc>(decodeChangeBytes(saved), { actor: freshActor() });
