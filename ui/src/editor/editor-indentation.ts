/**
 * How the editor indents each language: Python with 4 spaces (PEP 8; Tab and auto-indent insert
 * four), JavaScript and TypeScript with 2, as the project's own code does. `applyIndentation` sets it
 * on a `<code-editor>`'s CodeMirror view from outside (CodeMirror's `findFromDOM`, a compartment added
 * with `appendConfig`), so pages set it per file without changing the editor component.
 */
import { indentUnit } from '@codemirror/language';
import { Compartment, EditorState, StateEffect, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import type { EditorLanguage } from './code-editor.js';

export const INDENT_WIDTH: Record<EditorLanguage, number> = { python: 4, javascript: 2, typescript: 2, text: 2 };

export function indentationFor(language: EditorLanguage): Extension {
  const width = INDENT_WIDTH[language];
  return [indentUnit.of(' '.repeat(width)), EditorState.tabSize.of(width)];
}

const slot = new Compartment();
const installed = new WeakSet<EditorView>();

/** Sets the `<code-editor>`'s indentation for `language`; false when its view is not there yet. */
export function applyIndentation(editor: Element | null | undefined, language: EditorLanguage): boolean {
  const dom = editor?.shadowRoot?.querySelector<HTMLElement>('.cm-editor');
  const view = dom ? EditorView.findFromDOM(dom) : null;
  if (!view) return false;
  if (installed.has(view)) view.dispatch({ effects: slot.reconfigure(indentationFor(language)) });
  else {
    installed.add(view);
    view.dispatch({ effects: StateEffect.appendConfig.of(slot.of(indentationFor(language))) });
  }
  return true;
}
