/**
 * The one table of which code language a file or a fenced chat block is in: the editor's syntax
 * and indentation, the checker's language guess from an uploaded file's name and the chat's code
 * highlighting all read it here, so a new extension is added once.
 */

export type CodeLanguage = 'python' | 'javascript' | 'typescript';
/** What the editor can show: a code language, or plain text for anything else. */
export type EditorLanguage = CodeLanguage | 'text';

const BY_EXTENSION: readonly (readonly [RegExp, CodeLanguage])[] = [
  [/\.pyi?$/i, 'python'],
  [/\.[cm]?tsx?$/i, 'typescript'],
  [/\.[cm]?jsx?$/i, 'javascript'],
];

/** A fence label may name the language; otherwise it is read as a file extension (`py`, `mjs`, `tsx`). */
const BY_NAME: Readonly<Record<string, CodeLanguage>> = { python: 'python', javascript: 'javascript', typescript: 'typescript' };

/** The language of a file by its name or path, or null when it is not one the checker and editor know. */
export function languageOfPath(path: string): CodeLanguage | null {
  return BY_EXTENSION.find(([pattern]) => pattern.test(path))?.[1] ?? null;
}

/** The editor language of a file: its code language, or plain text. */
export function editorLanguageOf(path: string): EditorLanguage {
  return languageOfPath(path) ?? 'text';
}

/** The language of a markdown fence label (`python`, `py`, `ts`…), or null for plain text. */
export function languageOfLabel(label: string): CodeLanguage | null {
  const lower = label.toLowerCase();
  return BY_NAME[lower] ?? (/^[\w-]+$/.test(lower) ? languageOfPath(`.${lower}`) : null);
}
