/**
 * ESLint in a worker thread, so linting never holds the server's event loop:
 * one warm instance with our flat configuration (ESLint's recommended rules;
 * typescript-eslint's for TypeScript). `overrideConfigFile: true` means no
 * configuration file is looked up. Disable directives (`eslint-disable…`)
 * are honoured and what they suppressed is counted (inline-suppressions.ts;
 * configuration comments reach us neutralised). Two instances: ES modules,
 * and CommonJS for `.cjs` files and `.js` files whose package.json says so
 * (the caller decides each file's source type). ESLint
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
  readonly files: readonly { path: string; content: string; sourceType?: 'module' | 'commonjs' }[];
  readonly maxPerFile: number;
}

/** What the rule behind a message is, by its own metadata (eslint-severity.ts turns it into a severity). */
export interface EslintMessageKind {
  readonly fatal: boolean;
  readonly type: 'problem' | 'suggestion' | 'layout' | null;
  readonly recommended: boolean;
}

export interface EslintMessage {
  readonly ruleId: string;
  readonly kind: EslintMessageKind;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number | null;
  readonly endColumn: number | null;
  readonly fix: { range: [number, number]; text: string } | null;
  readonly helpUri: string | null;
}

export type EslintReply =
  | {
    readonly id: number; readonly version: string;
    /** Per file: the kept messages, every message's kind with its count (kept or not), how many were dropped and suppressed. */
    readonly files: readonly { path: string; messages: EslintMessage[]; kinds: { kind: EslintMessageKind; count: number }[]; dropped: number; suppressed: number }[];
  }
  | { readonly id: number; readonly error: string };

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const JS_FILES = ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'];

const flatConfig = (sourceType: 'module' | 'commonjs'): EslintCore.Config[] => [
  { files: [...JS_FILES, ...TS_FILES], ...js.configs.recommended },
  {
    files: [...JS_FILES, ...TS_FILES],
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    languageOptions: { ecmaVersion: 'latest', sourceType, globals: { ...globals.browser, ...globals.node }, parserOptions: { ecmaFeatures: { jsx: true } } },
  },
  ...(tseslint.configs.recommended as EslintCore.Config[]).map((config) => ({ ...config, files: config.files ?? TS_FILES })),
];

// Submitted paths are resolved under this folder; with overrideConfigFile nothing in it is ever read.
const cwd = path.join(os.tmpdir(), 'resoft-eslint-cwd');
mkdirSync(cwd, { recursive: true });
const engines = {
  module: new ESLint({ cwd, overrideConfigFile: true, overrideConfig: flatConfig('module'), allowInlineConfig: true, ignore: false }),
  commonjs: new ESLint({ cwd, overrideConfigFile: true, overrideConfig: flatConfig('commonjs'), allowInlineConfig: true, ignore: false }),
};

type RuleMeta = Record<string, { type?: string; docs?: { url?: string; recommended?: unknown } } | undefined>;

function kindOf(message: EslintCore.LintMessage, meta: RuleMeta): EslintMessageKind {
  const rule = message.ruleId ? meta[message.ruleId] : undefined;
  const type = rule?.type === 'problem' || rule?.type === 'suggestion' || rule?.type === 'layout' ? rule.type : null;
  // typescript-eslint writes `recommended` as a level ("recommended", "strict"…) or an object; core rules as true.
  const recommended = rule?.docs?.recommended;
  return { fatal: message.fatal === true, type, recommended: recommended === true || recommended === 'recommended' || (typeof recommended === 'object' && recommended !== null && 'recommended' in recommended) };
}

async function lint(job: EslintJob): Promise<EslintReply> {
  const files = [];
  for (const file of job.files) {
    const engine = engines[file.sourceType ?? 'module'];
    const results = await engine.lintText(file.content, { filePath: path.join(cwd, file.path), warnIgnored: false });
    const meta = engine.getRulesMetaForResults(results) as RuleMeta;
    // A disable directive naming a rule we do not load (a plugin's) makes ESLint report "Definition for rule … was
    // not found": about our configuration, not the code, so not a finding.
    const all = results.flatMap((r) => r.messages).filter((m) => m.fatal || !m.ruleId || meta[m.ruleId] !== undefined);
    const suppressed = results.reduce((sum, r) => sum + r.suppressedMessages.length, 0);
    const kinds = new Map<string, { kind: EslintMessageKind; count: number }>();
    for (const m of all) {
      const kind = kindOf(m, meta);
      const key = JSON.stringify(kind);
      const entry = kinds.get(key);
      if (entry) entry.count += 1;
      else kinds.set(key, { kind, count: 1 });
    }
    const kept = all.slice(0, job.maxPerFile).map((m): EslintMessage => {
      const ruleId = m.ruleId ?? (m.fatal ? 'parse-error' : 'eslint');
      return {
        ruleId, kind: kindOf(m, meta), message: m.message, line: m.line, column: m.column, endLine: m.endLine ?? null, endColumn: m.endColumn ?? null,
        fix: m.fix ? { range: m.fix.range, text: m.fix.text } : null, helpUri: (m.ruleId && meta[m.ruleId]?.docs?.url) || null,
      };
    });
    files.push({ path: file.path, messages: kept, kinds: [...kinds.values()], dropped: all.length - kept.length, suppressed });
  }
  return { id: job.id, version: ESLint.version, files };
}

parentPort?.on('message', (job: EslintJob) => {
  lint(job).then(
    (reply) => parentPort!.postMessage(reply),
    (error: Error) => parentPort!.postMessage({ id: job.id, error: error.message } satisfies EslintReply),
  );
});
