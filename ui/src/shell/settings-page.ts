/** The signed-in user's settings: opt-in desktop notifications and sound for mentions and check results (kept per user in localStorage). */
import { LitElement, css, html } from 'lit';
import { sharedStyles } from '../styles/shared-styles.js';
import { toast } from '../events.js';
import { SESSION_GAP_CHOICES, saveSessionGapSeconds, sessionGapSeconds } from '../history/history-settings.js';
import { beep, desktopSupported, loadSettings, requestDesktopPermission, saveSettings, type NotificationSettings } from './notifier.js';

export class SettingsPage extends LitElement {
  static override properties = { userId: { attribute: false }, settings: { state: true }, message: { state: true } };
  declare userId: string;
  declare settings: NotificationSettings;
  declare message: string;

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
      fieldset { border: 1px solid #dde2ea; border-radius: 8px; padding: 0.5rem 1rem 1rem; }
      legend { font-weight: 600; padding: 0 0.3rem; }
      .option { display: flex; gap: 0.6rem; align-items: start; margin-top: 0.6rem; }
      .option input { width: auto; margin-top: 0.2rem; }
      .option label { margin: 0; }
      .option p { margin: 0.1rem 0 0; }
    `,
  ];

  constructor() {
    super();
    this.userId = '';
    this.settings = { desktop: false, sound: false };
    this.message = '';
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('userId') && this.userId) this.settings = loadSettings(this.userId);
  }

  override render() {
    return html`<section class="card">
      <h1>Settings</h1>
      <fieldset>
        <legend>Notifications</legend>
        <p class="muted">Mentions and check results always show in the notification area. You can also have them:</p>
        <div class="option">
          <input id="desktop" type="checkbox" .checked=${this.settings.desktop} ?disabled=${!desktopSupported()} @change=${this.toggleDesktop} aria-describedby="desktop-help" />
          <div>
            <label for="desktop">Desktop notifications</label>
            <p id="desktop-help" class="muted">${desktopSupported() ? 'The browser asks for permission when you turn this on.' : 'This browser does not support desktop notifications.'}</p>
          </div>
        </div>
        <div class="option">
          <input id="sound" type="checkbox" .checked=${this.settings.sound} @change=${this.toggleSound} aria-describedby="sound-help" />
          <div>
            <label for="sound">Play a sound</label>
            <p id="sound-help" class="muted">A short beep (you hear it when you turn this on).</p>
          </div>
        </div>
        <p role="status" class=${this.message ? 'error' : ''}>${this.message}</p>
      </fieldset>
      <fieldset>
        <legend>Version history</legend>
        <label for="session-gap">A pause longer than this starts a new editing session</label>
        <select id="session-gap" style="width:auto" @change=${(e: Event) => { saveSessionGapSeconds(Number((e.target as HTMLSelectElement).value)); toast(this, 'success', 'Saved: the history groups sessions this way in this browser.'); }}>
          ${SESSION_GAP_CHOICES.map((seconds) => html`<option value=${seconds} ?selected=${seconds === sessionGapSeconds()}>${seconds < 3600 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : '1 hour'}</option>`)}
        </select>
      </fieldset>
    </section>`;
  }

  private async toggleDesktop(event: Event) {
    const box = event.target as HTMLInputElement;
    this.message = '';
    let desktop = box.checked;
    if (desktop && !(await requestDesktopPermission())) {
      desktop = false;
      box.checked = false;
      this.message = 'The browser did not allow notifications for this site; change that in its site settings, then try again.';
    }
    this.save({ ...this.settings, desktop });
  }

  private toggleSound(event: Event) {
    const sound = (event.target as HTMLInputElement).checked;
    this.save({ ...this.settings, sound });
    if (sound) beep();
  }

  private save(settings: NotificationSettings) {
    this.settings = settings;
    saveSettings(this.userId, settings);
    toast(this, 'info', 'Notification settings saved.');
  }
}
customElements.define('settings-page', SettingsPage);
