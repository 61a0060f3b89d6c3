import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../testing/run-cli.js';

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
  });

  it('shows a template with its variables and their help', async () => {
    const result = await runCli(['template', 'show', 'ml-project'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/framework\s+one of sklearn\|pytorch\|tensorflow; default "sklearn"/);
  });

  it('previews the tree, and one rendered file', async () => {
    const tree = await runCli(['template', 'preview', 'microservice', '--var', 'kubernetes=true'], {});
    expect(tree.stdout).toMatch(/^microservice 1\.0\.0: 20 files/);
    expect(tree.stdout).toMatch(/├── k8s\/ \(\d+ B\)/);
    const file = await runCli(['template', 'preview', 'microservice', '--var', 'kubernetes=true', '--var', 'replicas=4', '--file', 'k8s/deployment.yaml'], {});
    expect(file.stdout).toContain('replicas: 4');
  });

  it('applies into a folder with progress, refuses to overwrite without --force, and replaces with it', async () => {
    const out = path.join(work, 'svc');
    const first = await runCli(['template', 'apply', 'microservice', '--out', out, '--var', 'port=9001'], {});
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('Writing microservice: 17/17 files (100%)');
    expect(fs.readFileSync(path.join(out, 'Dockerfile'), 'utf8')).toContain('EXPOSE 9001');

    const again = await runCli(['template', 'apply', 'microservice', '--out', out, '--var', 'port=9002'], {});
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Refusing to overwrite 17 existing file\(s\).*use --force/);
    expect(fs.readFileSync(path.join(out, 'Dockerfile'), 'utf8')).toContain('EXPOSE 9001');

    const forced = await runCli(['template', 'apply', 'microservice', '--out', out, '--var', 'port=9002', '--force'], {});
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'Dockerfile'), 'utf8')).toContain('EXPOSE 9002');
  });

  it('names each bad variable and writes nothing', async () => {
    const out = path.join(work, 'bad');
    const result = await runCli(['template', 'apply', 'microservice', '--out', out, '--var', 'port=80', '--var', 'colour=red'], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--var colour: is not a variable of template "microservice"');
    expect(result.stderr).toContain('--var port: must be at least 1024');
    expect(fs.existsSync(out)).toBe(false);
  });
});
