/**
 * What the command side's reactors did, counted from the events this process appends (so the check
 * runner and the template applier need no metrics code): each linter's run time and status, Python
 * checks refused for want of a sandbox, how long a check waited for a runner, template runs by
 * outcome; and, read at each scrape, the check runner's queue.
 */
import { MeasuredEventStore, type Metrics } from '@resoft/infra';
import { type EventStore } from '@resoft/ports';

interface CheckRunnerQueue {
  stats(): { readonly queued: number; readonly running: number };
}

export function observeCommandEvents(metrics: Metrics, events: EventStore, runner: CheckRunnerQueue | null): void {
  if (runner) {
    metrics.observe({ name: 'resoft_check_queue_depth', help: 'Checks waiting for a worker of this process\'s check runner.' }, () => [{ value: runner.stats().queued }]);
    metrics.observe({ name: 'resoft_check_running', help: 'Checks this process\'s check runner is running now.' }, () => [{ value: runner.stats().running }]);
  }
  if (!(events instanceof MeasuredEventStore)) return;
  const linterDuration = metrics.histogram({
    name: 'resoft_check_linter_duration_seconds', help: 'Run time of one linter over a check\'s files, by linter and status (ok, timeout, error, unavailable, …).', labelNames: ['linter', 'status'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
  });
  const sandboxRefusals = metrics.counter({ name: 'resoft_check_sandbox_refusals_total', help: 'Linter runs refused because no sandbox is available for the tool.', labelNames: ['linter'] });
  const checkWait = metrics.histogram({ name: 'resoft_check_wait_seconds', help: 'Time from a check\'s request to a runner claiming it.', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });
  const templateRuns = metrics.counter({ name: 'resoft_template_runs_total', help: 'Template runs by outcome: started, completed, failed.', labelNames: ['outcome'] });

  events.onAppend((streamId, appended) => {
    for (const event of appended) {
      const data = event.data as Record<string, unknown>;
      switch (event.type) {
        case 'LinterFinished': {
          const linter = String(data['linter']);
          linterDuration.record(Number(data['durationMs'] ?? 0) / 1000, { linter, status: String(data['status']) });
          if (data['status'] === 'unavailable' && /sandbox/i.test(String(data['message'] ?? ''))) sandboxRefusals.add(1, { linter });
          break;
        }
        case 'CheckStarted': {
          // A claim follows the request by a stream read, never on the write path of the claim.
          const claimedAt = Date.parse(event.metadata.occurredAt);
          void events.readStream(streamId, { maxCount: 1 }).then(([requested]) => {
            if (requested?.type === 'CheckRequested') checkWait.record(Math.max(0, (claimedAt - Date.parse(requested.metadata.occurredAt)) / 1000));
          }, () => undefined);
          break;
        }
        case 'TemplateRunStarted': templateRuns.add(1, { outcome: 'started' }); break;
        case 'TemplateRunCompleted': templateRuns.add(1, { outcome: 'completed' }); break;
        case 'TemplateRunFailed': templateRuns.add(1, { outcome: 'failed' }); break;
        default:
      }
    }
  });
}
