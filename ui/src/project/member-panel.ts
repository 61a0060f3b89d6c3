/**
 * A project's members with their roles. Owners (`canManage`) add members by username and change
 * roles: events `add-member` {username, role} and `change-role` {userId, role}; the page calls the API.
 */
import { LitElement, css, html } from 'lit';
import { sharedStyles } from '../styles/shared-styles.js';
import { emit } from '../events.js';

export interface Member {
  readonly userId: string;
  readonly username: string;
  readonly role: 'owner' | 'editor' | 'viewer';
}

const ROLES = ['viewer', 'editor', 'owner'] as const;

export class MemberPanel extends LitElement {
  static override properties = { members: { attribute: false }, canManage: { type: Boolean, attribute: 'can-manage' }, selfId: { attribute: 'self-id' }, error: {} };
  declare members: readonly Member[];
  declare canManage: boolean;
  declare selfId: string;
  declare error: string;

  static override styles = [sharedStyles, css`:host { display: block; } ul { list-style: none; padding: 0; margin: 0 0 0.75rem; } li { display: flex; justify-content: space-between; align-items: center; gap: 0.5rem; padding: 0.3rem 0; border-bottom: 1px solid #eef1f5; } li select { width: auto; }`];

  constructor() {
    super();
    this.members = [];
    this.canManage = false;
    this.selfId = '';
    this.error = '';
  }

  override render() {
    return html`<h2>Members</h2>
      <ul aria-label="Members">
        ${this.members.map(
          (m) => html`<li data-member=${m.username}>
            <span>${m.username}${m.userId === this.selfId ? ' (you)' : ''}</span>
            ${this.canManage && m.userId !== this.selfId
              ? html`<select aria-label="Role of ${m.username}" .value=${m.role} @change=${(e: Event) => emit(this, 'change-role', { userId: m.userId, role: (e.target as HTMLSelectElement).value })}>
                  ${ROLES.map((r) => html`<option value=${r} ?selected=${r === m.role}>${r}</option>`)}
                </select>`
              : html`<span class="muted" data-role>${m.role}</span>`}
          </li>`,
        )}
      </ul>
      ${this.canManage
        ? html`<form @submit=${this.add} aria-label="Add a member">
            <div class="row">
              <div><label for="member-username">Username</label><input id="member-username" name="username" required maxlength="40" aria-invalid=${this.error ? 'true' : 'false'} aria-describedby="member-error" /></div>
              <div><label for="member-role">Role</label><select id="member-role" name="role">${ROLES.map((r) => html`<option value=${r} ?selected=${r === 'editor'}>${r}</option>`)}</select></div>
              <button type="submit">Add member</button>
            </div>
            ${this.error ? html`<p class="error" role="alert" id="member-error">${this.error}</p>` : null}
          </form>`
        : null}`;
  }

  private add(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const username = String(data.get('username') ?? '').trim();
    if (!username) return;
    this.pendingUsername = username;
    emit(this, 'add-member', { username, role: String(data.get('role')) });
  }

  private pendingUsername: string | null = null;

  /** The typed name stays until that member is listed (a refused name can be corrected, not retyped). */
  override updated(changed: Map<string, unknown>) {
    if (changed.has('members') && this.pendingUsername && this.members.some((m) => m.username === this.pendingUsername)) {
      this.pendingUsername = null;
      this.renderRoot.querySelector<HTMLFormElement>('form')?.reset();
    }
    if (changed.has('error') && this.error) this.renderRoot.querySelector<HTMLInputElement>('#member-username')?.focus();
  }
}
customElements.define('member-panel', MemberPanel);
