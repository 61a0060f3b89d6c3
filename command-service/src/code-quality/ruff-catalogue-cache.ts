/**
 * ruff's catalogue and selection, kept between processes: `ruff rule --all`
 * prints a few megabytes (every rule's explanation), and reading it cost
 * `resoft check --linters ruff` more than the lint itself. The compact form
 * (code → linter, category; the selection) is written once per ruff version
 * into a folder of this user's under the temporary directory, and read back
 * by the next process. A cache that cannot be read or written is skipped.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RuffRuleEntry, RuffSelection } from './ruff-catalogue.js';

export interface CachedRuffCatalogue {
  readonly rules: ReadonlyMap<string, RuffRuleEntry>;
  readonly selection: RuffSelection;
}

const cacheFile = (executable: string, version: string): string =>
  path.join(os.tmpdir(), `resoft-${os.userInfo().uid}`, `ruff-catalogue-${version}-${Buffer.from(executable).toString('base64url').slice(-40)}.json`);

export async function readCachedRuffCatalogue(executable: string, version: string): Promise<CachedRuffCatalogue | null> {
  try {
    const doc = JSON.parse(await readFile(cacheFile(executable, version), 'utf8')) as { rules: RuffRuleEntry[]; selection: RuffSelection };
    if (!Array.isArray(doc.rules) || typeof doc.selection?.rules !== 'number' || !Array.isArray(doc.selection.linters)) return null;
    return { rules: new Map(doc.rules.map((rule) => [rule.code, rule])), selection: doc.selection };
  } catch {
    return null;
  }
}

export async function writeCachedRuffCatalogue(executable: string, version: string, catalogue: CachedRuffCatalogue): Promise<void> {
  const file = cacheFile(executable, version);
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, JSON.stringify({ rules: [...catalogue.rules.values()], selection: catalogue.selection }));
    await rename(partial, file);
  } catch {
    // no cache: the next process reads the catalogue from ruff again
  }
}
