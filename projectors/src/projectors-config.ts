/** The projectors' settings: how often the relay looks for new events in the SQLite event store. */
import { z } from 'zod';
import { positiveIntSetting as positiveInt } from '@resoft/infra/config';

export const projectorsConfigSchema = z.object({
  /** `serve relay` (SQLite event store) polls more often than other subscriptions: everything downstream waits on it (issue 15: lag). */
  RESOFT_RELAY_POLL_MS: positiveInt(10),
});

export interface ProjectorsConfig {
  readonly relayPollMs: number;
}

export function projectorsConfig(c: z.output<typeof projectorsConfigSchema>): ProjectorsConfig {
  return { relayPollMs: c.RESOFT_RELAY_POLL_MS };
}
