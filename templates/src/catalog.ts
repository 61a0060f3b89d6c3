/**
 * Loads template folders (`<id>/template.json` + `<id>/files/…`) and checks
 * them once: the manifest's schema, every tag of every path and file against
 * the declared variables, and no symlink or special file anywhere (a symlink
 * could make a template read outside its folder).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kindOf, manifestSchema, type TemplateManifest } from './manifest.js';
import { parseCondition, parseTemplate, tagUses, TemplateSyntaxError, type Condition, type Token } from './renderer.js';

export interface TemplateFile {
  /** Path inside `files/`, with tags, before rendering. */
  readonly source: string;
  readonly path: readonly Token[];
  readonly content: readonly Token[];
  readonly conditions: readonly Condition[];
}

export interface Template {
  readonly manifest: TemplateManifest;
  readonly files: readonly TemplateFile[];
}

export class TemplateLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateLoadError';
  }
}

export const MAX_TEMPLATE_FILE_BYTES = 512 * 1024;
export const MAX_TEMPLATE_FILES = 500;

/** The catalog shipped with this package. */
export const defaultCatalogDir = (): string => fileURLToPath(new URL('../catalog/', import.meta.url));

function listFiles(root: string, relative = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isSymbolicLink()) throw new TemplateLoadError(`Symlinks are not allowed in templates: files/${rel}`);
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    else if (entry.isFile()) out.push(rel);
    else throw new TemplateLoadError(`Only regular files are allowed in templates: files/${rel}`);
    if (out.length > MAX_TEMPLATE_FILES) throw new TemplateLoadError(`A template holds at most ${MAX_TEMPLATE_FILES} files`);
  }
  return out;
}

function checkUses(manifest: TemplateManifest, tokens: readonly Token[], where: string): void {
  const { properties } = manifest.variables;
  for (const use of tagUses(tokens)) {
    const spec = properties[use.name];
    if (!spec) throw new TemplateLoadError(`${where}: refers to undeclared variable "${use.name}"`);
    if (use.as === 'flag' && spec.type !== 'boolean') throw new TemplateLoadError(`${where}: section "${use.name}" needs a boolean variable`);
    if (use.as === 'choice' && kindOf(spec) !== 'choice') throw new TemplateLoadError(`${where}: "${use.name}=…" needs a choice variable`);
    if (use.as === 'choice' && spec.type === 'string' && !spec.enum?.includes(use.equals!)) {
      throw new TemplateLoadError(`${where}: "${use.equals}" is not a choice of "${use.name}"`);
    }
  }
}

const appliesTo = (rulePath: string, source: string): boolean => source === rulePath || source.startsWith(`${rulePath.replace(/\/$/, '')}/`);

/** Loads and checks one template folder. */
export function loadTemplate(dir: string): Template {
  const manifestPath = path.join(dir, 'template.json');
  if (fs.lstatSync(manifestPath).isSymbolicLink()) throw new TemplateLoadError(`${manifestPath}: the manifest must not be a symlink`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    throw new TemplateLoadError(`${manifestPath}: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TemplateLoadError(`${manifestPath}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(manifest)'}: ${i.message}`).join('; ')}`);
  }
  const manifest = parsed.data;
  const filesDir = path.join(dir, 'files');
  if (fs.lstatSync(filesDir).isSymbolicLink()) throw new TemplateLoadError(`${filesDir}: must not be a symlink`);
  const sources = listFiles(filesDir);
  for (const rule of manifest.conditions) {
    if (!sources.some((source) => appliesTo(rule.path, source))) throw new TemplateLoadError(`${manifestPath}: condition path "${rule.path}" matches no file`);
  }
  const files = sources.map((source): TemplateFile => {
    const where = `${manifest.id}:files/${source}`;
    const buffer = fs.readFileSync(path.join(filesDir, source));
    if (buffer.length > MAX_TEMPLATE_FILE_BYTES) throw new TemplateLoadError(`${where}: larger than ${MAX_TEMPLATE_FILE_BYTES} bytes`);
    try {
      const pathTokens = parseTemplate(source, `${where} (path)`);
      const content = parseTemplate(buffer.toString('utf8'), where);
      if (pathTokens.some((t) => t.kind === 'section')) throw new TemplateLoadError(`${where}: a path can hold [% name %] tags only; use "conditions" for optional files`);
      checkUses(manifest, pathTokens, `${where} (path)`);
      checkUses(manifest, content, where);
      const conditions = manifest.conditions.filter((rule) => appliesTo(rule.path, source)).map((rule) => parseCondition(rule.when)!);
      return { source, path: pathTokens, content, conditions };
    } catch (error) {
      if (error instanceof TemplateSyntaxError) throw new TemplateLoadError(error.message);
      throw error;
    }
  });
  return { manifest, files };
}

export interface CatalogFilter {
  readonly category?: string;
  readonly tag?: string;
  readonly keyword?: string;
}

/** The templates of a catalog folder, loaded once and kept in memory. */
export class TemplateCatalog {
  private readonly byId: ReadonlyMap<string, Template>;

  constructor(templates: readonly Template[]) {
    const byId = new Map<string, Template>();
    for (const template of templates) {
      if (byId.has(template.manifest.id)) throw new TemplateLoadError(`Two templates have the id "${template.manifest.id}"`);
      byId.set(template.manifest.id, template);
    }
    this.byId = byId;
  }

  static load(root: string = defaultCatalogDir()): TemplateCatalog {
    const dirs = fs.readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    return new TemplateCatalog(dirs.map((name) => loadTemplate(path.join(root, name))));
  }

  get(id: string): Template | undefined {
    return this.byId.get(id);
  }

  list(filter: CatalogFilter = {}): Template[] {
    const keyword = filter.keyword?.toLowerCase();
    return [...this.byId.values()].filter(({ manifest }) =>
      (!filter.category || manifest.category === filter.category) &&
      (!filter.tag || manifest.tags.includes(filter.tag)) &&
      (!keyword || [manifest.id, manifest.name, manifest.description, ...manifest.tags].some((text) => text.toLowerCase().includes(keyword))),
    );
  }
}

let shared: TemplateCatalog | undefined;

/** The shipped catalog, loaded on first use and kept for the life of the process. */
export function sharedCatalog(): TemplateCatalog {
  shared ??= TemplateCatalog.load();
  return shared;
}
