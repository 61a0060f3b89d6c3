/**
 * How the editor indents each language: Python with 4 spaces (PEP 8; Tab and auto-indent insert
 * four), JavaScript and TypeScript with 2, as the project's own code does. code-editor.ts adds
 * `indentationFor(language)` beside the language's extension.
 */
import { indentUnit } from '@codemirror/language';
import { EditorState, type Extension } from '@codemirror/state';
import type { EditorLanguage } from './code-editor.js';

export const INDENT_WIDTH: Record<EditorLanguage, number> = { python: 4, javascript: 2, typescript: 2, text: 2 };

export function indentationFor(language: EditorLanguage): Extension {
  const width = INDENT_WIDTH[language];
  return [indentUnit.of(' '.repeat(width)), EditorState.tabSize.of(width)];
}
