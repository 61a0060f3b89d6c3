/**
 * `resoft template list|show|preview|apply|update`: the catalog on the command line.
 * Everything renders locally with the same engine as the server; `apply`
 * writes under `--out` and refuses to replace existing files unless `--force`;
 * `update` re-applies a newer template version over a generated project as a
 * three-way merge (conflicts are written with markers and listed).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  describe as describeTemplate, drawTree, fileTree, kindOf, OverwriteRefusedError, parseVariablePairs, renderTemplate, sharedCatalog, summarize,
  ProjectNotGeneratedError, TemplateVariablesError, TemplateVersionNotFoundError, TemplateVersions, UnsafePathError, updateProject, writeRendered,
  type Template, type UpdateReport,
} from '@resoft/templates';
import { progressBar } from './progress-bar.js';

const print = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
const collect = (value: string, previous: string[]): string[] => [...previous, value];

function requireTemplate(id: string, version?: string): Template {
  const template = sharedCatalog().get(id);
  if (!template) throw new Error(`No template "${id}" in the catalog; "resoft template list" shows them`);
  if (version === undefined || version === template.manifest.version) return template;
  try {
    return new TemplateVersions().get(id, version);
  } catch (error) {
    if (error instanceof TemplateVersionNotFoundError) throw new Error(error.message);
    throw error;
  }
}

function printUpdate(report: UpdateReport): void {
  const section = (title: string, paths: readonly string[]) => {
    if (paths.length) print(`${title} (${paths.length}):\n${paths.map((p) => `  ${p}`).join('\n')}`);
  };
  print(`Updated ${report.template} ${report.from} → ${report.to}.`);
  section('Replaced with the new version', report.updated);
  section('Merged with your changes', report.merged);
  section('Added', report.added);
  section('Removed', report.removed);
  if (report.kept.length) print(`Kept as they are (${report.kept.length}):\n${report.kept.map((k) => `  ${k.path}: ${k.reason}`).join('\n')}`);
  if (report.droppedAnswers.length) print(`Answers the new version no longer uses: ${report.droppedAnswers.join(', ')}`);
  section('CONFLICTS: both sides changed the same lines; resolve the <<<<<<< ======= >>>>>>> markers in', report.conflicts);
  if (!report.conflicts.length) print('No conflicts.');
}

/** Renders with `--var` pairs; refusals become one readable error naming each field. */
function renderWith(template: Template, pairs: readonly string[]) {
  try {
    return renderTemplate(template, parseVariablePairs(pairs));
  } catch (error) {
    if (error instanceof TemplateVariablesError) throw new Error(`Invalid variables:\n${error.problems.map((p) => `  --var ${p.field}: ${p.message}`).join('\n')}`);
    throw error;
  }
}

export function templateCommand(program: Command): void {
  const template = program.command('template').description('The template marketplace: list, show, preview and apply templates (rendered locally)');

  template
    .command('list')
    .description('List the catalog, optionally filtered')
    .option('--category <category>', 'only this category (backend, data, ml)')
    .option('--tag <tag>', 'only templates with this tag')
    .option('--keyword <word>', 'a word in the id, name, description or tags')
    .option('--json', 'print JSON')
    .action((options: { category?: string; tag?: string; keyword?: string; json?: boolean }) => {
      const items = sharedCatalog().list(options).map((t) => summarize(t.manifest));
      if (options.json) return print(JSON.stringify(items, null, 2));
      for (const item of items) print(`${item.id.padEnd(16)} ${item.version.padEnd(7)} ${item.category.padEnd(9)} ${item.name}\n${' '.repeat(34)}${item.tags.join(', ')}`);
      if (items.length === 0) print('No template matches.');
    });

  template
    .command('show')
    .description('Show a template: its variables with types, defaults and help, install commands and requirements')
    .argument('<id>', 'template id')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) => {
      const found = requireTemplate(id);
      const described = describeTemplate(found);
      if (options.json) return print(JSON.stringify(described, null, 2));
      print(`${described.name} (${described.id} ${described.version}, ${described.category})\n${described.description}\n\nVariables (--var name=value):`);
      for (const [name, spec] of Object.entries(found.manifest.variables.properties)) {
        const kind = kindOf(spec);
        const type = kind === 'choice' && spec.type === 'string' ? `one of ${spec.enum!.join('|')}` : kind;
        const required = found.manifest.variables.required.includes(name) ? ', required' : '';
        print(`  ${name.padEnd(20)} ${type}${required}; default ${JSON.stringify(spec.default)}\n  ${' '.repeat(20)} ${spec.title}${spec.description ? `: ${spec.description}` : ''}`);
      }
      print(`\nRequirements:\n${described.requirements.map((r) => `  - ${r}`).join('\n')}\n\nInstall:\n${described.install.map((c) => `  $ ${c}`).join('\n')}`);
    });

  template
    .command('preview')
    .description('Render a template without writing: the file tree with sizes, or one file with --file')
    .argument('<id>', 'template id')
    .option('--var <name=value>', 'a variable (repeat for several)', collect, [])
    .option('--file <path>', 'print this rendered file')
    .option('--json', 'print JSON (paths, sizes, hashes)')
    .action((id: string, options: { var: string[]; file?: string; json?: boolean }) => {
      const rendering = renderWith(requireTemplate(id), options.var);
      if (options.file !== undefined) {
        const file = rendering.files.find((f) => f.path === options.file);
        if (!file) throw new Error(`The rendered template has no file "${options.file}"`);
        return void process.stdout.write(file.content);
      }
      if (options.json) return print(JSON.stringify({ ...rendering, files: rendering.files.map(({ path: p, size, sha256 }) => ({ path: p, size, sha256 })) }, null, 2));
      print(`${rendering.templateId} ${rendering.version}: ${rendering.files.length} files, ${rendering.totalBytes} bytes`);
      print(drawTree(fileTree(rendering.files)).join('\n'));
    });

  template
    .command('apply')
    .description('Render a template into a folder (existing files are refused unless --force)')
    .argument('<id>', 'template id')
    .requiredOption('--out <dir>', 'the folder to write into (created if missing)')
    .option('--var <name=value>', 'a variable (repeat for several)', collect, [])
    .option('--force', 'replace files that already exist')
    .option('--template-version <version>', 'an earlier released version of the template (default: the current one)')
    .action((id: string, options: { var: string[]; out: string; force?: boolean; templateVersion?: string }) => {
      const found = requireTemplate(id, options.templateVersion);
      const rendering = renderWith(found, options.var);
      const out = path.resolve(options.out);
      const bar = progressBar(`Writing ${id}`, process.stderr, 'files');
      try {
        const { written, replaced } = writeRendered(out, rendering.files, { force: !!options.force, onFile: (_file, index, total) => bar.update(index, total) });
        bar.stop();
        print(`Wrote ${written} files (${rendering.totalBytes} bytes) to ${out}${replaced ? `, replacing ${replaced}` : ''}.`);
        if (found.manifest.install.length) print(`Next:\n  $ cd ${path.relative(process.cwd(), out) || '.'}\n${found.manifest.install.map((c) => `  $ ${c}`).join('\n')}`);
      } catch (error) {
        bar.stop();
        if (error instanceof OverwriteRefusedError || error instanceof UnsafePathError) throw new Error(error.message);
        throw error;
      }
      if (!fs.existsSync(out)) throw new Error(`${out} was not created`);
    });

  template
    .command('update')
    .description('Re-apply a newer template version over a generated project (three-way merge with your changes, like copier)')
    .requiredOption('--dir <dir>', 'the generated project (it holds .resoft-template.json)')
    .option('--to <version>', 'the template version to move to (default: the newest)')
    .option('--json', 'print the report as JSON')
    .action((options: { dir: string; to?: string; json?: boolean }) => {
      let report: UpdateReport;
      try {
        report = updateProject(new TemplateVersions(), path.resolve(options.dir), options.to);
      } catch (error) {
        if (error instanceof ProjectNotGeneratedError || error instanceof TemplateVersionNotFoundError || error instanceof TemplateVariablesError) throw new Error(error.message);
        throw error;
      }
      if (options.json) print(JSON.stringify(report, null, 2));
      else printUpdate(report);
      // Conflicts leave the project needing a hand: a non-zero exit stops a script from going on as if it were merged.
      if (report.conflicts.length > 0) process.exitCode = 2;
    });
}
