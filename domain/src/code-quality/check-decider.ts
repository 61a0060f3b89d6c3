/**
 * A code-quality check, one `check-<checkId>` stream: requested by a user
 * (inside a project, or personal), claimed by a runner for a lease, one
 * `LinterFinished` per requested linter, then completed with a score (partial
 * when a linter did not finish cleanly: it says which and why) or failed with
 * a reason. Every event carries `projectId` (null for a personal
 * check) so project checks reach the project's rooms.
 */
import type { Decider } from '../shared/decider.js';
import { reject } from '../shared/domain-error.js';
import type { ProjectContext } from '../shared/project-context.js';
import { requireProjectRole } from '../projects/project-decider.js';
import type { Finding, LinterName, SeverityCounts } from './check-model.js';
import { withoutContent, type CheckedFile, type RecordedCheckedFile } from './checked-file.js';
import { scoreCheck, scoringFormula, type CheckScore, type IncompleteLinter } from './scoring.js';

export type CheckSource = 'paste' | 'upload' | 'project_file';

/** How a linter's run ended. Only `ok` runs are scored; any other makes the check partial. */
export type LinterStatus = 'ok' | 'unavailable' | 'timeout' | 'error';

export interface LinterResult {
  readonly linter: LinterName;
  readonly status: LinterStatus;
  readonly version: string | null;
  readonly durationMs: number;
  /** What went wrong, for any status but `ok`. */
  readonly message: string | null;
  readonly findings: readonly Finding[];
  /** Counts of everything the tool reported, before findings were capped. */
  readonly counts: SeverityCounts;
  readonly codeLines: number;
  /** pylint's own score out of 10. */
  readonly nativeScore: number | null;
  /** Findings dropped by the per-file cap, and whether the tool's output was cut at the output cap. */
  readonly truncated: { readonly findingsDropped: number; readonly outputCapped: boolean };
  /** Findings an inline suppression comment hid (honoured, not listed, counted). Absent from results recorded before suppressions were counted. */
  readonly suppressed?: number;
  /** Findings left out because another linter reported the same problem (the kept finding names this linter too). */
  readonly merged?: number;
  /** Third-party modules imported but not installed where the check ran: reported once here, never weighed as findings. */
  readonly notInstalled?: readonly NotInstalledModule[];
}

/** An imported module the check could not resolve, and whether the check's requirements list declares it. */
export interface NotInstalledModule {
  readonly module: string;
  /** null when no requirements list came with the check. */
  readonly declared: boolean | null;
}

export interface CheckRequestedData {
  checkId: string;
  projectId: string | null;
  requestedBy: string;
  source: CheckSource;
  linters: LinterName[];
  /** Each file's text is in the source store under its hash (inline only in checks recorded before schema 2). */
  files: RecordedCheckedFile[];
  /** Submitted files that were not linted (tool configuration, unknown kinds), with why. */
  ignoredFiles: { path: string; reason: string }[];
  /** The distributions the project declares (requirements.txt, pyproject.toml), when it declares any. */
  requirements?: { source: string; names: string[] } | null;
  /** `type` of each package.json that came with the check, by folder: the source type of its `.js` files. */
  packageTypes?: Record<string, 'module' | 'commonjs'>;
}

export type CheckEvent =
  | { type: 'CheckRequested'; data: CheckRequestedData }
  | { type: 'CheckStarted'; data: { checkId: string; projectId: string | null; runnerId: string; leaseUntil: number } }
  | { type: 'LinterFinished'; data: { checkId: string; projectId: string | null } & LinterResult }
  | { type: 'CheckCompleted'; data: { checkId: string; projectId: string | null } & CheckScore }
  | { type: 'CheckFailed'; data: { checkId: string; projectId: string | null; reason: string } };

export type CheckStatus = 'none' | 'requested' | 'running' | 'completed' | 'failed';

export interface CheckState {
  readonly status: CheckStatus;
  readonly checkId: string;
  readonly projectId: string | null;
  readonly requestedBy: string;
  readonly linters: readonly LinterName[];
  readonly runnerId: string | null;
  readonly leaseUntil: number;
  /** Per finished linter, only what scoring needs (findings stay in the events). */
  readonly finished: ReadonlyMap<LinterName, Pick<LinterResult, 'status' | 'counts' | 'codeLines' | 'nativeScore' | 'message' | 'truncated' | 'suppressed'>>;
}

export type CheckCommand =
  | {
    type: 'RequestCheck'; checkId: string; actorId: string; project: ProjectContext | null; source: CheckSource;
    linters: LinterName[]; files: CheckedFile[]; ignoredFiles: { path: string; reason: string }[];
    requirements?: { source: string; names: string[] } | null;
    packageTypes?: Record<string, 'module' | 'commonjs'>;
  }
  | { type: 'ClaimCheck'; runnerId: string; now: number; leaseMs: number }
  | { type: 'RecordLinterResult'; runnerId: string; result: LinterResult }
  | { type: 'CompleteCheck'; runnerId: string; formulaVersion: number }
  | { type: 'FailCheck'; runnerId: string; reason: string };

export const checkStreamId = (checkId: string): string => `check-${checkId}`;

const initialState = (): CheckState => ({
  status: 'none', checkId: '', projectId: null, requestedBy: '', linters: [], runnerId: null, leaseUntil: 0, finished: new Map(),
});

function requireRunner(state: CheckState, runnerId: string): void {
  if (state.status === 'none') reject('not_found', 'check_not_found', 'Check not found');
  if (state.status === 'completed' || state.status === 'failed') reject('conflict', 'check_finished', `The check has already ${state.status}`);
  if (state.status !== 'running' || state.runnerId !== runnerId) reject('conflict', 'check_not_claimed', 'This runner does not hold the check');
}

/** The linters that make a check partial: any that did not finish `ok`, and any whose output was cut (its counts are incomplete). */
function incompleteLinters(state: CheckState): IncompleteLinter[] {
  return state.linters.flatMap((linter) => {
    const result = state.finished.get(linter)!;
    if (result.status !== 'ok') return [{ linter, reason: `${result.status}: ${result.message ?? 'no reason given'}` }];
    if (result.truncated?.outputCapped) return [{ linter, reason: 'output cut at the cap: findings incomplete' }];
    return [];
  });
}

function decide(command: CheckCommand, state: CheckState): CheckEvent[] {
  if (command.type === 'RequestCheck') {
    if (state.status !== 'none') reject('conflict', 'check_exists', 'A check with this id already exists');
    if (command.project) requireProjectRole(command.project, command.actorId, 'viewer');
    if (command.files.filter((f) => !f.context).length === 0) reject('invalid', 'no_files', 'Nothing to check: no Python, JavaScript or TypeScript file was submitted');
    if (command.linters.length === 0) reject('invalid', 'no_linters', 'No linter reads the submitted languages');
    return [{
      type: 'CheckRequested',
      data: {
        checkId: command.checkId, projectId: command.project?.projectId ?? null, requestedBy: command.actorId, source: command.source,
        linters: command.linters, files: command.files.map(withoutContent), ignoredFiles: command.ignoredFiles,
        ...(command.requirements ? { requirements: command.requirements } : {}),
        ...(command.packageTypes && Object.keys(command.packageTypes).length > 0 ? { packageTypes: command.packageTypes } : {}),
      },
    }];
  }
  const { checkId, projectId } = state;
  switch (command.type) {
    case 'ClaimCheck':
      if (state.status === 'none') reject('not_found', 'check_not_found', 'Check not found');
      if (state.status === 'completed' || state.status === 'failed') reject('conflict', 'check_finished', `The check has already ${state.status}`);
      // A lease that ran out means its runner died: another may take the check over and run it from the start.
      if (state.status === 'running' && state.leaseUntil > command.now) reject('conflict', 'check_claimed', 'Another runner holds the check');
      return [{ type: 'CheckStarted', data: { checkId, projectId, runnerId: command.runnerId, leaseUntil: command.now + command.leaseMs } }];
    case 'RecordLinterResult':
      requireRunner(state, command.runnerId);
      if (!state.linters.includes(command.result.linter)) reject('invalid', 'linter_not_requested', `${command.result.linter} was not requested`);
      if (state.finished.has(command.result.linter)) reject('conflict', 'linter_finished', `${command.result.linter} has already finished`);
      return [{ type: 'LinterFinished', data: { checkId, projectId, ...command.result } }];
    case 'CompleteCheck': {
      requireRunner(state, command.runnerId);
      const missing = state.linters.filter((linter) => !state.finished.has(linter));
      if (missing.length > 0) reject('conflict', 'linters_running', `Still running: ${missing.join(', ')}`);
      const ran = state.linters.flatMap((linter) => {
        const result = state.finished.get(linter)!;
        return result.status === 'ok' ? [{ linter, counts: result.counts, codeLines: result.codeLines, nativeScore: result.nativeScore, suppressed: result.suppressed ?? 0 }] : [];
      });
      const score = scoreCheck(ran, scoringFormula(command.formulaVersion), incompleteLinters(state));
      if (!score) {
        const reasons = state.linters.map((linter) => `${linter}: ${state.finished.get(linter)!.status}`).join(', ');
        return [{ type: 'CheckFailed', data: { checkId, projectId, reason: `No linter could run (${reasons})` } }];
      }
      return [{ type: 'CheckCompleted', data: { checkId, projectId, ...score } }];
    }
    case 'FailCheck':
      requireRunner(state, command.runnerId);
      return [{ type: 'CheckFailed', data: { checkId, projectId, reason: command.reason } }];
  }
}

function evolve(state: CheckState, event: CheckEvent): CheckState {
  switch (event.type) {
    case 'CheckRequested':
      return { ...initialState(), status: 'requested', checkId: event.data.checkId, projectId: event.data.projectId, requestedBy: event.data.requestedBy, linters: event.data.linters };
    case 'CheckStarted':
      // A takeover starts the linters again from nothing.
      return { ...state, status: 'running', runnerId: event.data.runnerId, leaseUntil: event.data.leaseUntil, finished: new Map() };
    case 'LinterFinished': {
      const { linter, status, counts, codeLines, nativeScore, message, truncated, suppressed } = event.data;
      return { ...state, finished: new Map(state.finished).set(linter, { status, counts, codeLines, nativeScore, message, truncated, suppressed }) };
    }
    case 'CheckCompleted':
      return { ...state, status: 'completed' };
    case 'CheckFailed':
      return { ...state, status: 'failed' };
  }
}

export const checkDecider: Decider<CheckCommand, CheckState, CheckEvent> = { initialState, decide, evolve };
