/**
 * A form generated from a template's variables (JSON Schema: string, integer, boolean, and choice
 * via enum). Each field is checked in the browser against its schema before anything is sent
 * (messages in plain words, `aria-invalid`, focus on the first invalid field; values are kept); the
 * API's messages (`errors`, keyed by variable name) show under their fields the same way.
 * Event `submit-variables` {variables, overwrite, projectId}.
 */
import { LitElement, css, html } from 'lit';
import { sharedStyles } from '../styles/shared-styles.js';
import type { TemplateDescription, TemplateVariable } from '@resoft/contracts';
import { emit } from '../events.js';
import { checkField } from '../api/form-rules.js';

/** A variable and the variables of a template, as `GET /api/v1/templates/{id}` describes them. */
export type VariableSchema = TemplateVariable;
export type VariablesSchema = Pick<TemplateDescription['variables'], 'properties'> & Partial<Pick<TemplateDescription['variables'], 'required'>>;

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
  static override properties = { schema: { attribute: false }, projects: { attribute: false }, errors: { attribute: false }, busy: { type: Boolean }, localErrors: { state: true } };
  declare schema: VariablesSchema;
  declare projects: readonly { id: string; name: string }[];
  declare errors: Record<string, string>;
  declare busy: boolean;
  /** Found in the browser; the server's `errors` show where there is none. */
  declare localErrors: Record<string, string>;
  /** After the first submit, fields are checked again as the user types. */
  private submitted = false;

  static override styles = [sharedStyles, css`:host { display: block; } .check { display: flex; gap: 0.4rem; align-items: center; } .check input { width: auto; } .hint { font-size: 0.8rem; color: #5d6677; margin: 0.15rem 0 0; } button[type=submit] { margin-top: 0.75rem; }`];

  constructor() {
    super();
    this.schema = { properties: {} };
    this.projects = [];
    this.errors = {};
    this.localErrors = {};
    this.busy = false;
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('schema')) {
      this.localErrors = {};
      this.submitted = false;
    }
  }

  override async updated(changed: Map<string, unknown>) {
    // The server refused some fields: take the user to the first one.
    if (changed.has('errors') && Object.keys(this.errors).length > 0) this.focusFirstInvalid();
  }

  private errorOf(name: string): string | undefined {
    return this.localErrors[name] ?? this.errors[name];
  }

  override render() {
    const required = new Set(this.schema.required ?? []);
    return html`<form @submit=${this.submit} novalidate aria-label="Template variables">
      <label for="tpl-project">Project</label>
      <select id="tpl-project" name="__project" required>${this.projects.map((p) => html`<option value=${p.id}>${p.name}</option>`)}</select>
      ${this.errorOf('__project') ? html`<p class="error">${this.errorOf('__project')}</p>` : null}
      ${Object.entries(this.schema.properties).map(([name, v]) => {
        const id = `var-${name}`;
        const label = `${v.title ?? name}${required.has(name) ? ' *' : ''}`;
        const message = this.errorOf(name);
        const error = message ? html`<p class="error" id="${id}-error">${message}</p>` : null;
        const hint = v.description ? html`<p class="hint">${v.description}</p>` : null;
        if (v.type === 'boolean')
          return html`<div class="check"><input type="checkbox" id=${id} name=${name} ?checked=${v.default === true} /><label for=${id}>${label}</label></div>${hint}${error}`;
        if (v.enum)
          return html`<label for=${id}>${label}</label><select id=${id} name=${name}>${v.enum.map((o) => html`<option ?selected=${o === v.default}>${o}</option>`)}</select>${hint}${error}`;
        return html`<label for=${id}>${label}</label
          ><input id=${id} name=${name} inputmode=${v.type === 'integer' ? 'numeric' : 'text'} .defaultValue=${v.default === undefined ? '' : String(v.default)} ?required=${required.has(name)} aria-invalid=${message ? 'true' : 'false'} aria-describedby="${id}-error" @input=${() => this.recheck(name)} />${hint}${error}`;
      })}
      <div class="check"><input type="checkbox" id="tpl-overwrite" name="__overwrite" /><label for="tpl-overwrite">Overwrite files that already exist</label></div>
      <button type="submit" ?disabled=${this.busy || this.projects.length === 0}>Apply template</button>
      ${this.projects.length === 0 ? html`<p class="muted">You need a project where you are an editor or owner.</p>` : null}
    </form>`;
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    this.submitted = true;
    const form = event.target as HTMLFormElement;
    this.localErrors = this.check(new FormData(form));
    if (Object.keys(this.localErrors).length > 0) return void this.updateComplete.then(() => this.focusFirstInvalid());
    const data = new FormData(form);
    emit(this, 'submit-variables', { projectId: String(data.get('__project') ?? ''), overwrite: data.get('__overwrite') === 'on', variables: readVariables(this.schema, data) });
  }

  /** Every variable against its schema: the messages of those that fail, by name. */
  private check(data: FormData): Record<string, string> {
    const required = new Set(this.schema.required ?? []);
    const found: Record<string, string> = {};
    for (const [name, v] of Object.entries(this.schema.properties)) {
      if (v.type === 'boolean') continue;
      const message = checkField({ ...v, required: required.has(name) }, String(data.get(name) ?? ''));
      if (message) found[name] = message;
    }
    return found;
  }

  private recheck(name: string) {
    if (!this.submitted) return;
    const form = this.renderRoot.querySelector('form');
    if (!form) return;
    const { [name]: _old, ...others } = this.localErrors;
    const now = this.check(new FormData(form))[name];
    this.localErrors = now ? { ...others, [name]: now } : others;
  }

  private focusFirstInvalid() {
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }
}
customElements.define('template-form', TemplateForm);
