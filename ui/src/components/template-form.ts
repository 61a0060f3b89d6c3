/**
 * A form generated from a template's variables (JSON Schema: string, integer, boolean, and choice
 * via enum), with the API's messages shown under their fields (`errors`, keyed by variable name).
 * Event `submit-variables` {variables, overwrite, projectId}.
 */
import { LitElement, css, html } from 'lit';
import { sharedStyles } from '../styles/shared-styles.js';
import { emit } from '../events.js';

export interface VariableSchema {
  readonly type: 'string' | 'integer' | 'boolean';
  readonly title?: string;
  readonly description?: string;
  readonly default?: string | number | boolean;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
}
export interface VariablesSchema {
  readonly required?: readonly string[];
  readonly properties: Record<string, VariableSchema>;
}

export type VariableValues = Record<string, string | number | boolean>;

/** Reads the form's values back into typed variables (numbers stay numbers only when they are integers; the API judges the rest). */
export function readVariables(schema: VariablesSchema, data: FormData): VariableValues {
  const values: VariableValues = {};
  for (const [name, variable] of Object.entries(schema.properties)) {
    if (variable.type === 'boolean') values[name] = data.get(name) === 'on';
    else {
      const raw = String(data.get(name) ?? '');
      values[name] = variable.type === 'integer' && /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    }
  }
  return values;
}

export class TemplateForm extends LitElement {
  static override properties = { schema: { attribute: false }, projects: { attribute: false }, errors: { attribute: false }, busy: { type: Boolean } };
  declare schema: VariablesSchema;
  declare projects: readonly { id: string; name: string }[];
  declare errors: Record<string, string>;
  declare busy: boolean;

  static override styles = [sharedStyles, css`:host { display: block; } .check { display: flex; gap: 0.4rem; align-items: center; } .check input { width: auto; } .hint { font-size: 0.8rem; color: #5d6677; margin: 0.15rem 0 0; } button[type=submit] { margin-top: 0.75rem; }`];

  constructor() {
    super();
    this.schema = { properties: {} };
    this.projects = [];
    this.errors = {};
    this.busy = false;
  }

  override render() {
    const required = new Set(this.schema.required ?? []);
    return html`<form @submit=${this.submit} novalidate aria-label="Template variables">
      <label for="tpl-project">Project</label>
      <select id="tpl-project" name="__project" required>${this.projects.map((p) => html`<option value=${p.id}>${p.name}</option>`)}</select>
      ${this.errors['__project'] ? html`<p class="error">${this.errors['__project']}</p>` : null}
      ${Object.entries(this.schema.properties).map(([name, v]) => {
        const id = `var-${name}`;
        const label = `${v.title ?? name}${required.has(name) ? ' *' : ''}`;
        const error = this.errors[name] ? html`<p class="error" id="${id}-error">${this.errors[name]}</p>` : null;
        const hint = v.description ? html`<p class="hint">${v.description}</p>` : null;
        if (v.type === 'boolean')
          return html`<div class="check"><input type="checkbox" id=${id} name=${name} ?checked=${v.default === true} /><label for=${id}>${label}</label></div>${hint}${error}`;
        if (v.enum)
          return html`<label for=${id}>${label}</label><select id=${id} name=${name}>${v.enum.map((o) => html`<option ?selected=${o === v.default}>${o}</option>`)}</select>${hint}${error}`;
        return html`<label for=${id}>${label}</label
          ><input id=${id} name=${name} inputmode=${v.type === 'integer' ? 'numeric' : 'text'} .value=${v.default === undefined ? '' : String(v.default)} aria-invalid=${this.errors[name] ? 'true' : 'false'} aria-describedby="${id}-error" />${hint}${error}`;
      })}
      <div class="check"><input type="checkbox" id="tpl-overwrite" name="__overwrite" /><label for="tpl-overwrite">Overwrite files that already exist</label></div>
      <button type="submit" ?disabled=${this.busy || this.projects.length === 0}>Apply template</button>
      ${this.projects.length === 0 ? html`<p class="muted">You need a project where you are an editor or owner.</p>` : null}
    </form>`;
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    emit(this, 'submit-variables', { projectId: String(data.get('__project') ?? ''), overwrite: data.get('__overwrite') === 'on', variables: readVariables(this.schema, data) });
  }
}
customElements.define('template-form', TemplateForm);
