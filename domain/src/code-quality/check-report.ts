/**
 * A check as a reader sees it, folded from its events: status, files, one
 * entry per linter with its findings, the score. The read model stores this
 * shape and `POST /api/code-quality/check?wait=true` answers with it, so
 * both say the same thing.
 */
import type { CheckEvent, CheckSource, LinterResult } from './check-decider.js';
import type { Finding, Language, LinterName, SeverityCounts } from './check-model.js';
import type { Grade, IncompleteLinter, ToolScore } from './scoring.js';

export interface CheckReport {
  readonly id: string;
  readonly projectId: string | null;
  readonly requestedBy: string;
  /** `partial`: finished and scored, but some linter did not finish cleanly (see `incomplete`); its grade is at best B. */
  readonly status: 'requested' | 'running' | 'completed' | 'partial' | 'failed';
  readonly source: CheckSource;
  readonly files: readonly { path: string; language: Language; lines: number; origin?: { fileId: string; version: number } }[];
  readonly ignoredFiles: readonly { path: string; reason: string }[];
  /** How many other files of the project tree the linters read (imports resolve against them) without checking them. */
  readonly contextFiles?: number;
  readonly linters: readonly LinterName[];
  readonly results: readonly (Omit<LinterResult, 'findings'> & { score: number | null })[];
  readonly findings: readonly Finding[];
  readonly score: number | null;
  readonly grade: Grade | null;
  readonly formulaVersion: number | null;
  readonly counts: SeverityCounts;
  readonly failureReason: string | null;
  /** For a partial check, each linter that did not finish cleanly and why. */
  readonly incomplete: readonly IncompleteLinter[];
  readonly requestedAt: string;
  readonly finishedAt: string | null;
  /** Global position of the check's last event. */
  readonly position: number;
}

export interface TimedCheckEvent {
  readonly event: CheckEvent;
  readonly occurredAt: string;
  readonly position: number;
}

export function applyCheckEvent(report: CheckReport | null, { event, occurredAt, position }: TimedCheckEvent): CheckReport | null {
  if (event.type === 'CheckRequested') {
    const d = event.data;
    return {
      id: d.checkId, projectId: d.projectId, requestedBy: d.requestedBy, status: 'requested', source: d.source,
      files: d.files.filter((f) => !f.context).map((f) => ({ path: f.path, language: f.language, lines: f.lines, ...(f.origin ? { origin: f.origin } : {}) })),
      contextFiles: d.files.filter((f) => f.context).length,
      ignoredFiles: d.ignoredFiles, linters: d.linters, results: [], findings: [], score: null, grade: null, formulaVersion: null,
      counts: { error: 0, warning: 0, info: 0 }, failureReason: null, incomplete: [], requestedAt: occurredAt, finishedAt: null, position,
    };
  }
  if (!report) return null;
  switch (event.type) {
    case 'CheckStarted':
      return { ...report, status: 'running', results: [], findings: [], position };
    case 'LinterFinished': {
      const { checkId: _c, projectId: _p, findings, ...result } = event.data;
      return { ...report, results: [...report.results, { ...result, score: null }], findings: [...report.findings, ...findings], position };
    }
    case 'CheckCompleted': {
      const scores = new Map<LinterName, ToolScore>(event.data.breakdown.map((tool) => [tool.linter, tool]));
      const incomplete = event.data.incomplete ?? [];
      return {
        ...report, status: incomplete.length > 0 ? 'partial' : 'completed', incomplete, score: event.data.score, grade: event.data.grade, formulaVersion: event.data.formulaVersion,
        counts: event.data.counts, results: report.results.map((r) => ({ ...r, score: scores.get(r.linter)?.score ?? null })),
        finishedAt: occurredAt, position,
      };
    }
    case 'CheckFailed':
      return { ...report, status: 'failed', failureReason: event.data.reason, finishedAt: occurredAt, position };
  }
}

export const foldCheckReport = (events: readonly TimedCheckEvent[]): CheckReport | null =>
  events.reduce<CheckReport | null>(applyCheckEvent, null);

/** Findings of `current` whose fingerprint the previous run did not have. */
export function newSince(current: readonly Finding[], previous: readonly Finding[]): Finding[] {
  const seen = new Set(previous.map((f) => f.fingerprint));
  return current.filter((f) => !seen.has(f.fingerprint));
}
