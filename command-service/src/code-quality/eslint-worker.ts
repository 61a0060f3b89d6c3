/**
 * ESLint in a worker thread, so linting never holds the server's event loop:
 * one warm instance with our flat configuration (ESLint's recommended rules;
 * typescript-eslint's for TypeScript). `overrideConfigFile: true` means no
 * configuration file is looked up, and inline configuration comments in the
 * submitted code are not honoured either: rules come from us only. ESLint
 * never runs the code it reads. Each file's messages are cut to the
 * per-file cap here (the counts keep everything), so a file with 60 000
 * findings sends 200 back. Imports nothing of ours: it runs from the
 * compiled file on its own.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import js from '@eslint/js';
import { ESLint, type Linter as EslintCore } from 'eslint';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export interface EslintJob {
  readonly id: number;
  readonly files: readonly { path: string; content: string }[];
  readonly maxPerFile: number;
}

export interface EslintMessage {
  readonly ruleId: string;
  readonly error: boolean;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number | null;
  readonly endColumn: number | null;
  readonly fix: { range: [number, number]; text: string } | null;
  readonly helpUri: string | null;
}

export type EslintReply =
  | { readonly id: number; readonly version: string; readonly files: readonly { path: string; messages: EslintMessage[]; errors: number; warnings: number; dropped: number }[] }
  | { readonly id: number; readonly error: string };

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const JS_FILES = ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'];

const flatConfig = (): EslintCore.Config[] => [
  { files: [...JS_FILES, ...TS_FILES], ...js.configs.recommended },
  { files: [...JS_FILES, ...TS_FILES], languageOptions: { ecmaVersion: 'latest', sourceType: 'module', globals: { ...globals.browser, ...globals.node }, parserOptions: { ecmaFeatures: { jsx: true } } } },
  ...(tseslint.configs.recommended as EslintCore.Config[]).map((config) => ({ ...config, files: config.files ?? TS_FILES })),
];

// Submitted paths are resolved under this folder; with overrideConfigFile nothing in it is ever read.
const cwd = path.join(os.tmpdir(), 'resoft-eslint-cwd');
mkdirSync(cwd, { recursive: true });
const engine = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: flatConfig(), allowInlineConfig: false, ignore: false });

async function lint(job: EslintJob): Promise<EslintReply> {
  const files = [];
  for (const file of job.files) {
    const results = await engine.lintText(file.content, { filePath: path.join(cwd, file.path), warnIgnored: false });
    const meta = engine.getRulesMetaForResults(results);
    const all = results.flatMap((r) => r.messages);
    const errors = all.filter((m) => m.severity === 2 || m.fatal).length;
    const kept = all.slice(0, job.maxPerFile).map((m): EslintMessage => {
      const ruleId = m.ruleId ?? (m.fatal ? 'parse-error' : 'eslint');
      return {
        ruleId, error: m.severity === 2 || m.fatal === true, message: m.message, line: m.line, column: m.column, endLine: m.endLine ?? null, endColumn: m.endColumn ?? null,
        fix: m.fix ? { range: m.fix.range, text: m.fix.text } : null, helpUri: (m.ruleId && meta[m.ruleId]?.docs?.url) || null,
      };
    });
    files.push({ path: file.path, messages: kept, errors, warnings: all.length - errors, dropped: all.length - kept.length });
  }
  return { id: job.id, version: ESLint.version, files };
}

parentPort?.on('message', (job: EslintJob) => {
  lint(job).then(
    (reply) => parentPort!.postMessage(reply),
    (error: Error) => parentPort!.postMessage({ id: job.id, error: error.message } satisfies EslintReply),
  );
});
