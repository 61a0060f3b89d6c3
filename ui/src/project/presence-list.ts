/**
 * Who is in the project's room: an avatar in the user's colour, status (online, away, offline),
 * typing, and the file they view; a Follow button jumps to a collaborator's file and caret and keeps
 * following them (event `follow` with their user id, or null to stop).
 */
import { LitElement, css, html } from 'lit';
import { sharedStyles } from '../styles/shared-styles.js';
import { emit } from '../events.js';

export interface PresenceView {
  readonly userId: string;
  readonly username: string;
  readonly color: string;
  readonly status: 'online' | 'away' | 'offline';
  readonly viewingPath: string | null;
  readonly typing: boolean;
}

export class PresenceList extends LitElement {
  static override properties = { people: { attribute: false }, selfId: { attribute: 'self-id' }, following: { attribute: false } };
  declare people: readonly PresenceView[];
  declare selfId: string;
  /** The user id being followed, or null. */
  declare following: string | null;

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      ul { list-style: none; padding: 0; margin: 0; }
      li { display: flex; gap: 0.5rem; align-items: center; padding: 0.25rem 0; }
      .avatar { width: 1.8rem; height: 1.8rem; border-radius: 50%; color: #fff; display: grid; place-items: center; font-weight: 700; font-size: 0.8rem; flex: none; position: relative; }
      .dot { position: absolute; right: -2px; bottom: -2px; width: 0.6rem; height: 0.6rem; border-radius: 50%; border: 2px solid #fff; }
      .online { background: #1e9e4a; } .away { background: #e0a100; } .offline { background: #9aa3b2; }
      .who { display: flex; flex-direction: column; line-height: 1.2; flex: 1; min-width: 0; }
      button.follow { font-size: 0.75rem; padding: 0.1rem 0.5rem; }
    `,
  ];

  constructor() {
    super();
    this.people = [];
    this.selfId = '';
    this.following = null;
  }

  override render() {
    const order = { online: 0, away: 1, offline: 2 };
    const people = [...this.people].sort((a, b) => order[a.status] - order[b.status] || a.username.localeCompare(b.username));
    return html`<h2>People</h2>
      <ul aria-label="People in this project">
        ${people.map(
          (p) => html`<li data-user=${p.username} data-status=${p.status}>
            <span class="avatar" style="background:${p.color}" aria-hidden="true">${p.username.slice(0, 2).toUpperCase()}<span class="dot ${p.status}"></span></span>
            <span class="who"><span>${p.username} <span class="muted">${p.status}${p.typing ? ', typing…' : ''}</span></span>${p.viewingPath ? html`<span class="muted">in ${p.viewingPath}</span>` : null}</span>
            ${p.userId !== this.selfId && p.status !== 'offline'
              ? this.following === p.userId
                ? html`<button class="follow" aria-pressed="true" @click=${() => emit(this, 'follow', null)}>Stop following</button>`
                : html`<button class="follow secondary" aria-pressed="false" aria-label="Follow ${p.username}" @click=${() => emit(this, 'follow', p.userId)}>Follow</button>`
              : null}
          </li>`,
        )}
      </ul>`;
  }
}
customElements.define('presence-list', PresenceList);
