/**
 * `resoft audit verify`: walks the whole event log and checks every stream's
 * hash chain, every event against its leaf in the audit log and the roots of
 * every signed tree head. Exit code 1 on the first bad position.
 */
import { verifyAuditLog } from '@resoft/infra';
import { loadConfig, openStores } from '@resoft/app';
import { describeAuditReport } from './audit-report-text.js';

export async function auditVerifyCommand(env: NodeJS.ProcessEnv, options: { json?: boolean }, out: NodeJS.WritableStream = process.stdout): Promise<boolean> {
  const stores = await openStores(loadConfig(env));
  try {
    const report = await verifyAuditLog(stores.events, stores.auditLog, stores.auditKeys.publicKeys);
    if (options.json) out.write(`${JSON.stringify({ ...report, firstBrokenLink: report.firstProblem?.link ?? null })}\n`);
    else out.write(`${describeAuditReport(report, 'audit log')}\n`);
    return report.ok;
  } finally {
    await stores.close();
  }
}
