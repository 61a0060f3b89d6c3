/**
 * A check run in this process, through the same decider the server uses, so
 * the result and its score are the server's: `resoft check` and the
 * calibration test use it. Nothing is recorded.
 */
import {
  checkDecider, checkedFile, foldCheckReport, textAddress,
  type CheckCommand, type CheckEvent, type CheckFile, type CheckReport, type Language, type PreparedCheck,
} from '@resoft/domain';
import type { CheckEngine } from './check-engine.js';
import type { LinterRunContext } from './linter.js';

export async function checkLocally(
  engine: CheckEngine, prepared: PreparedCheck, scoringVersion: number,
  context: readonly (CheckFile & { language: Language })[] = [], tree: LinterRunContext = {},
): Promise<CheckReport> {
  const runnerId = 'local';
  let state = checkDecider.initialState();
  const events: CheckEvent[] = [];
  const apply = (command: CheckCommand) => {
    for (const event of checkDecider.decide(command, state)) {
      state = checkDecider.evolve(state, event);
      events.push(event);
    }
  };
  const linted = [...prepared.files, ...context.map((file) => ({ ...file, context: true }))];
  const files = linted.map((file) => checkedFile(file, textAddress(file.content)));
  apply({
    type: 'RequestCheck', checkId: 'local', actorId: 'local', project: null, source: 'upload', linters: prepared.linters, files,
    ignoredFiles: prepared.ignoredFiles, requirements: tree.requirements ?? null, packageTypes: { ...tree.packageTypes },
  });
  apply({ type: 'ClaimCheck', runnerId, now: Date.now(), leaseMs: 3_600_000 });
  await engine.run(linted, prepared.linters, (result) => apply({ type: 'RecordLinterResult', runnerId, result }), tree);
  apply({ type: 'CompleteCheck', runnerId, formulaVersion: scoringVersion });
  const now = new Date().toISOString();
  return foldCheckReport(events.map((event, i) => ({ event, occurredAt: now, position: i + 1 })))!;
}
