/**
 * Create an account, then sign in with it (event `signed-in`). Fields are checked in the browser
 * against the API's limits first; the API's own field messages show under their fields in plain
 * words; invalid fields are marked (`aria-invalid`) and the first one gets focus; typed values stay.
 */
import { css, html } from 'lit';
import { ApiError } from '../api/api-client.js';
import { sharedStyles } from '../styles/shared-styles.js';
import { emit } from '../events.js';
import { ACCOUNT_RULES, checkField } from '../api/form-rules.js';
import { plainFieldMessage, plainMessage } from '../api/plain-messages.js';
import { ApiConsumerElement } from '../api/api-consumer-element.js';

type AccountField = keyof typeof ACCOUNT_RULES;
const FIELDS: readonly AccountField[] = ['email', 'username', 'password'];

export class RegisterPage extends ApiConsumerElement {
  static override properties = { error: { state: true }, fieldErrors: { state: true }, busy: { state: true } };
  declare error: string;
  declare fieldErrors: Record<string, string>;
  declare busy: boolean;

  static override styles = [sharedStyles, css`:host { display: block; max-width: 26rem; margin: 3rem auto; padding: 0 1rem; } button[type=submit] { margin-top: 0.75rem; }`];

  constructor() {
    super();
    this.error = '';
    this.fieldErrors = {};
    this.busy = false;
  }

  override render() {
    const field = (name: string) => (this.fieldErrors[name] ? html`<p class="error" id="${name}-error">${this.fieldErrors[name]}</p>` : null);
    const invalid = (name: string) => (this.fieldErrors[name] ? 'true' : 'false');
    return html`<section class="card">
      <h1>Create an account</h1>
      <form @submit=${this.submit} novalidate>
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" aria-invalid=${invalid('email')} aria-describedby="email-error" />
        ${field('email')}
        <label for="username">Username</label>
        <input id="username" name="username" autocomplete="username" required minlength="3" maxlength="40" aria-invalid=${invalid('username')} aria-describedby="username-error username-hint" />
        <p class="muted" id="username-hint">3 to 40 letters, digits, “_”, “.” or “-”.</p>
        ${field('username')}
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="200" aria-invalid=${invalid('password')} aria-describedby="password-error" />
        ${field('password')}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
        <button type="submit" ?disabled=${this.busy}>Create account</button>
      </form>
      <p class="muted">Already registered? <a href="/sign-in">Sign in</a></p>
    </section>`;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const email = String(data.get('email') ?? '').trim();
    const username = String(data.get('username') ?? '').trim();
    const password = String(data.get('password') ?? '');
    this.error = '';
    const values: Record<AccountField, string> = { email, username, password };
    this.fieldErrors = Object.fromEntries(FIELDS.flatMap((name) => {
      const message = checkField(ACCOUNT_RULES[name], values[name]);
      return message ? [[name, message]] : [];
    }));
    if (Object.keys(this.fieldErrors).length > 0) return this.focusFirstInvalid();
    this.busy = true;
    try {
      await this.api.register(email, username, password);
      const session = await this.api.signIn(email, password);
      emit(this, 'signed-in', session);
    } catch (error) {
      if (error instanceof ApiError && error.fields.length > 0) {
        this.fieldErrors = Object.fromEntries(error.fields.map((f) => [f.path.replace(/^body\./, ''), plainFieldMessage(f.message)]));
        this.error = plainMessage(error);
      } else this.error = plainMessage(error);
    } finally {
      this.busy = false;
    }
    await this.focusFirstInvalid();
  }

  private async focusFirstInvalid() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }
}
customElements.define('register-page', RegisterPage);
