/**
 * Answers of the code-quality routes: a check (its report, as domain/src/code-quality/check-report.ts
 * folds it, with what is new since the previous run), its sources, a project's check history, and
 * what the deployment's runner can run. Findings are SARIF 2.1.0 shaped (domain/src/code-quality/check-model.ts).
 */
import { z } from 'zod';
import { Position, Timestamp } from '../http/written.js';

export const Language = z.enum(['python', 'javascript', 'typescript']);
export const LinterName = z.enum(['pylint', 'mypy', 'ruff', 'eslint']);
export const Severity = z.enum(['error', 'warning', 'info']);
export const Grade = z.enum(['A', 'B', 'C', 'D', 'E']);
export const CheckStatus = z.enum(['requested', 'running', 'completed', 'partial', 'failed']);

const Count = z.number().int().min(0);

/** Lines and columns count from 1; `endColumn` is the column after the last character (SARIF). */
export const Region = z.object({ startLine: z.number().int(), startColumn: z.number().int(), endLine: z.number().int(), endColumn: z.number().int() });

export const Finding = z.object({
  tool: LinterName,
  ruleId: z.string(),
  level: z.enum(['error', 'warning', 'note']).describe('SARIF level'),
  severity: Severity,
  message: z.string(),
  uri: z.string().describe("The file's path as submitted"),
  region: Region,
  helpUri: z.string().nullable(),
  fixes: z.array(z.object({ description: z.string(), replacements: z.array(z.object({ region: Region, insertedText: z.string() })) })),
  fingerprint: z.string().describe('Rule + file + normalised line text: stable when lines move'),
  alsoReportedBy: z.array(z.object({ tool: LinterName, ruleId: z.string() })).optional().describe('Other linters that reported the same problem at the same place'),
});
export type Finding = z.infer<typeof Finding>;

export const SeverityCounts = z.object({ error: Count, warning: Count, info: Count });
export type SeverityCounts = z.infer<typeof SeverityCounts>;

/** How one linter's run ended, with its score (null unless it ran cleanly). */
export const LinterRun = z.object({
  linter: LinterName,
  status: z.enum(['ok', 'unavailable', 'timeout', 'error']),
  version: z.string().nullable(),
  durationMs: Count,
  message: z.string().nullable().describe('What went wrong, for any status but ok'),
  counts: SeverityCounts,
  codeLines: Count,
  nativeScore: z.number().nullable().describe("pylint's own score out of 10"),
  truncated: z.object({ findingsDropped: Count, outputCapped: z.boolean() }),
  suppressed: Count.optional(),
  merged: Count.optional(),
  notInstalled: z.array(z.object({ module: z.string(), declared: z.boolean().nullable() })).optional(),
  score: z.number().nullable(),
});

/** A check as its events fold it (the `check` of `POST /api/code-quality/check?wait=true`). */
export const CheckReport = z.object({
  id: z.string(),
  projectId: z.string().nullable(),
  requestedBy: z.string(),
  status: CheckStatus.describe('partial: finished and scored, but some linter did not finish cleanly (see incomplete)'),
  source: z.enum(['paste', 'upload', 'project_file']),
  files: z.array(z.object({ path: z.string(), language: Language, lines: Count, origin: z.object({ fileId: z.string(), version: z.number().int() }).optional() })),
  ignoredFiles: z.array(z.object({ path: z.string(), reason: z.string() })),
  contextFiles: Count.optional().describe('Other files of the project tree the linters read without checking them'),
  linters: z.array(LinterName),
  results: z.array(LinterRun),
  findings: z.array(Finding),
  score: z.number().nullable(),
  grade: Grade.nullable(),
  formulaVersion: z.number().int().nullable(),
  counts: SeverityCounts,
  failureReason: z.string().nullable(),
  incomplete: z.array(z.object({ linter: LinterName, reason: z.string() })),
  requestedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  position: Position.describe("Global position of the check's last event"),
});
export type CheckReport = z.infer<typeof CheckReport>;

/** `GET /api/code-quality/checks/{checkId}`: the report, and the findings not in the previous completed run. */
export const CheckAnswer = CheckReport.extend({
  newSinceLastRun: z.object({ previousCheckId: z.string(), count: Count, findings: z.array(Finding) }).nullable().describe('Null when there is no previous completed run to compare with'),
});
export type CheckAnswer = z.infer<typeof CheckAnswer>;

/** A checked file with its text, from the source store. */
export const CheckedSource = z.object({
  path: z.string(),
  language: Language,
  sha256: z.string().describe('Hex SHA-256 of the UTF-8 text'),
  bytes: Count,
  lines: Count,
  origin: z.object({ fileId: z.string(), version: z.number().int() }).optional(),
  content: z.string(),
});

/** `GET …/export?format=json` (`sources` with `?sources=true`); SARIF and Markdown come as their own media types. */
export const CheckExport = CheckAnswer.extend({ sources: z.array(CheckedSource).optional() });
/** The other forms of an export: `?format=sarif` and `?format=markdown`. */
export const CHECK_EXPORT_MEDIA_TYPES = ['application/sarif+json', 'text/markdown'] as const;

export const CheckSources = z.object({ id: z.string(), files: z.array(CheckedSource) });

/** One run of a project's check history. */
export const CheckHistoryItem = z.object({
  id: z.string(),
  status: CheckStatus,
  score: z.number().nullable(),
  grade: Grade.nullable(),
  formulaVersion: z.number().int().nullable(),
  counts: SeverityCounts,
  files: z.array(z.string()).describe('Paths checked'),
  linters: z.array(LinterName),
  requestedBy: z.string(),
  requestedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  position: Position,
  newSinceLastRun: Count.nullable().describe('Findings not in the previous completed run; null for the first'),
});
export type CheckHistoryItem = z.infer<typeof CheckHistoryItem>;
export const CheckHistory = z.object({
  items: z.array(CheckHistoryItem).describe('Newest first'),
  trend: z.array(z.object({ checkId: z.string(), finishedAt: Timestamp.nullable(), score: z.number().nullable(), grade: Grade.nullable() })).describe('Completed runs, oldest first'),
});
export type CheckHistory = z.infer<typeof CheckHistory>;

/** `POST /api/code-quality/check`, 202: accepted (or still running after `wait`). */
export const CheckAccepted = z.object({ id: z.string(), position: Position, status: CheckStatus });
export type CheckAccepted = z.infer<typeof CheckAccepted>;
/** `POST /api/code-quality/check?wait=true`, 200: finished within the wait. */
export const CheckFinished = CheckAccepted.extend({ check: CheckReport });
export type CheckFinished = z.infer<typeof CheckFinished>;

export const LinterInfo = z.object({
  name: LinterName,
  languages: z.array(Language),
  options: z.array(z.string()).describe('How this deployment runs it'),
  available: z.boolean(),
  version: z.string().nullable(),
  reason: z.string().nullable().describe('Why it is unavailable'),
});
export type LinterInfo = z.infer<typeof LinterInfo>;

export const Linters = z.object({
  linters: z.array(LinterInfo),
  memoryBounded: z.boolean(),
  bounds: z.object({
    maxFiles: Count, maxFileBytes: Count, maxFindingsPerFile: Count, timeoutMs: Count, memoryMb: Count,
    outputBytes: Count, waitMs: Count, maxOpenPerUser: Count, maxOpenPerProject: Count,
  }),
});
export type Linters = z.infer<typeof Linters>;

export const CodeQualityHealth = z.object({
  status: z.enum(['ok', 'degraded']),
  isolation: z.enum(['bubblewrap', 'none (opted in)', 'unavailable']).describe('How Python linters are isolated'),
  linters: z.record(z.string(), z.enum(['available', 'unavailable'])),
  runner: z.object({
    runnerId: z.string(), workers: Count, running: Count, queued: Count, completed: Count, failed: Count, following: z.boolean(),
  }).nullable().describe('Null where this process runs no checks'),
});
