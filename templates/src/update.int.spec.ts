/** `updateProject` over fixture templates: each way a file can differ between base, ours and theirs. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TemplateCatalog, loadTemplate } from './catalog.js';
import { ANSWERS_FILE, renderTemplate } from './engine.js';
import { writeRendered } from './output.js';
import { ProjectNotGeneratedError, updateProject } from './update.js';
import { TemplateVersions } from './versions.js';

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-tpl-update-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

function writeTemplate(dir: string, version: string, properties: Record<string, unknown>, files: Record<string, string>): string {
  fs.mkdirSync(path.join(dir, 'files'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({ id: 'fixture', name: 'Fixture', description: 'A fixture', category: 'test', tags: [], version, variables: { type: 'object', properties } }));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, 'files', file)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'files', file), content);
  }
  return dir;
}

describe('template update', () => {
  const name = { type: 'string', title: 'Name', default: 'svc' };
  const old = { 'same.txt': 'same\n', 'gone.txt': 'gone\n', 'gone-edited.txt': 'a\n', 'changed.txt': 'one\ntwo\n', 'deleted-here.txt': 'x\n', 'name.txt': '[% name %]\n' };
  const next = { 'same.txt': 'same\n', 'changed.txt': 'one\ntwo\nthree\n', 'deleted-here.txt': 'y\n', 'name.txt': '[% name %] [% port %]\n', 'new.txt': 'new\n' };

  function setUp() {
    writeTemplate(path.join(work, 'history', 'fixture', '1.0.0'), '1.0.0', { name, legacy: { type: 'boolean', title: 'Legacy', default: true } }, old);
    const current = loadTemplate(writeTemplate(path.join(work, 'catalog', 'fixture'), '1.1.0', { name, port: { type: 'integer', title: 'Port', default: 8000 } }, next));
    const versions = new TemplateVersions(new TemplateCatalog([current]), path.join(work, 'history'));
    const project = path.join(work, 'project');
    writeRendered(project, renderTemplate(versions.get('fixture', '1.0.0'), { name: 'api' }).files);
    return { versions, project };
  }

  it('takes the template\'s changes, keeps the project\'s, and says what it did with each file', () => {
    const { versions, project } = setUp();
    fs.writeFileSync(path.join(project, 'gone-edited.txt'), 'a, edited\n');
    fs.writeFileSync(path.join(project, 'changed.txt'), 'zero\none\ntwo\n');
    fs.rmSync(path.join(project, 'deleted-here.txt'));
    expect(versions.list('fixture')).toEqual(['1.0.0', '1.1.0']);

    const report = updateProject(versions, project);
    expect(report).toEqual({
      template: 'fixture', from: '1.0.0', to: '1.1.0',
      updated: ['name.txt'], merged: ['changed.txt'], added: ['new.txt'], removed: ['gone.txt'], conflicts: [],
      kept: [
        { path: 'deleted-here.txt', reason: 'deleted in the project, changed in the template: not restored' },
        { path: 'gone-edited.txt', reason: 'changed in the project, removed from the template' },
      ],
      droppedAnswers: ['legacy'],
    });
    const read = (file: string) => fs.readFileSync(path.join(project, file), 'utf8');
    expect(read('changed.txt')).toBe('zero\none\ntwo\nthree\n');
    expect(read('name.txt')).toBe('api 8000\n');
    expect(read('gone-edited.txt')).toBe('a, edited\n');
    expect(fs.existsSync(path.join(project, 'gone.txt'))).toBe(false);
    expect(fs.existsSync(path.join(project, 'deleted-here.txt'))).toBe(false);
    expect(JSON.parse(read(ANSWERS_FILE))).toEqual({ template: 'fixture', version: '1.1.0', answers: { name: 'api', port: 8000 } });
  });

  it('refuses a folder whose answers file is missing or malformed', () => {
    const { versions, project } = setUp();
    fs.writeFileSync(path.join(project, ANSWERS_FILE), '{"template": "fixture"}');
    expect(() => updateProject(versions, project)).toThrow(ProjectNotGeneratedError);
    fs.rmSync(path.join(project, ANSWERS_FILE));
    expect(() => updateProject(versions, project)).toThrow(/has no \.resoft-template\.json/);
  });
});
