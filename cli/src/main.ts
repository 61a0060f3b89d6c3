/**
 * The `resoft` command line: start the server, rebuild read models, verify and export the audit trail, use the template catalog.
 *
 * Nothing heavy loads before the arguments are parsed: each command imports its implementation when it runs
 * (`resoft --help` used to load every store, server and linter first, ~4.5 s). The `template` and `analytics`
 * groups register their own subcommands, so only the group that is invoked is loaded; for `--help` a light
 * entry describes them. `npm run bench:checks` times `resoft --help` and `resoft check --linters ruff`.
 */
import { Command } from 'commander';
import type { CheckOptions } from './commands/check-command.js';
import { SERVICES, type ServiceName } from '@resoft/app';

const ENVIRONMENT_HELP = `
Configuration comes from environment variables (see README.md), e.g.
  PORT=3000 RESOFT_DATA_DIR=./data resoft start`;

/** The first word of the command line that is not an option: the command group that will run. */
const invokedCommand = (argv: readonly string[]): string | undefined => argv.slice(2).find((arg) => !arg.startsWith('-'));

export async function buildProgram(env: NodeJS.ProcessEnv, argv: readonly string[] = []): Promise<Command> {
  const invoked = invokedCommand(argv);
  const program = new Command('resoft').description('Resoft: event-sourced collaboration platform').addHelpText('after', ENVIRONMENT_HELP);

  program
    .command('start')
    .description('Run the whole backend in one process (embedded SQLite stores under RESOFT_DATA_DIR, HTTP on PORT)')
    .action(async () => (await import('./commands/start-command.js')).startCommand(env));

  program
    .command('serve')
    .description(`Run one service in its own process: ${SERVICES.join(', ')} (several processes share the stores the configuration names)`)
    .argument('<service>', `one of: ${SERVICES.join(', ')}`)
    .action(async (service: string) => {
      if (!(SERVICES as readonly string[]).includes(service)) throw new Error(`Unknown service "${service}": use one of ${SERVICES.join(', ')}`);
      return (await import('./commands/start-command.js')).serveCommand(service as ServiceName, env);
    });

  // The argument help names every projection, which means loading them: only when `rebuild` is the command.
  const rebuildHelp = invoked === 'rebuild' || invoked === 'help' ? (await import('./commands/rebuild-command.js')).REBUILD_ARGUMENT_HELP : 'projections to rebuild (see `resoft rebuild --help`)';
  program
    .command('rebuild')
    .description('Rebuild read models from position 0 into fresh collections, then swap them in (all projections when none is named)')
    .argument('[projection...]', rebuildHelp)
    .action(async (names: string[]) => (await import('./commands/rebuild-command.js')).rebuildCommand(names, env));

  const audit = program.command('audit').description('Audit trail tools: verify the log or a bundle, export a project\'s bundle, rotate the signing key');
  audit
    .command('verify')
    .description('Verify every stream\'s hash chain and the signed audit log, or (--bundle) an audit bundle offline; prints OK or the first bad position (exit code 1)')
    .option('--json', 'print the report as JSON')
    .option('--bundle <file>', 'verify this audit bundle (zip) instead of the local stores')
    .option('--keys <jwks>', 'with --bundle: trust these public keys (JWKS file) instead of the ones inside the bundle')
    .action(async (options: { json?: boolean; bundle?: string; keys?: string }) => {
      const ok = options.bundle
        ? (await import('./commands/audit-bundle-commands.js')).auditVerifyBundleCommand(options.bundle, options)
        : await (await import('./commands/audit-verify-command.js')).auditVerifyCommand(env, options);
      if (!ok) process.exitCode = 1;
    });
  audit
    .command('export')
    .description('Write a project\'s audit bundle: every event of its streams, inclusion proofs, the signed tree head, the public keys')
    .requiredOption('--project <id>', 'the project id')
    .requiredOption('--out <file>', 'where to write the zip, e.g. bundle.zip')
    .action(async (options: { project: string; out: string }) => (await import('./commands/audit-bundle-commands.js')).auditExportCommand(env, options));
  audit
    .command('rotate-key')
    .description('Make a new Ed25519 key sign tree heads from the next start on; old keys stay trusted (in <data dir>/keys/audit)')
    .action(async () => {
      const { rotateAuditKey } = await import('@resoft/infra');
      const { loadConfig } = await import('@resoft/app');
      process.stdout.write(`New audit signing key ${rotateAuditKey(loadConfig(env).dataDir)}; restart the server (or projectors) to sign with it\n`);
    });

  program
    .command('replay')
    .description('Write a project\'s files as they were at a moment (a global position or an ISO-8601 time)')
    .requiredOption('--project <id>', 'the project id')
    .requiredOption('--as-of <moment>', 'a position (e.g. 1234) or a time (e.g. 2026-01-31T12:00:00Z)')
    .requiredOption('--out <dir>', 'an empty or new directory')
    .action(async (options: { project: string; asOf: string; out: string }) => (await import('./commands/time-travel-commands.js')).replayCommand(env, options));
  program
    .command('export')
    .description('Export history in other formats')
    .command('git')
    .description('Write a project\'s file history as a git repository: one commit per command, author and time from the events')
    .requiredOption('--project <id>', 'the project id')
    .requiredOption('--out <dir>', 'an empty or new directory')
    .action(async (options: { project: string; out: string }) => (await import('./commands/time-travel-commands.js')).exportGitCommand(env, options));

  program
    .command('check')
    .description('Lint files with pylint, mypy, ruff and ESLint as the server does; print the findings, score and grade')
    .argument('<files...>', 'Python, JavaScript or TypeScript files (the folders around them are read as their project, not checked)')
    .option('--linters <list>', 'comma-separated: pylint, mypy, ruff, eslint (default: every linter of the languages given)')
    .option('--language <language>', 'check only files of this language: python, javascript, typescript')
    .option('--sarif <file>', 'also write the result as SARIF 2.1.0 to this file')
    .option('--json', 'print the whole result as JSON')
    .option('--min-score <score>', 'exit with code 1 when the score is below this (0-100)')
    .action(async (files: string[], options: CheckOptions) => {
      process.exitCode = await (await import('./commands/check-command.js')).checkCommand(files, options, env);
    });

  // Groups that register their own subcommands: loaded only when invoked; otherwise a line in the help.
  if (invoked === 'template' || invoked === 'help') (await import('./commands/template-command.js')).templateCommand(program);
  else program.command('template').description('The template marketplace: list, show, preview and apply templates (rendered locally)');
  if (invoked === 'analytics' || invoked === 'help') (await import('./commands/analytics-command.js')).analyticsCommand(program, env);
  else program.command('analytics').description("Analysts' tools over a project's history (reads this configuration's stores)");

  return program;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await (await buildProgram(env, argv)).parseAsync([...argv]);
  } catch (error) {
    process.stderr.write(`resoft: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
