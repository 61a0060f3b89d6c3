/**
 * A project's audit page (issue 13): the latest signed tree head and whether the project's history
 * verifies against it — computed in this browser from the events and their proofs (hash chains,
 * RFC 9162 leaf hashes and inclusion proofs, the Ed25519 signature), not the server's say-so — a
 * browser of the project's events (by type, actor and period, in pages, each event with its hashes
 * and proof result), and the audit bundle for owners to hand to an auditor.
 */
import { css, html } from 'lit';
import type { ProjectAnswer, ProjectMembers } from '@resoft/contracts';
import { mayAuditProject } from '@resoft/domain/permissions';
import { ApiError } from '../api/api-client.js';
import { sharedStyles } from '../styles/shared-styles.js';
import { toast } from '../events.js';
import type { ProvenAuditEvent, SignedTreeHead } from './audit-verifier.js';
import { downloadBundle, fetchEventsPage, NO_AUDIT_FILTER, verifyProject, type AuditEventFilter, type ProjectVerification } from './project-audit-source.js';
import './audit-event-detail.js';
import { ApiConsumerElement } from '../api/api-consumer-element.js';

const PAGE_SIZE = 50;

interface Member {
  readonly userId: string;
  readonly username: string;
}

type Status =
  | { readonly state: 'running'; readonly read: number }
  | { readonly state: 'done'; readonly result: ProjectVerification }
  | { readonly state: 'error'; readonly message: string };

export class AuditPage extends ApiConsumerElement {
  static override properties = {
    projectId: { attribute: false },
    name: { state: true }, role: { state: true }, members: { state: true }, missing: { state: true }, status: { state: true },
    filter: { state: true }, page: { state: true }, starts: { state: true }, selected: { state: true }, downloading: { state: true },
  };
  declare projectId: string;
  declare name: string;
  declare role: ProjectAnswer['role'] | null;
  declare members: readonly Member[];
  declare missing: boolean;
  declare status: Status;
  declare filter: AuditEventFilter;
  declare page: { events: readonly ProvenAuditEvent[]; nextPosition: number | null; treeHead: SignedTreeHead | null } | null;
  /** The first position of every page shown so far (the way back). */
  declare starts: readonly number[];
  declare selected: ProvenAuditEvent | null;
  declare downloading: boolean;

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; max-width: 72rem; margin: 0 auto; padding: 1rem; }
      .grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; align-items: start; }
      @media (max-width: 800px) { .grid { grid-template-columns: 1fr; } }
      dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.2rem 0.8rem; margin: 0; font-size: 0.875rem; }
      dt { color: #5d6677; } dd { margin: 0; overflow-wrap: anywhere; }
      .status { font-size: 1.05rem; font-weight: 600; padding: 0.6rem 0.8rem; border-radius: 8px; background: #eef1f5; }
      .status.verified { background: #dcf3e4; color: #15602f; }
      .status.failed { background: #fde2e0; color: #8c1d18; }
      .filters { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: end; }
      .filters > label { flex: 1 1 9rem; display: flex; flex-direction: column; font-size: 0.85rem; }
      table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }
      th, td { text-align: left; border-bottom: 1px solid #eef1f5; padding: 0.3rem; vertical-align: top; }
      tr[aria-selected='true'] td { background: #eef3ff; }
      td button.link { text-align: left; }
      .pager { display: flex; gap: 0.5rem; align-items: center; margin-top: 0.5rem; }
      section + section { margin-top: 1rem; }
    `,
  ];

  constructor() {
    super();
    this.name = '';
    this.role = null;
    this.members = [];
    this.missing = false;
    this.status = { state: 'running', read: 0 };
    this.filter = NO_AUDIT_FILTER;
    this.page = null;
    this.starts = [1];
    this.selected = null;
    this.downloading = false;
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('projectId') && this.projectId) void this.load();
  }

  private async load() {
    try {
      const [project, members] = await Promise.all([
        this.api.get<ProjectAnswer>(`/api/projects/${this.projectId}`),
        this.api.get<ProjectMembers>(`/api/projects/${this.projectId}/members`),
      ]);
      this.name = project.name;
      this.role = project.role;
      this.members = members.items;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) this.missing = true;
      else toast(this, 'error', `Could not load the project: ${(error as Error).message}`);
      return;
    }
    void this.verify();
    void this.showPage(1, [1]);
  }

  private async verify() {
    this.status = { state: 'running', read: 0 };
    try {
      const result = await verifyProject(this.api, this.projectId, (read) => (this.status = { state: 'running', read }));
      this.status = { state: 'done', result };
    } catch (error) {
      this.status = { state: 'error', message: (error as Error).message };
    }
  }

  private async showPage(fromPosition: number, starts: readonly number[]) {
    try {
      const page = await fetchEventsPage(this.api, this.projectId, { filter: this.filter, fromPosition, limit: PAGE_SIZE });
      this.page = { events: page.events, nextPosition: page.nextPosition, treeHead: page.treeHead };
      this.starts = starts;
      this.selected = null;
    } catch (error) {
      toast(this, 'error', `Could not load the events: ${(error as Error).message}`);
    }
  }

  private applyFilter(event: Event) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const time = (name: string) => {
      const value = String(form.get(name) ?? '');
      // A datetime-local value is local time; the server compares ISO-8601 instants.
      return value ? new Date(value).toISOString() : '';
    };
    this.filter = { type: String(form.get('type') ?? '').trim(), actor: String(form.get('actor') ?? ''), since: time('since'), until: time('until') };
    void this.showPage(1, [1]);
  }

  private async download() {
    this.downloading = true;
    try {
      await downloadBundle(this.api, this.projectId);
    } catch (error) {
      toast(this, 'error', `Could not download the audit bundle: ${(error as Error).message}`);
    } finally {
      this.downloading = false;
    }
  }

  private actorName(actor: string | null): string {
    if (!actor) return 'the system';
    return this.members.find((m) => m.userId === actor)?.username ?? actor;
  }

  override render() {
    if (this.missing) return html`<section class="card"><h1>Project not found</h1><p>It does not exist or you are not a member. <a href="/projects">Your projects</a></p></section>`;
    return html`<h1>Audit of ${this.name || 'the project'}</h1>
      <p><a href="/projects/${this.projectId}">Back to the project</a></p>
      <div class="grid">
        <section class="card" aria-labelledby="verification-title"><h2 id="verification-title">Verification</h2>${this.verification()}</section>
        <section class="card" aria-labelledby="head-title" style="margin-top:0"><h2 id="head-title">Latest signed tree head</h2>${this.treeHead()}</section>
      </div>
      <section class="card" aria-labelledby="events-title"><h2 id="events-title">Events</h2>${this.events()}</section>`;
  }

  private verification() {
    const status = this.status;
    const again = html`<p><button class="secondary" @click=${() => this.verify()} ?disabled=${status.state === 'running'}>Verify again</button>
      ${mayAuditProject(this.role, false) ? html`<button @click=${this.download} ?disabled=${this.downloading}>${this.downloading ? 'Preparing the bundle…' : 'Download audit bundle'}</button>` : null}</p>`;
    if (status.state === 'running') return html`<p class="status" role="status" data-testid="audit-status">Verifying… ${status.read ? `${status.read} events read` : ''}</p>${again}`;
    if (status.state === 'error') return html`<p class="status failed" role="status" data-testid="audit-status">Could not verify: ${status.message}</p>${again}`;
    const { report, treeHead } = status.result;
    const problem = report.firstProblem;
    return html`${problem
        ? html`<p class="status failed" role="status" data-testid="audit-status">Verification failed at position ${problem.position}</p><p>${problem.reason}</p>`
        : html`<p class="status verified" role="status" data-testid="audit-status">Verified</p>
            <p>${report.events} events in ${report.streams} streams: every stream's hash chain holds${treeHead ? html`, and every event up to position ${treeHead.lastPosition} is in the signed tree of size ${treeHead.treeSize}` : ''}.
              ${report.unsigned > 0 ? html`${report.unsigned} newer events are not covered by a signed tree head yet (their chains were checked).` : ''}</p>`}
      <p class="muted">Checked in this browser from the events and their proofs: SHA-256 chains, RFC 9162 leaf hashes and inclusion proofs, and the tree head's Ed25519 signature against the keys at /api/audit/keys.</p>
      ${again}`;
  }

  private treeHead() {
    const head = this.status.state === 'done' ? this.status.result.treeHead : this.page?.treeHead ?? null;
    if (!head) return html`<p class="muted">No tree head has been signed yet; one is signed every few seconds while events arrive.</p>`;
    const signatureOk = this.status.state === 'done' && !this.status.result.report.firstProblem?.reason.startsWith('tree head');
    return html`<dl data-testid="tree-head">
      <dt>Tree size</dt><dd>${head.treeSize}</dd>
      <dt>Last position</dt><dd>${head.lastPosition}</dd>
      <dt>Root hash</dt><dd><code>${head.rootHash}</code></dd>
      <dt>Signed</dt><dd>${new Date(head.timestamp).toLocaleString()}</dd>
      <dt>Key id</dt><dd><code>${head.keyId}</code></dd>
      <dt>Signature</dt><dd>${this.status.state !== 'done' ? 'Checking…' : signatureOk ? 'Ed25519, verified in this browser' : 'does not verify'}</dd>
    </dl>`;
  }

  private events() {
    const page = this.page;
    const types = [...new Set(page?.events.map((p) => p.event.type) ?? [])].sort();
    return html`<form class="filters" @submit=${this.applyFilter} aria-label="Filter events">
        <label>Type<input name="type" list="audit-types" .value=${this.filter.type} placeholder="Any type" pattern="[A-Za-z]{1,60}" /></label>
        <datalist id="audit-types">${types.map((t) => html`<option value=${t}></option>`)}</datalist>
        <label>Actor<select name="actor"><option value="">Anyone</option>${this.members.map((m) => html`<option value=${m.userId} ?selected=${m.userId === this.filter.actor}>${m.username}</option>`)}</select></label>
        <label>From<input name="since" type="datetime-local" /></label>
        <label>Until<input name="until" type="datetime-local" /></label>
        <button type="submit">Filter</button>
      </form>
      ${!page ? html`<p class="muted" role="status">Loading the events…</p>` : page.events.length === 0 ? html`<p class="muted">No event matches.</p>` : html`
        <table aria-label="Project events">
          <thead><tr><th>Position</th><th>When</th><th>Type</th><th>Stream</th><th>Actor</th></tr></thead>
          <tbody>${page.events.map((item) => html`<tr aria-selected=${this.selected === item ? 'true' : 'false'}>
            <td><button class="link" @click=${() => (this.selected = item)} aria-label="Event at position ${item.event.position}">${item.event.position}</button></td>
            <td>${new Date(item.event.metadata.occurredAt).toLocaleString()}</td>
            <td>${item.event.type}</td><td><code>${item.event.streamId}</code> #${item.event.revision}</td><td>${this.actorName(item.event.metadata.actor)}</td></tr>`)}</tbody>
        </table>`}
      ${page ? html`<div class="pager">
          <button class="secondary" ?disabled=${this.starts.length <= 1} @click=${() => this.showPage(this.starts[this.starts.length - 2]!, this.starts.slice(0, -1))}>Previous</button>
          <span class="muted">Page ${this.starts.length}</span>
          <button class="secondary" ?disabled=${page.nextPosition === null} @click=${() => this.showPage(page.nextPosition!, [...this.starts, page.nextPosition!])}>Next</button>
        </div>` : null}
      ${this.selected ? html`<section class="card" aria-label="Event detail"><audit-event-detail .item=${this.selected} .treeHead=${page?.treeHead ?? null} .actorName=${this.actorName(this.selected.event.metadata.actor)}></audit-event-detail></section>` : null}`;
  }
}
customElements.define('audit-page', AuditPage);
