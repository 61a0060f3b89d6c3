/**
 * `resoft audit export --project <id> --out bundle.zip` builds a project's
 * audit bundle from the local stores (the data directory or the configured
 * engines); `resoft audit verify --bundle bundle.zip` checks one offline:
 * tree head signature, each event's inclusion proof, each stream's chain.
 */
import fs from 'node:fs';
import { verifyProvenEvents, type AuditPublicKey, type AuditReport } from '@resoft/domain';
import { loadConfig, openStores } from '@resoft/app';
import { ReadModels } from '@resoft/projectors';
import { BUNDLE_FORMATS, buildAuditBundle, bundleFormatFor } from '@resoft/query-service';
import { sharedCatalog } from '@resoft/templates';
import { readAuditBundle } from './audit-bundle-reader.js';
import { describeAuditReport } from './audit-report-text.js';

export async function auditExportCommand(env: NodeJS.ProcessEnv, options: { project: string; out: string }, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const config = loadConfig(env);
  const stores = await openStores(config);
  try {
    if (!(await stores.readModels.get(ReadModels.projects, options.project))) throw new Error(`No project ${options.project} in the read models`);
    const deps = { readStore: stores.readModels, eventStore: stores.events, waitForPosition: async () => true, readWaitMs: 0, admins: config.admins, templates: sharedCatalog(), auditLog: stores.auditLog, auditKeys: stores.auditKeys };
    const bundle = await buildAuditBundle(deps, options.project, new Date());
    fs.writeFileSync(options.out, bundle);
    out.write(`Wrote ${options.out} (${bundle.length} bytes)\n`);
  } finally {
    await stores.close();
  }
}

/** `trustedKeysFile`: a JWKS to check the tree head against instead of the keys inside the bundle. */
export function verifyBundleFile(file: string, trustedKeysFile?: string): AuditReport & { projectId: string } {
  const bundle = readAuditBundle(fs.readFileSync(file));
  if (!(BUNDLE_FORMATS as readonly string[]).includes(bundle.manifest.format)) throw new Error(`${file} is not a ${BUNDLE_FORMATS.join(' or ')} bundle (format ${bundle.manifest.format})`);
  if (bundle.manifest.format !== bundleFormatFor(bundle.treeHead)) throw new Error(`${file}: its manifest says ${bundle.manifest.format}, its tree head is of ${bundleFormatFor(bundle.treeHead)}`);
  const keys: AuditPublicKey[] = trustedKeysFile ? (JSON.parse(fs.readFileSync(trustedKeysFile, 'utf8')) as { keys: AuditPublicKey[] }).keys : bundle.keys;
  const proofs = new Map(bundle.proofs.map((p) => [p.position, p]));
  const proven = bundle.events.map((event) => {
    const p = proofs.get(event.position);
    return p ? { event, inclusion: { leafIndex: p.leafIndex, proof: p.proof.map((h) => Buffer.from(h, 'hex')) } } : { event };
  });
  const report = verifyProvenEvents(proven, bundle.treeHead, keys);
  // Every event of the bundle must be covered: an event after the tree head cannot be proven.
  const uncovered = report.unsignedEvents > 0 && !report.firstProblem ? { position: bundle.events.find((e) => e.position > bundle.treeHead.lastPosition)!.position, reason: 'the event is not covered by the bundle\'s tree head' } : null;
  const countsMatch = bundle.events.length === bundle.manifest.events;
  const firstProblem = report.firstProblem ?? uncovered ?? (countsMatch ? null : { position: 0, reason: `the manifest lists ${bundle.manifest.events} events, the bundle holds ${bundle.events.length}` });
  return { ...report, ok: firstProblem === null, firstProblem, projectId: bundle.manifest.projectId };
}

export function auditVerifyBundleCommand(file: string, options: { json?: boolean; keys?: string }, out: NodeJS.WritableStream = process.stdout): boolean {
  const report = verifyBundleFile(file, options.keys);
  out.write(options.json ? `${JSON.stringify(report)}\n` : `${describeAuditReport(report, `bundle of project ${report.projectId}`)}\n`);
  return report.ok;
}
