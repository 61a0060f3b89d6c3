/** Create an account, then sign in with it (event `signed-in`); the API's field messages show under their fields. */
import { LitElement, css, html } from 'lit';
import { ApiError, type ApiClient } from '../api/api-client.js';
import { sharedStyles } from '../styles/shared-styles.js';
import { emit } from '../events.js';

export class RegisterPage extends LitElement {
  static override properties = { api: { attribute: false }, error: { state: true }, fieldErrors: { state: true }, busy: { state: true } };
  declare api: ApiClient;
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
    return html`<section class="card">
      <h1>Create an account</h1>
      <form @submit=${this.submit} novalidate>
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="email" required aria-describedby="email-error" />
        ${field('email')}
        <label for="username">Username</label>
        <input id="username" name="username" autocomplete="username" required aria-describedby="username-error" />
        ${field('username')}
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="password-error" />
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
    this.busy = true;
    this.error = '';
    this.fieldErrors = {};
    try {
      await this.api.register(email, username, password);
      const session = await this.api.signIn(email, password);
      emit(this, 'signed-in', session);
    } catch (error) {
      if (error instanceof ApiError && error.fields.length > 0) {
        this.fieldErrors = Object.fromEntries(error.fields.map((f) => [f.path.replace(/^body\./, ''), f.message]));
        this.error = error.message;
      } else this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('register-page', RegisterPage);
