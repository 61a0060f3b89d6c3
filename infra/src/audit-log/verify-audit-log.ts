/**
 * Verifies the whole event log against the audit log (see AuditLogVerifier):
 * reads events and leaves page by page side by side, and every tree head.
 * Used by `GET /api/audit/verify` (administrators) and `resoft audit verify`.
 */
import { AuditLogVerifier, type AuditPublicKey, type AuditReport, type SignedTreeHead } from '@resoft/domain';
import type { EventStore, MerkleLogStore } from '@resoft/ports';

const PAGE = 1000;

export async function allTreeHeads(log: MerkleLogStore): Promise<SignedTreeHead[]> {
  const heads: SignedTreeHead[] = [];
  for (let fromSize = 0; ; ) {
    const page = await log.treeHeads({ fromSize, limit: PAGE });
    heads.push(...page);
    if (page.length < PAGE) return heads;
    fromSize = page[page.length - 1]!.treeSize + 1;
  }
}

export async function verifyAuditLog(events: EventStore, log: MerkleLogStore, keys: readonly AuditPublicKey[]): Promise<AuditReport> {
  // The store's record of where format 2 leaves start counts only for leaves no signed head names a format for.
  const verifier = new AuditLogVerifier(await allTreeHeads(log), keys, (await log.state()).leafV2From);
  let index = 0;
  for (let after = 0; ; ) {
    const page = await events.readAll({ after, maxCount: PAGE });
    if (page.length === 0) break;
    const leaves = await log.leaves(index, page.length);
    page.forEach((event, i) => verifier.check(event, leaves[i]));
    index += page.length;
    after = page[page.length - 1]!.position;
  }
  const [next] = await log.leaves(index, 1);
  return verifier.report(next);
}
