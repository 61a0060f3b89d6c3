import { LitElement, html } from 'lit';
import '../components/code-editor.js';
import { CollabClient } from '../../../collab-gateway/src/client/collab-client.js';
export class ProjectPage extends LitElement { c = CollabClient; override render() { return html`<code-editor></code-editor>`; } }
customElements.define('project-page', ProjectPage);
