/**
 * One event of the audit page in full: its ids, stream place, time and actor, its chain hashes,
 * the leaf hash this browser computes from it, and whether its inclusion proof leads to the
 * signed root (checked here, not taken from the server), then its data.
 */
import { LitElement, css, html } from 'lit';
import { sharedStyles } from '../styles/shared-styles.js';
import { auditLeafHash, chainHash, inclusionProblem, toHex, type ProvenAuditEvent, type SignedTreeHead } from './audit-verifier.js';

interface Checked {
  readonly leafHash: string;
  readonly contentMatches: boolean;
  /** null when the event has no proof yet. */
  readonly inclusion: { ok: true } | { ok: false; reason: string } | null;
}

export class AuditEventDetail extends LitElement {
  static override properties = { item: { attribute: false }, treeHead: { attribute: false }, actorName: { attribute: false }, checked: { state: true } };
  declare item: ProvenAuditEvent | null;
  declare treeHead: SignedTreeHead | null;
  declare actorName: string;
  declare checked: Checked | null;

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.2rem 0.8rem; margin: 0; font-size: 0.875rem; }
      dt { color: #5d6677; }
      dd { margin: 0; overflow-wrap: anywhere; }
      code, pre { font-size: 0.8rem; }
      pre { background: #fafbfd; border: 1px solid #eef1f5; border-radius: 6px; padding: 0.5rem; max-height: 20rem; overflow: auto; white-space: pre-wrap; }
      .ok { color: #15602f; font-weight: 600; } .bad { color: #b3261e; font-weight: 600; }
    `,
  ];

  constructor() {
    super();
    this.item = null;
    this.treeHead = null;
    this.actorName = '';
    this.checked = null;
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('item') || changed.has('treeHead')) {
      this.checked = null;
      void this.check();
    }
  }

  private async check() {
    const item = this.item;
    if (!item) return;
    const { event, inclusion } = item;
    const head = this.treeHead;
    const leafHash = toHex(await auditLeafHash(event, head?.leafV2From));
    const contentMatches = (await chainHash(event)) === event.metadata.hash;
    let result: Checked['inclusion'] = null;
    if (inclusion && head) {
      const problem = await inclusionProblem(event, inclusion, head);
      result = problem ? { ok: false, reason: problem } : { ok: true };
    }
    if (this.item === item) this.checked = { leafHash, contentMatches, inclusion: result };
  }

  override render() {
    const item = this.item;
    if (!item) return html``;
    const { event, inclusion } = item;
    const checked = this.checked;
    return html`<h3>${event.type} at position ${event.position}</h3>
      <dl data-testid="event-detail">
        <dt>Event id</dt><dd><code>${event.id}</code></dd>
        <dt>Stream</dt><dd><code>${event.streamId}</code>, revision ${event.revision}</dd>
        <dt>Occurred</dt><dd>${new Date(event.metadata.occurredAt).toLocaleString()} (<code>${event.metadata.occurredAt}</code>)</dd>
        <dt>Actor</dt><dd>${this.actorName || event.metadata.actor || 'the system'}</dd>
        <dt>Hash</dt><dd><code>${event.metadata.hash}</code> ${checked ? (checked.contentMatches ? html`<span class="ok">matches the content</span>` : html`<span class="bad">does not match the content</span>`) : null}</dd>
        <dt>Previous hash</dt><dd><code>${event.metadata.prevHash}</code></dd>
        <dt>Leaf hash</dt><dd><code data-testid="leaf-hash">${checked?.leafHash ?? '…'}</code> (computed in this browser)</dd>
        <dt>Leaf index</dt><dd>${inclusion ? inclusion.leafIndex : '—'}</dd>
        <dt>Inclusion proof</dt>
        <dd data-testid="inclusion-result">${!inclusion || !this.treeHead
          ? 'No signed tree head covers this event yet.'
          : !checked ? 'Checking…'
          : checked.inclusion?.ok
            ? html`<span class="ok">Included in the signed tree of size ${this.treeHead.treeSize}</span> (${inclusion.proof.length} hashes, checked in this browser)`
            : html`<span class="bad">Failed: ${checked.inclusion && !checked.inclusion.ok ? checked.inclusion.reason : ''}</span>`}</dd>
      </dl>
      ${inclusion && inclusion.proof.length > 0 ? html`<details><summary>Audit path</summary><ol>${inclusion.proof.map((h) => html`<li><code>${h}</code></li>`)}</ol></details>` : null}
      <h4>Data</h4>
      <pre>${JSON.stringify(event.data, null, 2)}</pre>`;
  }
}
customElements.define('audit-event-detail', AuditEventDetail);
