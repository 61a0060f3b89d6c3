/**
 * The workspace folders of the repository at rootDir, as npm reads the root package.json's `workspaces`:
 * a plain entry is a folder, an entry ending in `/*` is every folder under it that has a package.json
 * (`adapters/*`: one workspace per adapter family). Used by the boundary check and jest's configuration.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function workspaceFolders(rootDir) {
  const entries = JSON.parse(readFileSync(path.join(rootDir, 'package.json'), 'utf8')).workspaces ?? [];
  return entries.flatMap((entry) => {
    if (!entry.endsWith('/*')) return [entry];
    const parent = entry.slice(0, -2);
    return readdirSync(path.join(rootDir, parent), { withFileTypes: true })
      .filter((child) => child.isDirectory() && existsSync(path.join(rootDir, parent, child.name, 'package.json')))
      .map((child) => `${parent}/${child.name}`)
      .sort();
  });
}
