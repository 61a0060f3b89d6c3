/**
 * Rendering a template: resolve the variables, keep the files whose
 * conditions hold, render each path and content once, check every path.
 * Preview and apply both call `renderTemplate`, so what a preview shows is
 * exactly what an apply writes. Output is sorted by path and depends only on
 * the template and the values.
 */
import { createHash } from 'node:crypto';
import type { Template } from './catalog.js';
import type { TemplateManifest } from './manifest.js';
import { safeRelativePath, UnsafePathError } from './paths.js';
import { holds, render, type Values } from './renderer.js';
import { resolveVariables } from './variables.js';

export interface RenderedFile {
  readonly path: string;
  readonly content: string;
  readonly size: number;
  readonly sha256: string;
}

export interface Rendering {
  readonly templateId: string;
  readonly version: string;
  readonly values: Values;
  readonly files: readonly RenderedFile[];
  readonly totalBytes: number;
}

/** The file every generated project carries: which template and version made it, with which answers (what `template update` reads). */
export const ANSWERS_FILE = '.resoft-template.json';

export interface AnswersRecord {
  readonly template: string;
  readonly version: string;
  readonly answers: Values;
}

export const answersContent = (record: AnswersRecord): string => `${JSON.stringify({ template: record.template, version: record.version, answers: record.answers }, null, 2)}\n`;

/** A bound on what one render may produce, so a hostile template cannot exhaust memory. */
export const MAX_RENDERED_BYTES = 20 * 1024 * 1024;

export function renderTemplate(template: Template, input: Readonly<Record<string, unknown>>): Rendering {
  const values = resolveVariables(template.manifest, input);
  const files: RenderedFile[] = [];
  const seen = new Set<string>();
  let totalBytes = 0;
  for (const file of template.files) {
    if (!file.conditions.every((condition) => holds(condition, values))) continue;
    const path = safeRelativePath(render(file.path, values));
    if (seen.has(path)) throw new UnsafePathError(path, 'two template files render to it');
    seen.add(path);
    const content = render(file.content, values);
    const size = Buffer.byteLength(content, 'utf8');
    totalBytes += size;
    if (totalBytes > MAX_RENDERED_BYTES) throw new Error(`Template "${template.manifest.id}" renders more than ${MAX_RENDERED_BYTES} bytes`);
    files.push({ path, content, size, sha256: createHash('sha256').update(content).digest('hex') });
  }
  if (seen.has(ANSWERS_FILE)) throw new UnsafePathError(ANSWERS_FILE, 'the engine writes it; a template must not hold it');
  const answers = answersContent({ template: template.manifest.id, version: template.manifest.version, answers: values });
  totalBytes += Buffer.byteLength(answers, 'utf8');
  files.push({ path: ANSWERS_FILE, content: answers, size: Buffer.byteLength(answers, 'utf8'), sha256: createHash('sha256').update(answers).digest('hex') });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { templateId: template.manifest.id, version: template.manifest.version, values, files, totalBytes };
}

export interface TreeNode {
  readonly name: string;
  readonly type: 'dir' | 'file';
  readonly size: number;
  readonly children?: TreeNode[];
}

/** The rendered files as a folder tree; a folder's size is the sum of its files. */
export function fileTree(files: readonly Pick<RenderedFile, 'path' | 'size'>[]): TreeNode[] {
  type MutableDir = { name: string; type: 'dir'; size: number; children: (MutableDir | TreeNode)[] };
  const root: MutableDir = { name: '', type: 'dir', size: 0, children: [] };
  for (const file of files) {
    const segments = file.path.split('/');
    let dir = root;
    dir.size += file.size;
    for (const segment of segments.slice(0, -1)) {
      let next = dir.children.find((child): child is MutableDir => child.type === 'dir' && child.name === segment);
      if (!next) {
        next = { name: segment, type: 'dir', size: 0, children: [] };
        dir.children.push(next);
      }
      next.size += file.size;
      dir = next;
    }
    dir.children.push({ name: segments[segments.length - 1]!, type: 'file', size: file.size });
  }
  return root.children;
}

/** Draws a tree as text lines (`├── name (123 B)`), for the CLI. */
export function drawTree(nodes: readonly TreeNode[], prefix = ''): string[] {
  return nodes.flatMap((node, index) => {
    const last = index === nodes.length - 1;
    const line = `${prefix}${last ? '└── ' : '├── '}${node.name}${node.type === 'dir' ? '/' : ''} (${node.size} B)`;
    return [line, ...(node.children ? drawTree(node.children, `${prefix}${last ? '    ' : '│   '}`) : [])];
  });
}

/** What a catalog listing shows of a template. */
export function summarize(manifest: TemplateManifest) {
  return { id: manifest.id, name: manifest.name, description: manifest.description, category: manifest.category, tags: manifest.tags, version: manifest.version };
}

/** The full description of a template, its variables as JSON Schema. */
export function describe(template: Template) {
  const { manifest } = template;
  return {
    ...summarize(manifest),
    variables: manifest.variables,
    conditions: manifest.conditions,
    install: manifest.install,
    requirements: manifest.requirements,
    dependencies: manifest.dependencies,
    fileCount: template.files.length,
  };
}
