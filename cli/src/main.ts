/** The `resoft` command line: start the server, rebuild read models, verify and export the audit trail, use the template catalog. */
import { Command } from 'commander';
import { loadConfig, rotateAuditKey } from '@resoft/infra';
import { auditExportCommand, auditVerifyBundleCommand } from './commands/audit-bundle-commands.js';
import { analyticsCommand } from './commands/analytics-command.js';
import { auditVerifyCommand } from './commands/audit-verify-command.js';
import { exportGitCommand, replayCommand } from './commands/time-travel-commands.js';
import { checkCommand, type CheckOptions } from './commands/check-command.js';
import { REBUILD_ARGUMENT_HELP, rebuildCommand } from './commands/rebuild-command.js';
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
    .argument('[projection...]', REBUILD_ARGUMENT_HELP)
    .action(async (names: string[]) => rebuildCommand(names, env));

  const audit = program.command('audit').description('Audit trail tools: verify the log or a bundle, export a project\'s bundle, rotate the signing key');
  audit
    .command('verify')
    .description('Verify every stream\'s hash chain and the signed audit log, or (--bundle) an audit bundle offline; prints OK or the first bad position (exit code 1)')
    .option('--json', 'print the report as JSON')
    .option('--bundle <file>', 'verify this audit bundle (zip) instead of the local stores')
    .option('--keys <jwks>', 'with --bundle: trust these public keys (JWKS file) instead of the ones inside the bundle')
    .action(async (options: { json?: boolean; bundle?: string; keys?: string }) => {
      const ok = options.bundle ? auditVerifyBundleCommand(options.bundle, options) : await auditVerifyCommand(env, options);
      if (!ok) process.exitCode = 1;
    });
  audit
    .command('export')
    .description('Write a project\'s audit bundle: every event of its streams, inclusion proofs, the signed tree head, the public keys')
    .requiredOption('--project <id>', 'the project id')
    .requiredOption('--out <file>', 'where to write the zip, e.g. bundle.zip')
    .action(async (options: { project: string; out: string }) => auditExportCommand(env, options));
  audit
    .command('rotate-key')
    .description('Make a new Ed25519 key sign tree heads from the next start on; old keys stay trusted (in <data dir>/keys/audit)')
    .action(() => {
      process.stdout.write(`New audit signing key ${rotateAuditKey(loadConfig(env).dataDir)}; restart the server (or projectors) to sign with it\n`);
    });

  program
    .command('replay')
    .description('Write a project\'s files as they were at a moment (a global position or an ISO-8601 time)')
    .requiredOption('--project <id>', 'the project id')
    .requiredOption('--as-of <moment>', 'a position (e.g. 1234) or a time (e.g. 2026-01-31T12:00:00Z)')
    .requiredOption('--out <dir>', 'an empty or new directory')
    .action(async (options: { project: string; asOf: string; out: string }) => replayCommand(env, options));
  program
    .command('export')
    .description('Export history in other formats')
    .command('git')
    .description('Write a project\'s file history as a git repository: one commit per command, author and time from the events')
    .requiredOption('--project <id>', 'the project id')
    .requiredOption('--out <dir>', 'an empty or new directory')
    .action(async (options: { project: string; out: string }) => exportGitCommand(env, options));

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
