#!/usr/bin/env node
/**
 * The boundary check `npm test` runs before jest (after `tsc -b`: packages resolve through their
 * `exports`, which name the built files). Cruises every workspace's src/, e2e/ and scripts/ with
 * dependency-cruiser and the rules of boundary-rules.mjs; prints each violation and exits 1 if any.
 *
 *   node tools/boundaries/check-boundaries.mjs [rootDir]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import { boundaryRules, readWorkspaces } from './boundary-rules.mjs';
import { layerTable, topLevel } from './layer-table.mjs';

const SCANNED_FOLDERS = ['src', 'e2e', 'scripts'];

/** Runs the check on the repository at rootDir; resolves with the violations (empty when clean). */
export async function checkBoundaries(rootDir, layers = layerTable, top = topLevel) {
  const workspaces = readWorkspaces(rootDir);
  const scanned = workspaces.flatMap(({ folder }) => SCANNED_FOLDERS.map((sub) => `${folder}/${sub}`)).filter((dir) => existsSync(path.join(rootDir, dir)));
  const result = await cruise(
    scanned,
    {
      baseDir: rootDir,
      validate: true,
      ruleSet: { forbidden: boundaryRules(workspaces, layers, top) },
      exclude: { path: '(^|/)node_modules/' },
      doNotFollow: { path: ['(^|/)node_modules/', '(^|/)dist/'] },
      // Type-only imports are dependencies too: a type from another workspace couples the two.
      tsPreCompilationDeps: true,
      // Resolve packages as Node does: only the subpaths `exports` names are reachable.
      enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['types', 'import', 'default'] },
    },
  );
  return result.output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

const isEntry = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const rootDir = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../..'));
  const violations = await checkBoundaries(rootDir);
  for (const v of violations) console.error(`boundary: ${v.rule}: ${v.from} → ${v.to}`);
  if (violations.length > 0) {
    console.error(`boundary check: ${violations.length} forbidden import(s); the allowed dependencies are in docs/architecture.md`);
    if (violations.some((v) => v.rule === 'unresolvable-import' && v.to.startsWith('@'))) {
      console.error('boundary check: packages resolve through their exports to the built dist/: run `tsc -b` first if they are not built');
    }
    process.exit(1);
  }
  console.log('boundary check: no forbidden import');
}
