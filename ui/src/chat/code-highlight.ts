/**
 * Syntax highlighting of fenced code in rendered chat markdown, with the lezer parsers the editor
 * already bundles. Loaded lazily by the chat panel the first time a message has a labelled block.
 * Only text nodes and `<span class="tok-…">` are created (never HTML from a string), so the
 * sanitised markup stays sanitised.
 */
import { classHighlighter, highlightCode } from '@lezer/highlight';
import { parser as javascriptParser } from '@lezer/javascript';
import { parser as pythonParser } from '@lezer/python';
import type { Parser } from '@lezer/common';
import { languageOfLabel, type CodeLanguage } from '../editor/code-language.js';

const typescriptParser = javascriptParser.configure({ dialect: 'ts' });

const PARSERS: Readonly<Record<CodeLanguage, Parser>> = { python: pythonParser, javascript: javascriptParser, typescript: typescriptParser };

/** The parser for a fence's label (marked gives `class="language-<label>"`), or null for plain text. */
export function parserFor(label: string): { language: string; parser: Parser } | null {
  const language = languageOfLabel(label);
  return language ? { language, parser: PARSERS[language] } : null;
}

/** Highlights every `pre > code.language-…` under `root` that has not been done yet. */
export function highlightBlocks(root: ParentNode): void {
  for (const code of root.querySelectorAll<HTMLElement>('pre > code:not([data-language])')) {
    const label = /(?:^|\s)language-([\w+-]+)/.exec(code.className)?.[1] ?? '';
    const found = parserFor(label);
    code.dataset['language'] = found?.language ?? 'text';
    if (!found) continue;
    const text = code.textContent ?? '';
    const out = document.createDocumentFragment();
    highlightCode(
      text,
      found.parser.parse(text),
      classHighlighter,
      (piece, classes) => {
        if (!classes) return void out.append(piece);
        const span = document.createElement('span');
        span.className = classes;
        span.textContent = piece;
        out.append(span);
      },
      () => out.append('\n'),
    );
    code.replaceChildren(out);
  }
}
