/**
 * What a check knows of the project its files belong to: the other files of
 * the tree (read by the linters so imports resolve, marked `context`, never
 * checked), the requirements it declares, and its package.json types. For
 * uploads the tree is what was uploaded; for project files it is the
 * project's live files, read at their latest versions for a member.
 */
import { isSafeRelativePath, isToolConfigFile, languageOfPath, refusalOf, type CheckFile, type Language } from '@resoft/domain';
import { declaredRequirements, type DeclaredRequirements } from './declared-requirements.js';
import { packageTypes } from './module-type.js';

/** At most this many context files are read for a project check: the tree around the checked files, bounded. */
export const MAX_CONTEXT_FILES = 300;

export interface ProjectTree {
  readonly requirements: DeclaredRequirements | null;
  readonly packageTypes: Record<string, 'module' | 'commonjs'>;
}

/** Requirements and package types declared by the submitted (or project) files. */
export const projectTreeOf = (files: readonly { path: string; content: string }[]): ProjectTree =>
  ({ requirements: declaredRequirements(files), packageTypes: packageTypes(files) });

/** Whether a project file may sit in a check's tree: the same path rules as a checked file (refused-paths.ts), so no context file shadows a module the linters import. */
export const mayBeContext = (path: string): boolean => isSafeRelativePath(path) && refusalOf(path) === null && !isToolConfigFile(path);

/** Files that describe the project rather than being code: read for the tree, never linted. */
export const isManifest = (path: string): boolean => /(^|\/)(package\.json|pyproject\.toml|requirements[^/]*\.txt)$/.test(path);

/**
 * The project's files a check of `requested` reads as context: the live files of the languages being checked
 * that were not requested, plus its manifests; the shallowest first, at most `MAX_CONTEXT_FILES`, each within
 * `maxFileBytes`. Returns the context files (with their language) and the manifests.
 */
export async function readProjectContext(
  list: () => Promise<{ fileId: string; path: string }[]>,
  read: (fileId: string) => Promise<{ path: string; text: string }>,
  requested: readonly CheckFile[], languages: ReadonlySet<Language>, maxFileBytes: number,
): Promise<{ context: (CheckFile & { language: Language; context: true })[]; manifests: { path: string; content: string }[] }> {
  const taken = new Set(requested.map((f) => f.path));
  const candidates = (await list())
    .filter((f) => !taken.has(f.path) && (isManifest(f.path) ? isSafeRelativePath(f.path) : mayBeContext(f.path) && languages.has(languageOfPath(f.path) as Language)))
    .sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path))
    .slice(0, MAX_CONTEXT_FILES);
  const context: (CheckFile & { language: Language; context: true })[] = [];
  const manifests: { path: string; content: string }[] = [];
  for (const candidate of candidates) {
    const file = await read(candidate.fileId);
    if (Buffer.byteLength(file.text, 'utf8') > maxFileBytes) continue;
    if (isManifest(file.path)) manifests.push({ path: file.path, content: file.text });
    else context.push({ path: file.path, content: file.text, language: languageOfPath(file.path)!, context: true });
  }
  return { context, manifests };
}
