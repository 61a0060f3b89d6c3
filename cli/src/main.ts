/** The `resoft` command line: start the server, rebuild read models, verify the audit trail, use the template catalog. */
import { Command } from 'commander';
import { analyticsCommand } from './commands/analytics-command.js';
import { auditVerifyCommand } from './commands/audit-verify-command.js';
import { checkCommand, type CheckOptions } from './commands/check-command.js';
import { rebuildCommand } from './commands/rebuild-command.js';
import { serveCommand, startCommand } from './commands/start-command.js';
import { templateCommand } from './commands/template-command.js';
import { SERVICES, type ServiceName } from './runtime/service-server.js';

const ENVIRONMENT_HELP = `
Configuration comes from environment variables (see README.md), e.g.
  PORT=3000 RESOFT_DATA_DIR=./data resoft start`;

export function buildProgram(env: NodeJS.ProcessEnv): Command {
  const program = new Command('resoft').description('Resoft: event-sourced collaboration platform').addHelpText('after', ENVIRONMENT_HELP);

  program
    .command('start')
    .description('Run the whole backend in one process (embedded SQLite stores under RESOFT_DATA_DIR, HTTP on PORT)')
    .action(() => startCommand(env));

  program
    .command('serve')
    .description(`Run one service in its own process: ${SERVICES.join(', ')} (several processes share the stores the configuration names)`)
    .argument('<service>', `one of: ${SERVICES.join(', ')}`)
    .action((service: string) => {
      if (!(SERVICES as readonly string[]).includes(service)) throw new Error(`Unknown service "${service}": use one of ${SERVICES.join(', ')}`);
      return serveCommand(service as ServiceName, env);
    });

  program
    .command('rebuild')
    .description('Rebuild read models from position 0 into fresh collections, then swap them in (all projections when none is named)')
    .argument('[projection...]', 'projections to rebuild: users, projects, rooms, chat, activity, agent-activities, project-streams, template-runs, checks, files, analytics')
    .action(async (names: string[]) => rebuildCommand(names, env));

  const audit = program.command('audit').description('Audit trail tools');
  audit
    .command('verify')
    .description('Verify every stream\'s hash chain; prints OK with counts or the first broken link (exit code 1)')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      if (!(await auditVerifyCommand(env, options))) process.exitCode = 1;
    });

  program
    .command('check')
    .description('Lint files with pylint, mypy, ruff and ESLint as the server does; print the findings, score and grade')
    .argument('<files...>', 'Python, JavaScript or TypeScript files')
    .option('--linters <list>', 'comma-separated: pylint, mypy, ruff, eslint (default: every linter of the languages given)')
    .option('--language <language>', 'check only files of this language: python, javascript, typescript')
    .option('--sarif <file>', 'also write the result as SARIF 2.1.0 to this file')
    .option('--json', 'print the whole result as JSON')
    .option('--min-score <score>', 'exit with code 1 when the score is below this (0-100)')
    .action(async (files: string[], options: CheckOptions) => {
      process.exitCode = await checkCommand(files, options, env);
    });
  templateCommand(program);
  analyticsCommand(program, env);

  return program;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await buildProgram(env).parseAsync([...argv]);
  } catch (error) {
    process.stderr.write(`resoft: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
