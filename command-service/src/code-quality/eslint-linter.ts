/**
 * ESLint in process through its Node API, warm: one instance with our flat
 * configuration (ESLint's recommended rules; typescript-eslint's for
 * TypeScript) is built once and reused. `overrideConfigFile: true` means no
 * configuration file is looked up, and inline configuration comments in the
 * submitted code are not honoured either: rules come from us only. ESLint
 * never runs the code it reads; it is bounded by the file size and count.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import js from '@eslint/js';
import { ESLint, type Linter as EslintCore } from 'eslint';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { languageOfPath, type CheckFile, type Fix, type LinterResult, type Region } from '@resoft/domain';
import { failedResult, okResult, region, type Linter, type LinterAvailability, type LinterBounds, type RawFinding } from './linter.js';

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const JS_FILES = ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'];

const flatConfig = (): EslintCore.Config[] => [
  { files: [...JS_FILES, ...TS_FILES], ...js.configs.recommended },
  { files: [...JS_FILES, ...TS_FILES], languageOptions: { ecmaVersion: 'latest', sourceType: 'module', globals: { ...globals.browser, ...globals.node }, parserOptions: { ecmaFeatures: { jsx: true } } } },
  ...(tseslint.configs.recommended as EslintCore.Config[]).map((config) => ({ ...config, files: config.files ?? TS_FILES })),
];

/** 1-based line and column of a character offset. */
function positionAt(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - lineStarts[low]! + 1 };
}

function rangeRegion(lineStarts: readonly number[], [start, end]: readonly [number, number]): Region {
  const from = positionAt(lineStarts, start);
  const to = positionAt(lineStarts, end);
  return region(from.line, from.column, to.line, to.column);
}

export class EslintLinter implements Linter {
  readonly name = 'eslint' as const;
  readonly languages = ['javascript', 'typescript'] as const;
  readonly options = ['overrideConfigFile: true', 'allowInlineConfig: false', '@eslint/js recommended', 'typescript-eslint recommended (TypeScript)'];
  private engine: ESLint | null = null;
  private cwd = '';

  private warm(): ESLint {
    // Submitted paths are resolved under this folder; with overrideConfigFile nothing in it is ever read, so one shared folder serves every instance.
    if (!this.engine) {
      this.cwd = path.join(os.tmpdir(), 'resoft-eslint-cwd');
      mkdirSync(this.cwd, { recursive: true });
    }
    this.engine ??= new ESLint({
      cwd: this.cwd,
      overrideConfigFile: true,
      overrideConfig: flatConfig(),
      allowInlineConfig: false,
      ignore: false,
    });
    return this.engine;
  }

  async availability(): Promise<LinterAvailability> {
    try {
      this.warm();
      return { available: true, version: ESLint.version, reason: null };
    } catch (error) {
      return { available: false, version: null, reason: `ESLint could not start: ${(error as Error).message}` };
    }
  }

  async run(files: readonly CheckFile[], bounds: LinterBounds): Promise<LinterResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const engine = this.warm();
      const raw: RawFinding[] = [];
      const linted = files.filter((f) => languageOfPath(f.path) === 'javascript' || languageOfPath(f.path) === 'typescript');
      for (const file of linted) {
        const filePath = path.join(this.cwd, file.path);
        const results = await engine.lintText(file.content, { filePath, warnIgnored: false });
        const meta = engine.getRulesMetaForResults(results);
        const lineStarts = [0];
        for (let i = 0; i < file.content.length; i += 1) if (file.content[i] === '\n') lineStarts.push(i + 1);
        for (const message of results.flatMap((r) => r.messages)) {
          const ruleId = message.ruleId ?? (message.fatal ? 'parse-error' : 'eslint');
          const fixes: Fix[] = message.fix ? [{ description: `Fix ${ruleId}`, replacements: [{ region: rangeRegion(lineStarts, message.fix.range), insertedText: message.fix.text }] }] : [];
          raw.push({
            ruleId, severity: message.severity === 2 || message.fatal ? 'error' : 'warning', message: message.message, path: file.path,
            region: region(message.line, message.column, message.endLine, message.endColumn),
            helpUri: (message.ruleId && meta[message.ruleId]?.docs?.url) || null, fixes,
          });
        }
      }
      return okResult(this.name, raw, linted, bounds, { version: ESLint.version, durationMs: elapsed() });
    } catch (error) {
      return failedResult(this.name, 'error', `ESLint failed: ${(error as Error).message}`, { version: ESLint.version, durationMs: elapsed() });
    }
  }
}
