/**
 * From what a user submitted to what a check lints: each file gets its
 * language; tool configuration, unknown kinds, unsafe paths, refused names
 * (see refused-paths.ts) and files over the size bound are set aside with the reason (reported in the result),
 * and the linters follow from the languages unless named.
 */
import type { CheckFile, Language, LinterName } from './check-model.js';
import { LINTERS_BY_LANGUAGE, languagesOfLinter } from './check-model.js';
import { isSafeRelativePath, isToolConfigFile, languageOfContent, languageOfPath } from './language-detection.js';
import { reject } from '../shared/domain-error.js';
import { refusalOf } from './refused-paths.js';

export interface CheckBounds {
  readonly maxFiles: number;
  readonly maxFileBytes: number;
}

export interface PreparedCheck {
  readonly files: (CheckFile & { language: Language })[];
  readonly ignoredFiles: { path: string; reason: string }[];
  readonly linters: LinterName[];
}

const PASTED_NAME: Readonly<Record<Language, string>> = { python: 'snippet.py', javascript: 'snippet.js', typescript: 'snippet.ts' };

/** A pasted snippet becomes one file, named for its language (given, or detected from the content). */
export function pastedFile(content: string, language: Language | undefined, filename: string | undefined): CheckFile & { language?: Language } {
  const chosen = language ?? (filename ? languageOfPath(filename) ?? undefined : undefined) ?? languageOfContent(content);
  return { path: filename ?? PASTED_NAME[chosen], content, language: chosen };
}

export function prepareCheck(
  submitted: readonly (CheckFile & { language?: Language })[],
  options: { language?: Language | undefined; linters?: readonly LinterName[] | undefined },
  bounds: CheckBounds,
): PreparedCheck {
  if (submitted.length > bounds.maxFiles) reject('invalid', 'too_many_files', `A check takes at most ${bounds.maxFiles} files (${submitted.length} submitted)`);
  const files: (CheckFile & { language: Language })[] = [];
  const ignoredFiles: { path: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const file of submitted) {
    const bytes = Buffer.byteLength(file.content, 'utf8');
    const language = file.language ?? languageOfPath(file.path) ?? null;
    if (!isSafeRelativePath(file.path)) ignoredFiles.push({ path: file.path.slice(0, 200), reason: 'not a plain relative path' });
    else if (seen.has(file.path)) ignoredFiles.push({ path: file.path, reason: 'submitted twice' });
    else if (isToolConfigFile(file.path)) ignoredFiles.push({ path: file.path, reason: 'tool configuration is ignored: checks run with their own' });
    else if (refusalOf(file.path)) ignoredFiles.push({ path: file.path, reason: refusalOf(file.path)! });
    else if (!language) ignoredFiles.push({ path: file.path, reason: 'not a Python, JavaScript or TypeScript file' });
    else if (options.language && language !== options.language) ignoredFiles.push({ path: file.path, reason: `not ${options.language}` });
    else if (bytes > bounds.maxFileBytes) ignoredFiles.push({ path: file.path, reason: `larger than ${bounds.maxFileBytes} bytes (${bytes})` });
    else files.push({ path: file.path, content: file.content, language, ...(file.origin ? { origin: file.origin } : {}), ...(file.context ? { context: true } : {}) });
    seen.add(file.path);
  }
  // The linters follow the checked files; files sent as context only are read, not checked.
  const languages = new Set(files.filter((f) => !f.context).map((f) => f.language));
  const wanted = options.linters ?? [...new Set([...languages].flatMap((language) => LINTERS_BY_LANGUAGE[language]))];
  const linters = wanted.filter((linter) => languagesOfLinter(linter).some((language) => languages.has(language)));
  return { files, ignoredFiles, linters };
}
