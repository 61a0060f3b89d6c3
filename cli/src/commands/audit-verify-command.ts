/** `resoft audit verify`: walks the whole event log and checks every stream's hash chain. Exit code 1 on a broken link. */
import { ChainVerifier } from '@resoft/domain';
import { loadConfig } from '@resoft/infra';
import { openStores } from '../runtime/open-stores.js';

export async function auditVerifyCommand(env: NodeJS.ProcessEnv, options: { json?: boolean }, out: NodeJS.WriteStream = process.stdout): Promise<boolean> {
  const stores = await openStores(loadConfig(env));
  try {
    const verifier = new ChainVerifier();
    for (let after = 0; ; ) {
      const page = await stores.events.readAll({ after, maxCount: 1000 });
      if (page.length === 0 || !page.every((e) => verifier.check(e))) break;
      after = page[page.length - 1]!.position;
    }
    const report = verifier.report();
    if (options.json) out.write(`${JSON.stringify(report)}\n`);
    else if (report.ok) out.write(`OK: ${report.events} events in ${report.streams} streams, every hash chain intact\n`);
    else {
      const b = report.firstBrokenLink!;
      out.write(`BROKEN: stream ${b.streamId} at revision ${b.revision} (position ${b.position}, event ${b.eventId}): ${b.reason}\n`);
    }
    return report.ok;
  } finally {
    await stores.close();
  }
}
