/**
 * `template update`: re-applies a newer template version over a generated project, like copier.
 * For each file, base = the recorded version rendered with the recorded answers, ours = the file in
 * the project, theirs = the target version rendered with the same answers (new variables take their
 * defaults). Files only the template changed are replaced, files only the project changed are kept,
 * files both changed are merged line by line and conflicts are written with markers and listed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ANSWERS_FILE, renderTemplate, type RenderedFile } from './engine.js';
import { merge3 } from './merge3.js';
import { writeRendered } from './output.js';
import { safeRelativePath } from './paths.js';
import type { TemplateVersions } from './versions.js';

const answersSchema = z.object({
  template: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  answers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

export class ProjectNotGeneratedError extends Error {
  constructor(dir: string, reason: string) {
    super(`${dir} cannot be updated: ${reason}`);
    this.name = 'ProjectNotGeneratedError';
  }
}

export interface UpdateReport {
  readonly template: string;
  readonly from: string;
  readonly to: string;
  /** Replaced with the new version (the project had not changed them), or merged without conflict. */
  readonly updated: readonly string[];
  readonly merged: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Written with conflict markers: both sides changed the same lines. */
  readonly conflicts: readonly string[];
  /** Left as they are, with why (changed in the project and removed by the template, or deleted in the project). */
  readonly kept: readonly { path: string; reason: string }[];
  /** Recorded answers the new version no longer has. */
  readonly droppedAnswers: readonly string[];
}

export function readAnswers(dir: string): z.infer<typeof answersSchema> {
  const file = path.join(dir, ANSWERS_FILE);
  if (!fs.existsSync(file)) throw new ProjectNotGeneratedError(dir, `it has no ${ANSWERS_FILE} (it was not generated from a template, or before templates recorded their answers)`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ProjectNotGeneratedError(dir, `${ANSWERS_FILE} is not JSON: ${(error as Error).message}`);
  }
  const parsed = answersSchema.safeParse(raw);
  if (!parsed.success) throw new ProjectNotGeneratedError(dir, `${ANSWERS_FILE}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

const readIfFile = (file: string): string | null => {
  try {
    return fs.lstatSync(file).isFile() ? fs.readFileSync(file, 'utf8') : null;
  } catch {
    return null;
  }
};

export function updateProject(versions: TemplateVersions, dir: string, to?: string): UpdateReport {
  const root = fs.realpathSync(dir);
  const recorded = readAnswers(root);
  const target = to ?? versions.latest(recorded.template);
  if (!target) throw new ProjectNotGeneratedError(dir, `the catalog has no template "${recorded.template}"`);
  const base = renderTemplate(versions.get(recorded.template, recorded.version), recorded.answers);
  const newTemplate = versions.get(recorded.template, target);
  const known = newTemplate.manifest.variables.properties;
  const droppedAnswers = Object.keys(recorded.answers).filter((name) => !Object.hasOwn(known, name));
  const carried = Object.fromEntries(Object.entries(recorded.answers).filter(([name]) => Object.hasOwn(known, name)));
  const theirs = renderTemplate(newTemplate, carried);

  const byPath = (files: readonly RenderedFile[]) => new Map(files.filter((f) => f.path !== ANSWERS_FILE).map((f) => [f.path, f.content]));
  const [oldFiles, newFiles] = [byPath(base.files), byPath(theirs.files)];
  const labels = { ours: 'ours (this project)', base: `base (${recorded.template} ${recorded.version})`, theirs: `theirs (${recorded.template} ${target})` };
  const writes: { path: string; content: string }[] = [];
  const report = { updated: [] as string[], merged: [] as string[], added: [] as string[], removed: [] as string[], conflicts: [] as string[], kept: [] as { path: string; reason: string }[] };

  for (const file of [...new Set([...oldFiles.keys(), ...newFiles.keys()])].sort()) {
    const [was, next] = [oldFiles.get(file) ?? null, newFiles.get(file) ?? null];
    const ours = readIfFile(path.join(root, safeRelativePath(file)));
    if (was === next || ours === next) continue;
    if (next === null) {
      if (ours === null) continue;
      if (ours === was) {
        fs.rmSync(path.join(root, file));
        report.removed.push(file);
      } else report.kept.push({ path: file, reason: 'changed in the project, removed from the template' });
      continue;
    }
    if (ours === null) {
      if (was === null) {
        writes.push({ path: file, content: next });
        report.added.push(file);
      } else report.kept.push({ path: file, reason: 'deleted in the project, changed in the template: not restored' });
      continue;
    }
    if (ours === was) {
      writes.push({ path: file, content: next });
      report.updated.push(file);
      continue;
    }
    const merged = merge3(ours, was ?? '', next, labels);
    writes.push({ path: file, content: merged.text });
    (merged.conflicts > 0 ? report.conflicts : report.merged).push(file);
  }
  const answers = theirs.files.find((f) => f.path === ANSWERS_FILE)!;
  writes.push({ path: ANSWERS_FILE, content: answers.content });
  writeRendered(root, writes.map((w) => ({ path: w.path, content: w.content, size: Buffer.byteLength(w.content), sha256: '' })), { force: true });
  return { template: recorded.template, from: recorded.version, to: target, ...report, droppedAnswers };
}
