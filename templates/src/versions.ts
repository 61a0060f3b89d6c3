/**
 * Every released version of a template: the current one in the catalog, earlier ones kept whole
 * under `templates/history/<id>/<version>/` (a template folder each). `template update` renders the
 * version a project was generated from as the base of its three-way merge, so a release that
 * changes a template's files keeps its previous version there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTemplate, sharedCatalog, type Template, type TemplateCatalog } from './catalog.js';

export const defaultHistoryDir = (): string => fileURLToPath(new URL('../history/', import.meta.url));

export class TemplateVersionNotFoundError extends Error {
  constructor(readonly templateId: string, readonly version: string, readonly known: readonly string[]) {
    super(`Template "${templateId}" has no version ${version} (known: ${known.join(', ') || 'none'})`);
    this.name = 'TemplateVersionNotFoundError';
  }
}

const bySemver = (a: string, b: string): number => {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < 3; i += 1) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
};

export class TemplateVersions {
  constructor(
    private readonly catalog: TemplateCatalog = sharedCatalog(),
    private readonly historyDir: string = defaultHistoryDir(),
  ) {}

  /** The versions of a template, oldest first. */
  list(id: string): string[] {
    const current = this.catalog.get(id)?.manifest.version;
    const dir = path.join(this.historyDir, id);
    const kept = fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && /^\d+\.\d+\.\d+$/.test(e.name)).map((e) => e.name) : [];
    return [...new Set([...kept, ...(current ? [current] : [])])].sort(bySemver);
  }

  latest(id: string): string | undefined {
    return this.list(id).at(-1);
  }

  get(id: string, version: string): Template {
    const current = this.catalog.get(id);
    if (current?.manifest.version === version) return current;
    if (!/^\d+\.\d+\.\d+$/.test(version) || !/^[a-z][a-z0-9-]{1,40}$/.test(id)) throw new TemplateVersionNotFoundError(id, version, this.list(id));
    const dir = path.join(this.historyDir, id, version);
    if (!fs.existsSync(path.join(dir, 'template.json'))) throw new TemplateVersionNotFoundError(id, version, this.list(id));
    const template = loadTemplate(dir);
    if (template.manifest.id !== id || template.manifest.version !== version) throw new Error(`${dir} holds ${template.manifest.id} ${template.manifest.version}, not ${id} ${version}`);
    return template;
  }
}
