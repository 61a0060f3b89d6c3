/**
 * Time travel from the command line: `resoft replay --project <id> --as-of
 * <position|ISO time> --out <dir>` writes the project's files as they were;
 * `resoft export git --project <id> --out <dir>` writes its file history as a
 * git repository, one commit per command (author and time from the events).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAsOf } from '@resoft/domain';
import { loadConfig, openStores } from '@resoft/app';
import { projectFileHistory, projectFilesAsOf } from '@resoft/documents';
import { ReadModels, type UserView } from '@resoft/projectors';

/** Where a project file goes under `root`; refuses a path that would leave it. */
function inside(root: string, filePath: string): string {
  const target = path.resolve(root, filePath);
  if (!target.startsWith(root + path.sep)) throw new Error(`refusing to write outside ${root}: ${filePath}`);
  return target;
}

function writeFile(root: string, filePath: string, text: string): void {
  const target = inside(root, filePath);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
}

function emptyDirectory(dir: string): string {
  const root = path.resolve(dir);
  if (fs.existsSync(root) && fs.readdirSync(root).length > 0) throw new Error(`${root} is not empty`);
  fs.mkdirSync(root, { recursive: true });
  return root;
}

export async function replayCommand(env: NodeJS.ProcessEnv, options: { project: string; asOf: string; out: string }, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const asOf = parseAsOf(options.asOf);
  const stores = await openStores(loadConfig(env));
  try {
    // Texts from the files projection's recorded versions where they cover the moment, else replayed from the events.
    const files = await projectFilesAsOf(stores.events, options.project, asOf, { textVersions: stores.readModels });
    const root = emptyDirectory(options.out);
    for (const file of files) writeFile(root, file.path, file.text);
    out.write(`Wrote ${files.length} files of project ${options.project} as of ${options.asOf} to ${root}\n`);
  } finally {
    await stores.close();
  }
}

function git(cwd: string, args: readonly string[], env: Record<string, string> = {}): void {
  const result = spawnSync('git', args, { cwd, env: { PATH: process.env['PATH'] ?? '', HOME: cwd, GIT_CONFIG_NOSYSTEM: '1', ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args[0]} failed: ${result.stderr || result.error?.message}`);
}

export async function exportGitCommand(env: NodeJS.ProcessEnv, options: { project: string; out: string }, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const stores = await openStores(loadConfig(env));
  try {
    const root = emptyDirectory(options.out);
    git(root, ['init', '-q', '-b', 'main']);
    const users = new Map<string, UserView | null>();
    const author = async (actor: string | null) => {
      if (!actor) return { name: 'Resoft', email: 'system@resoft.invalid' };
      if (!users.has(actor)) users.set(actor, await stores.readModels.get<UserView>(ReadModels.users, actor));
      const user = users.get(actor);
      return user ? { name: user.username, email: user.email } : { name: actor, email: `${actor}@resoft.invalid` };
    };
    let previous = new Map<string, string>();
    let commits = 0;
    for await (const step of projectFileHistory(stores.events, options.project)) {
      for (const gone of [...previous.keys()].filter((p) => !step.files.has(p))) fs.rmSync(inside(root, gone));
      for (const [filePath, text] of step.files) if (previous.get(filePath) !== text) writeFile(root, filePath, text);
      previous = new Map(step.files);
      const who = await author(step.actor);
      const types = [...new Set(step.events.map((e) => e.type))].join(', ');
      const positions = step.events.map((e) => e.position);
      const message = `${types}\n\nResoft-Positions: ${positions[0]}..${positions[positions.length - 1]}\nResoft-Correlation: ${step.events[0]!.metadata.correlationId}\n`;
      git(root, ['add', '-A']);
      git(root, ['-c', 'commit.gpgsign=false', 'commit', '-q', '--allow-empty', '-m', message], {
        GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_AUTHOR_DATE: step.at,
        GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email, GIT_COMMITTER_DATE: step.at,
      });
      commits += 1;
    }
    out.write(`Wrote ${commits} commits of project ${options.project} to ${root}\n`);
  } finally {
    await stores.close();
  }
}
