/**
 * What the code-quality runner reports fits the answer schemas of `/api/code-quality/linters` and
 * `/health` (contracts/): checked by the compiler, so the two cannot drift. Nothing here runs.
 */
import type { z } from 'zod';
import type { AnswerFits, CodeQualityHealth, LinterInfo as PublishedLinterInfo } from '@resoft/contracts';
import type { CheckRunnerStats } from './code-quality/check-runner.js';
import type { LinterInfo } from './code-quality/linter.js';
import type { SandboxStatus } from './code-quality/tool-sandbox.js';

type Health = z.input<typeof CodeQualityHealth>;

export const answerContractsHold: [
  AnswerFits<z.input<typeof PublishedLinterInfo>, LinterInfo>,
  AnswerFits<NonNullable<Health['runner']>, CheckRunnerStats>,
  AnswerFits<Pick<Health, 'isolation'>, Pick<SandboxStatus, 'isolation'>>,
] = [true, true, true];
