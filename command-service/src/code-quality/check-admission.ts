/**
 * Bounded queues: a person may have at most `maxOpenPerUser` checks queued or running at once
 * (personal and project checks together), a project at most `maxOpenPerProject` whoever asked.
 * Beyond either, the request is refused with 429 and a Retry-After of about one check's run time,
 * before anything is stored. Counted by the backlog (see check-backlog.ts for how, and its limits).
 */
import { HttpError } from '@resoft/http-kit';
import type { CheckBacklog } from './check-backlog.js';

export interface CheckLimits {
  readonly maxOpenPerUser: number;
  readonly maxOpenPerProject: number;
}

const MAX_RETRY_AFTER_S = 300;

function tooMany(message: string, backlog: CheckBacklog): HttpError {
  const seconds = Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(backlog.typicalDurationMs() / 1000)));
  return new HttpError(429, 'too_many_checks', `${message}: try again when one has finished (in about ${seconds} s)`, undefined, { 'Retry-After': String(seconds) });
}

/** Holds a place for the check in the backlog, or throws 429. Synchronous, so two requests cannot both take the last place. */
export function admitCheck(backlog: CheckBacklog, limits: CheckLimits, check: { checkId: string; requestedBy: string; projectId: string | null }): void {
  const mine = backlog.openOfUser(check.requestedBy);
  if (mine >= limits.maxOpenPerUser) {
    throw tooMany(`You have ${mine} checks queued or running, and one person may have at most ${limits.maxOpenPerUser} at once`, backlog);
  }
  if (check.projectId !== null) {
    const project = backlog.openOfProject(check.projectId);
    if (project >= limits.maxOpenPerProject) {
      throw tooMany(`This project has ${project} checks queued or running, and a project may have at most ${limits.maxOpenPerProject} at once`, backlog);
    }
  }
  backlog.reserve(check.checkId, check.requestedBy, check.projectId);
}
