import { LitElement, html } from 'lit';
export class CheckerPage extends LitElement { override render() { return html`<p>checker</p>`; } }
customElements.define('checker-page', CheckerPage);
