/** The audit log builder as a part of a process (the all-in-one, `serve projectors`): started after the stores, stopped before them. */
import type { Logger } from '@resoft/infra';
import type { Config } from './app-config.js';
import type { HealthCheck } from '@resoft/http-kit';
import { MerkleLogBuilder } from '@resoft/projectors';
import type { Stores } from './open-stores.js';

export interface RunningAuditLog {
  readonly builder: MerkleLogBuilder;
  readonly readiness: HealthCheck;
  stop(): Promise<void>;
}

export async function startAuditLog(config: Config, stores: Stores, logger: Logger): Promise<RunningAuditLog> {
  const builder = new MerkleLogBuilder(stores.events, stores.auditLog, stores.auditKeys, { signEvery: config.audit.signEvery, signIntervalMs: config.audit.signIntervalMs }, logger.child({ component: 'audit-log' }));
  await builder.start();
  return {
    builder,
    // Not critical: reads and writes go on while the audit log catches up.
    readiness: { name: 'auditLog', critical: false, check: async () => builder.problem },
    stop: () => builder.stop(),
  };
}
