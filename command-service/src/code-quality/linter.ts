/**
 * What every linter adapter offers: whether it is available (and its
 * version), and a run over a set of files that ends in a `LinterResult`
 * (never a throw). Also the helpers that turn a tool's raw findings into the
 * common finding record and cap them per file.
 */
import {
  countBySeverity, findingFingerprint, lineOf, SARIF_LEVEL,
  type CheckFile, type Finding, type Fix, type Language, type LinterName, type LinterResult, type Region, type Severity, type SeverityCounts,
} from '@resoft/domain';
import type { DeclaredRequirements } from './declared-requirements.js';

export interface LinterBounds {
  readonly timeoutMs: number;
  readonly memoryBytes: number;
  readonly outputBytes: number;
  readonly maxFindingsPerFile: number;
}

export interface LinterAvailability {
  readonly available: boolean;
  readonly version: string | null;
  /** Why it is unavailable. */
  readonly reason: string | null;
}

export interface LinterInfo extends LinterAvailability {
  readonly name: LinterName;
  readonly languages: readonly Language[];
  /** How this deployment runs it, e.g. "our rcfile, --persistent=n". */
  readonly options: readonly string[];
}

/** What a run knows of the project beyond its files. */
export interface LinterRunContext {
  /** The distributions the project declares, when it declares any. */
  readonly requirements?: DeclaredRequirements | null;
  /** `type` of each package.json that came with the check, by its folder ('' for the root): JavaScript's source type. */
  readonly packageTypes?: Readonly<Record<string, 'module' | 'commonjs'>>;
}

export interface Linter {
  readonly name: LinterName;
  readonly languages: readonly Language[];
  readonly options: readonly string[];
  availability(): Promise<LinterAvailability>;
  /** Lints the files not marked `context` (context files are part of the tree it sees). */
  run(files: readonly CheckFile[], bounds: LinterBounds, context?: LinterRunContext): Promise<LinterResult>;
}

/** What an adapter extracts from its tool before the common record is made. */
export interface RawFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly path: string;
  readonly region: Region;
  readonly helpUri: string | null;
  readonly fixes: readonly Fix[];
}

export const codeLines = (files: readonly CheckFile[]): number =>
  files.reduce((sum, f) => sum + f.content.split('\n').filter((line) => line.trim() !== '').length, 0);

/** A region whose end is missing or before its start is made a point, so every record is well formed. */
export function region(startLine: number, startColumn: number, endLine: number | null | undefined, endColumn: number | null | undefined): Region {
  const sl = Math.max(1, startLine || 1);
  const sc = Math.max(1, startColumn || 1);
  const el = endLine && endLine >= sl ? endLine : sl;
  const ec = endColumn && (el > sl || endColumn >= sc) ? endColumn : sc;
  return { startLine: sl, startColumn: sc, endLine: el, endColumn: ec };
}

/** However many files a check has, a linter lists at most this many findings (the rest are counted), so its event stays bounded. */
export const MAX_FINDINGS_PER_LINTER = 2000;

/**
 * Turns raw findings into records with fingerprints, keeping at most `maxPerFile` per file (earliest lines
 * first) and `MAX_FINDINGS_PER_LINTER` in all. Linear in the number of findings (plus a sort per file), so
 * a flood of findings costs little.
 */
export function toFindings(tool: LinterName, raw: readonly RawFinding[], files: readonly CheckFile[], maxPerFile: number): { findings: Finding[]; dropped: number } {
  const contentOf = new Map(files.map((f) => [f.path, f.content]));
  const linesOf = new Map<string, string[]>();
  const byFile = new Map<string, RawFinding[]>();
  for (const finding of raw) {
    const list = byFile.get(finding.path);
    if (list) list.push(finding);
    else byFile.set(finding.path, [finding]);
  }
  const findings: Finding[] = [];
  let dropped = 0;
  for (const [path, list] of byFile) {
    list.sort((a, b) => a.region.startLine - b.region.startLine || a.region.startColumn - b.region.startColumn);
    const room = Math.max(0, Math.min(maxPerFile, MAX_FINDINGS_PER_LINTER - findings.length));
    dropped += list.length - Math.min(list.length, room);
    if (room === 0) continue;
    // Split each file's text once, and only for files that have findings kept.
    let lines = linesOf.get(path);
    if (!lines) linesOf.set(path, (lines = (contentOf.get(path) ?? '').split('\n')));
    for (const f of list.slice(0, room)) {
      findings.push({
        tool, ruleId: f.ruleId, level: SARIF_LEVEL[f.severity], severity: f.severity, message: f.message.slice(0, 2000), uri: path, region: f.region,
        helpUri: f.helpUri, fixes: f.fixes, fingerprint: findingFingerprint(f.ruleId, path, lineOf(lines, f.region.startLine)),
      });
    }
  }
  return { findings, dropped };
}

/**
 * The result of a run that produced findings. A tool that capped its findings itself (ESLint's worker)
 * passes the counts of everything it found and how many it left out.
 */
export function okResult(
  tool: LinterName, raw: readonly RawFinding[], files: readonly CheckFile[], bounds: LinterBounds,
  extra: { version: string | null; durationMs: number; nativeScore?: number | null; outputCapped?: boolean; counts?: SeverityCounts; droppedEarlier?: number },
): LinterResult {
  const { findings, dropped } = toFindings(tool, raw, files, bounds.maxFindingsPerFile);
  return {
    linter: tool, status: 'ok', version: extra.version, durationMs: extra.durationMs, message: null, findings,
    counts: extra.counts ?? countBySeverity(raw), codeLines: codeLines(files), nativeScore: extra.nativeScore ?? null,
    truncated: { findingsDropped: dropped + (extra.droppedEarlier ?? 0), outputCapped: extra.outputCapped ?? false },
  };
}

/** The result of a run that did not produce findings: unavailable, timed out, or failed. */
export function failedResult(tool: LinterName, status: Exclude<LinterResult['status'], 'ok'>, message: string, extra: { version: string | null; durationMs: number; outputCapped?: boolean }): LinterResult {
  return {
    linter: tool, status, version: extra.version, durationMs: extra.durationMs, message: message.slice(0, 2000), findings: [],
    counts: { error: 0, warning: 0, info: 0 }, codeLines: 0, nativeScore: null, truncated: { findingsDropped: 0, outputCapped: extra.outputCapped ?? false },
  };
}
