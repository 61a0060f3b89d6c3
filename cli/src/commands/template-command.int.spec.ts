import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '@resoft/testkit/processes';

describe('resoft template', () => {
  let work: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-template-cli-'));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('lists the catalog, filtered by tag', async () => {
    const all = await runCli(['template', 'list', '--json'], {});
    expect(JSON.parse(all.stdout).map((t: { id: string }) => t.id)).toEqual(['data-pipeline', 'microservice', 'ml-project']);
    const tagged = await runCli(['template', 'list', '--tag', 'airflow'], {});
    expect(tagged.stdout).toMatch(/^data-pipeline/);
    expect(tagged.stdout).not.toMatch(/microservice/);
  }, 180_000);

  it('shows a template with its variables and their help', async () => {
    const result = await runCli(['template', 'show', 'ml-project'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/framework\s+one of sklearn\|pytorch\|tensorflow; default "sklearn"/);
  }, 180_000);

  it('previews the tree, and one rendered file', async () => {
    const tree = await runCli(['template', 'preview', 'microservice', '--var', 'kubernetes=true'], {});
    expect(tree.stdout).toMatch(/^microservice 2\.0\.0: 26 files/);
    expect(tree.stdout).toMatch(/├── k8s\/ \(\d+ B\)/);
    const file = await runCli(['template', 'preview', 'microservice', '--var', 'kubernetes=true', '--var', 'replicas=4', '--file', 'k8s/deployment.yaml'], {});
    expect(file.stdout).toContain('replicas: 4');
  }, 180_000);

  it('applies into a folder with progress, refuses to overwrite without --force, and replaces with it', async () => {
    const out = path.join(work, 'svc');
    const first = await runCli(['template', 'apply', 'microservice', '--out', out, '--var', 'port=9001'], {});
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('Writing microservice: 22/22 files (100%)');
    expect(fs.readFileSync(path.join(out, 'Dockerfile'), 'utf8')).toContain('EXPOSE 9001');

    const again = await runCli(['template', 'apply', 'microservice', '--out', out, '--var', 'port=9002'], {});
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Refusing to overwrite 22 existing file\(s\).*use --force/);
    expect(fs.readFileSync(path.join(out, 'Dockerfile'), 'utf8')).toContain('EXPOSE 9001');

    const forced = await runCli(['template', 'apply', 'microservice', '--out', out, '--var', 'port=9002', '--force'], {});
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'Dockerfile'), 'utf8')).toContain('EXPOSE 9002');
  }, 180_000);

  it('names each bad variable and writes nothing', async () => {
    const out = path.join(work, 'bad');
    const result = await runCli(['template', 'apply', 'microservice', '--out', out, '--var', 'port=80', '--var', 'colour=red'], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--var colour: is not a variable of template "microservice"');
    expect(result.stderr).toContain('--var port: must be at least 1024');
    expect(fs.existsSync(out)).toBe(false);
  }, 180_000);

  it('refuses a package name that is a Python keyword or shadows a dependency, and an impossible date, naming the field', async () => {
    const keyword = await runCli(['template', 'preview', 'microservice', '--var', 'package_name=import'], {});
    expect(keyword.code).toBe(1);
    expect(keyword.stderr).toContain('--var package_name: "import" is a Python keyword');
    const shadow = await runCli(['template', 'preview', 'microservice', '--var', 'package_name=fastapi'], {});
    expect(shadow.stderr).toContain('--var package_name: "fastapi" would shadow a module the generated project imports');
    const date = await runCli(['template', 'preview', 'data-pipeline', '--var', 'start_date=2026-02-31'], {});
    expect(date.stderr).toContain('--var start_date: "2026-02-31" is not a calendar date');
  }, 180_000);

  describe('update: a newer template version merged three ways over a generated project', () => {
    const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
    const edit = (dir: string, file: string, from: string, to: string) => {
      const text = read(dir, file);
      expect(text).toContain(from);
      fs.writeFileSync(path.join(dir, file), text.replace(from, to));
    };

    it('keeps the project\'s edits, takes the template\'s, and marks the lines both changed as a listed conflict', async () => {
      const out = path.join(work, 'svc');
      const applied = await runCli(['template', 'apply', 'microservice', '--out', out, '--template-version', '1.0.0', '--var', 'package_name=shop', '--var', 'kubernetes=true'], {});
      expect(applied.code).toBe(0);
      expect(JSON.parse(read(out, '.resoft-template.json'))).toMatchObject({ template: 'microservice', version: '1.0.0', answers: { package_name: 'shop', kubernetes: true } });
      // Ours: a file the template leaves alone (the store), a file both change in different places (main.py), a line both change (the Dockerfile's CMD), a new file.
      edit(out, 'src/shop/main.py', 'detail="Item not found"', 'detail="No such item"');
      edit(out, 'src/shop/store.py', 'class StoreFull(Exception):\n    pass', 'class StoreFull(Exception):\n    """Raised when the store holds max_items."""');
      edit(out, 'Dockerfile', 'CMD ["uvicorn"', 'CMD ["gunicorn"');
      fs.writeFileSync(path.join(out, 'NOTES.md'), 'ours\n');

      const result = await runCli(['template', 'update', '--dir', out, '--json'], {});
      expect(result.code).toBe(2);
      const report = JSON.parse(result.stdout);
      expect(report).toMatchObject({ template: 'microservice', from: '1.0.0', to: '2.0.0', conflicts: ['Dockerfile'] });
      expect(report.added).toEqual(expect.arrayContaining(['constraints.txt', 'k8s/namespace.yaml', 'src/shop/__main__.py', 'src/shop/logging_config.py']));
      expect(report.removed).toEqual(expect.arrayContaining(['requirements.txt', 'requirements-dev.txt']));
      expect(report.merged).toEqual(['src/shop/main.py']);

      // Both sides' changes in one file, merged: our message and the template's logging.
      const main = read(out, 'src/shop/main.py');
      expect(main).toContain('detail="No such item"');
      expect(main).toContain('configure_logging(settings)');
      expect(main).not.toContain('<<<<<<<');
      expect(read(out, 'src/shop/store.py')).toContain('"""Raised when the store holds max_items."""');
      // Theirs alone: the settings are now pydantic-settings.
      expect(read(out, 'src/shop/config.py')).toContain('class Settings(BaseSettings)');
      const dockerfile = read(out, 'Dockerfile');
      // The template's own changes above the conflict are taken; the CMD region both changed is marked with all three versions.
      expect(dockerfile).toContain('RUN pip install --no-cache-dir -c constraints.txt .');
      expect(dockerfile).toMatch(/<<<<<<< ours \(this project\)\n(.*\n)?CMD \["gunicorn"[^\n]*\n\|\|\|\|\|\|\| base \(microservice 1\.0\.0\)\n(.*\n)?CMD \["uvicorn"[^\n]*\n=======\n(.*\n)*CMD \["python", "-m", "shop"\]\n>>>>>>> theirs \(microservice 2\.0\.0\)\n$/);
      expect(read(out, 'NOTES.md')).toBe('ours\n');
      expect(fs.existsSync(path.join(out, 'requirements.txt'))).toBe(false);
      expect(JSON.parse(read(out, '.resoft-template.json'))).toMatchObject({ version: '2.0.0', answers: { package_name: 'shop', image: 'registry.example.com/orders-service:0.1.0', namespace: 'orders' } });

      const human = await runCli(['template', 'update', '--dir', out], {});
      expect(human.code).toBe(0);
      expect(human.stdout).toContain('Updated microservice 2.0.0 → 2.0.0.');
    }, 180_000);

    it('refuses a folder without an answers file and an unknown version, clearly', async () => {
      const bare = path.join(work, 'bare');
      fs.mkdirSync(bare);
      const none = await runCli(['template', 'update', '--dir', bare], {});
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('has no .resoft-template.json');
      const out = path.join(work, 'ml');
      await runCli(['template', 'apply', 'ml-project', '--out', out], {});
      const unknown = await runCli(['template', 'update', '--dir', out, '--to', '9.9.9'], {});
      expect(unknown.stderr).toContain('Template "ml-project" has no version 9.9.9 (known: 1.0.0, 2.0.0)');
    }, 180_000);
  });
});
