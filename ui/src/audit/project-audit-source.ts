/**
 * What the audit page reads from the server: the trusted keys, a project's events with their
 * inclusion proofs (page by page, every page proven against the same signed tree head), and the
 * audit bundle as a file. The server only supplies material; `audit-verifier.ts` judges it.
 */
import type { AuditKeys, ProjectAuditEventsPage } from '@resoft/contracts';
import type { ApiClient } from '../api/api-client.js';
import { verifyProvenEvents, type ProvenAuditEvent, type PublicJwk, type SignedTreeHead, type VerificationReport } from './audit-verifier.js';

export interface AuditEventFilter {
  readonly type: string;
  /** A user id, or '' for anyone. */
  readonly actor: string;
  /** ISO-8601 times, or '' for no bound. */
  readonly since: string;
  readonly until: string;
}

export const NO_AUDIT_FILTER: AuditEventFilter = { type: '', actor: '', since: '', until: '' };

/** A page of a project's events with their proofs, as `GET …/audit/events` answers it. */
export type AuditEventsPage = ProjectAuditEventsPage;

/** The whole project is read in pages of this many events when it is verified. */
const VERIFY_PAGE = 1000;

export const fetchKeys = async (api: ApiClient): Promise<PublicJwk[]> => (await api.get<AuditKeys>('/api/audit/keys')).keys;

export function fetchEventsPage(api: ApiClient, projectId: string, options: { filter?: AuditEventFilter; fromPosition?: number; limit: number; treeSize?: number }): Promise<AuditEventsPage> {
  const query = new URLSearchParams({ limit: String(options.limit) });
  const filter = options.filter ?? NO_AUDIT_FILTER;
  for (const key of ['type', 'actor', 'since', 'until'] as const) if (filter[key]) query.set(key, filter[key]);
  if (options.fromPosition) query.set('fromPosition', String(options.fromPosition));
  if (options.treeSize) query.set('treeSize', String(options.treeSize));
  return api.get<AuditEventsPage>(`/api/projects/${projectId}/audit/events?${query}`);
}

export interface ProjectVerification {
  readonly treeHead: SignedTreeHead | null;
  readonly report: VerificationReport;
}

/** Reads every event of the project with its proof, then verifies it all in this browser. */
export async function verifyProject(api: ApiClient, projectId: string, onProgress: (read: number) => void = () => undefined): Promise<ProjectVerification> {
  const keys = await fetchKeys(api);
  const first = await fetchEventsPage(api, projectId, { limit: VERIFY_PAGE });
  const head = first.treeHead;
  const events: ProvenAuditEvent[] = [...first.events];
  let next = first.nextPosition;
  onProgress(events.length);
  while (next !== null) {
    const page = await fetchEventsPage(api, projectId, { fromPosition: next, limit: VERIFY_PAGE, ...(head ? { treeSize: head.treeSize } : {}) });
    events.push(...page.events);
    next = page.nextPosition;
    onProgress(events.length);
  }
  return { treeHead: head, report: await verifyProvenEvents(events, head, keys) };
}

/** Downloads the project's audit bundle (owners) and hands it to the browser as a file. */
export async function downloadBundle(api: ApiClient, projectId: string): Promise<void> {
  const request = async () => fetch(`/api/projects/${projectId}/audit/bundle`, { headers: { authorization: `Bearer ${await api.accessToken()}` } });
  let response = await request();
  if (response.status === 401 && (await api.refresh())) response = await request();
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The server answered ${response.status}`);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `audit-${projectId}.zip`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
