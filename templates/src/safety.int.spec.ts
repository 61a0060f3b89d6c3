/** Template folders on disk: conditional files, path escapes, symlinks, overwrite protection and determinism. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { loadTemplate, TemplateLoadError } from './catalog.js';
import { ANSWERS_FILE, fileTree, renderTemplate } from './engine.js';
import { OverwriteRefusedError, writeRendered } from './output.js';
import { safeRelativePath, UnsafePathError } from './paths.js';
import { zip } from './zip.js';

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-tpl-safety-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

/** Writes a template folder: a manifest with the given variables and conditions, and files. */
function makeTemplate(files: Record<string, string>, properties: Record<string, unknown>, conditions: unknown[] = []): string {
  const dir = path.join(work, 'tpl');
  fs.mkdirSync(path.join(dir, 'files'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({ id: 'fixture', name: 'Fixture', description: 'A fixture', category: 'test', tags: [], version: '1.0.0', variables: { type: 'object', properties }, conditions }));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, 'files', file)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'files', file), content);
  }
  return dir;
}

const k8s = { kubernetes: { type: 'boolean', title: 'Kubernetes', default: false }, name: { type: 'string', title: 'Name', default: 'svc', maxLength: 100 } };

describe('conditional files and folders', () => {
  const files = { 'README.md': 'x', 'k8s/deployment.yaml': 'name: [% name %]', 'k8s/base/service.yaml': 's', 'no-k8s.txt': 'plain' };
  const conditions = [{ path: 'k8s', when: 'kubernetes' }, { path: 'no-k8s.txt', when: '!kubernetes' }];

  it('keeps a folder only when its flag is on', () => {
    const template = loadTemplate(makeTemplate(files, k8s, conditions));
    expect(renderTemplate(template, { kubernetes: true }).files.map((f) => f.path)).toEqual(['.resoft-template.json', 'README.md', 'k8s/base/service.yaml', 'k8s/deployment.yaml']);
    expect(renderTemplate(template, { kubernetes: false }).files.map((f) => f.path)).toEqual(['.resoft-template.json', 'README.md', 'no-k8s.txt']);
  });

  it('refuses a condition whose path matches no file', () => {
    expect(() => loadTemplate(makeTemplate(files, k8s, [{ path: 'helm', when: 'kubernetes' }]))).toThrow('condition path "helm" matches no file');
  });

  it('refuses files that use undeclared variables or sections on non-boolean variables', () => {
    expect(() => loadTemplate(makeTemplate({ 'a.txt': '[% missing %]' }, k8s))).toThrow('refers to undeclared variable "missing"');
    expect(() => loadTemplate(makeTemplate({ 'a.txt': '[%#name%]x[%/name%]' }, k8s))).toThrow('section "name" needs a boolean variable');
  });
});

describe('paths never escape the output root', () => {
  it('refuses ../, absolute, backslash and empty paths', () => {
    for (const bad of ['../etc/passwd', 'a/../../b', '/etc/passwd', 'C:/x', 'a\\..\\b', 'a//b', './a', '']) {
      expect(() => safeRelativePath(bad)).toThrow(UnsafePathError);
    }
    expect(safeRelativePath('src/app/main.py')).toBe('src/app/main.py');
  });

  it('refuses a variable value that would render a path outside the root', () => {
    const template = loadTemplate(makeTemplate({ '[% name %]/file.txt': 'x' }, k8s));
    expect(() => renderTemplate(template, { name: '..' })).toThrow('Refused path "../file.txt"');
    expect(() => renderTemplate(template, { name: '/etc' })).toThrow(UnsafePathError);
    expect(() => renderTemplate(template, { name: 'a/../..' })).toThrow(UnsafePathError);
    expect(renderTemplate(template, { name: 'ok' }).files.map((f) => f.path)).toContain('ok/file.txt');
  });

  it('refuses a template folder holding a symlink', () => {
    const dir = makeTemplate({ 'a.txt': 'x' }, k8s);
    fs.symlinkSync('/etc/hostname', path.join(dir, 'files', 'host.txt'));
    expect(() => loadTemplate(dir)).toThrow(new TemplateLoadError('Symlinks are not allowed in templates: files/host.txt'));
  });

  it('refuses to write through a symlinked folder in the output', () => {
    const template = loadTemplate(makeTemplate({ 'conf/app.txt': 'x' }, k8s));
    const out = path.join(work, 'out');
    const outside = path.join(work, 'outside');
    fs.mkdirSync(out);
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(out, 'conf'));
    expect(() => writeRendered(out, renderTemplate(template, {}).files)).toThrow('"conf" is a symlink in the output folder');
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('refuses to replace a symlinked file even with force', () => {
    const template = loadTemplate(makeTemplate({ 'a.txt': 'x' }, k8s));
    const out = path.join(work, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(work, 'victim.txt'), 'keep');
    fs.symlinkSync(path.join(work, 'victim.txt'), path.join(out, 'a.txt'));
    expect(() => writeRendered(out, renderTemplate(template, {}).files, { force: true })).toThrow(UnsafePathError);
    expect(fs.readFileSync(path.join(work, 'victim.txt'), 'utf8')).toBe('keep');
  });
});

describe('writing rendered files', () => {
  it('refuses to overwrite existing files unless forced, and writes nothing when refusing', () => {
    const template = loadTemplate(makeTemplate({ 'a.txt': 'new [% name %]', 'b.txt': 'b' }, k8s));
    const out = path.join(work, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'a.txt'), 'old');
    const files = renderTemplate(template, {}).files;
    expect(() => writeRendered(out, files)).toThrow(OverwriteRefusedError);
    expect(fs.readdirSync(out)).toEqual(['a.txt']);
    expect(writeRendered(out, files, { force: true })).toEqual({ written: 3, replaced: 1 });
    expect(fs.readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('new svc');
  });
});

describe('determinism', () => {
  it('renders the same files, tree and zip for the same values', () => {
    const template = loadTemplate(makeTemplate({ 'b.txt': '[% name %]', 'a/c.txt': 'c', 'a/b.txt': 'bb' }, k8s));
    const first = renderTemplate(template, { name: 'x' });
    const second = renderTemplate(template, { name: 'x' });
    expect(second).toEqual(first);
    const own = first.files.filter((f) => f.path !== ANSWERS_FILE);
    expect(own.map((f) => f.path)).toEqual(['a/b.txt', 'a/c.txt', 'b.txt']);
    // The engine adds the answers file: which template and version made the project, with which answers (what `template update` reads).
    expect(JSON.parse(first.files.find((f) => f.path === ANSWERS_FILE)!.content)).toEqual({ template: 'fixture', version: '1.0.0', answers: { name: 'x', kubernetes: false } });
    expect(fileTree(own)).toEqual([
      { name: 'a', type: 'dir', size: 3, children: [{ name: 'b.txt', type: 'file', size: 2 }, { name: 'c.txt', type: 'file', size: 1 }] },
      { name: 'b.txt', type: 'file', size: 1 },
    ]);
    expect(zip(first.files).equals(zip(second.files))).toBe(true);
  });

  it('writes a zip whose entries hold the rendered content', () => {
    const archive = zip([{ path: 'dir/hello.txt', content: 'hello world' }]);
    expect(archive.readUInt32LE(0)).toBe(0x04034b50);
    const nameLength = archive.readUInt16LE(26);
    const packedSize = archive.readUInt32LE(18);
    expect(archive.subarray(30, 30 + nameLength).toString()).toBe('dir/hello.txt');
    expect(inflateRawSync(archive.subarray(30 + nameLength, 30 + nameLength + packedSize)).toString()).toBe('hello world');
    expect(archive.readUInt32LE(archive.length - 22)).toBe(0x06054b50);
  });
});
