/** Sign in with email and password; on success the shell routes to `next` (event `signed-in`). */
import { css, html } from 'lit';
import { ApiError } from '../api/api-client.js';
import { sharedStyles } from '../styles/shared-styles.js';
import { emit } from '../events.js';
import { ApiConsumerElement } from '../api/api-consumer-element.js';

export class SignInPage extends ApiConsumerElement {
  static override properties = { error: { state: true }, busy: { state: true } };
  declare error: string;
  declare busy: boolean;

  static override styles = [sharedStyles, css`:host { display: block; max-width: 26rem; margin: 3rem auto; padding: 0 1rem; } form { display: grid; gap: 0.25rem; } button[type=submit] { margin-top: 0.75rem; }`];

  constructor() {
    super();
    this.error = '';
    this.busy = false;
  }

  override render() {
    return html`<section class="card">
      <h1>Sign in</h1>
      <form @submit=${this.submit} novalidate>
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
        <button type="submit" ?disabled=${this.busy}>Sign in</button>
      </form>
      <p class="muted">No account yet? <a href="/register">Create one</a></p>
    </section>`;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    if (!email || !password) {
      this.error = 'Enter your email and password.';
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const session = await this.api.signIn(email, password);
      emit(this, 'signed-in', session);
    } catch (error) {
      this.error = error instanceof ApiError && error.status === 401 ? 'Wrong email or password.' : (error as Error).message;
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('sign-in-page', SignInPage);
