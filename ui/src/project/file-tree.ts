/** The project's files as a tree of folders; events `open-file` (file id) and `create-file` (path) when the user may edit. */
import { LitElement, css, html, type TemplateResult } from 'lit';
import { sharedStyles } from '../styles/shared-styles.js';
import { emit } from '../events.js';

export interface FileEntry {
  readonly id: string;
  readonly path: string;
  readonly size: number;
  readonly lockedBy: string | null;
}

interface Folder {
  readonly folders: Map<string, Folder>;
  readonly files: FileEntry[];
}

export function buildTree(files: readonly FileEntry[]): Folder {
  const root: Folder = { folders: new Map(), files: [] };
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const parts = file.path.split('/');
    let folder = root;
    for (const part of parts.slice(0, -1)) {
      if (!folder.folders.has(part)) folder.folders.set(part, { folders: new Map(), files: [] });
      folder = folder.folders.get(part)!;
    }
    folder.files.push(file);
  }
  return root;
}

export class FileTree extends LitElement {
  static override properties = { files: { attribute: false }, selected: {}, canCreate: { type: Boolean, attribute: 'can-create' }, lockNames: { attribute: false } };
  declare files: readonly FileEntry[];
  declare selected: string | null;
  declare canCreate: boolean;
  declare lockNames: ReadonlyMap<string, string>;

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      ul { list-style: none; margin: 0; padding-left: 0.9rem; }
      :host > ul, nav > ul { padding-left: 0; }
      .folder { font-weight: 600; margin-top: 0.25rem; }
      a { display: block; padding: 0.2rem 0.35rem; border-radius: 4px; text-decoration: none; color: inherit; word-break: break-all; }
      a[aria-current='true'] { background: #e4ebff; color: #1d3fa5; }
      a:hover { background: #f0f3fa; }
      form { margin-top: 0.75rem; }
    `,
  ];

  constructor() {
    super();
    this.files = [];
    this.selected = null;
    this.canCreate = false;
    this.lockNames = new Map();
  }

  private pendingPath: string | null = null;

  override render() {
    return html`<h2>Files</h2>
      <nav aria-label="Files">${this.files.length === 0 ? html`<p class="muted">No files yet.</p>` : this.folder(buildTree(this.files))}</nav>
      ${this.canCreate
        ? html`<form @submit=${this.create} aria-label="Create a file">
            <label for="new-file">New file</label>
            <div class="row"><input id="new-file" name="path" placeholder="src/main.py" required /><button type="submit">Create</button></div>
          </form>`
        : null}`;
  }

  private folder(folder: Folder): TemplateResult {
    return html`<ul>
      ${[...folder.folders].map(([name, sub]) => html`<li><div class="folder">${name}/</div>${this.folder(sub)}</li>`)}
      ${folder.files.map(
        (f) => html`<li>
          <a href="#" data-path=${f.path} aria-current=${f.id === this.selected ? 'true' : 'false'} @click=${(e: Event) => this.open(e, f.id)}
            >${f.path.split('/').pop()}${f.lockedBy ? html` <span title="Locked by ${this.lockNames.get(f.lockedBy) ?? 'a member'}" aria-label="locked">🔒</span>` : null}</a
          >
        </li>`,
      )}
    </ul>`;
  }

  private open(event: Event, id: string) {
    event.preventDefault();
    emit(this, 'open-file', id);
  }

  private create(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const path = String(new FormData(form).get('path') ?? '').trim();
    if (!path) return;
    this.pendingPath = path;
    emit(this, 'create-file', path);
  }

  /** The typed path stays until the file exists (a refused path can be corrected, not retyped). */
  override updated(changed: Map<string, unknown>) {
    if (changed.has('files') && this.pendingPath && this.files.some((f) => f.path === this.pendingPath)) {
      this.pendingPath = null;
      this.renderRoot.querySelector<HTMLFormElement>('form')?.reset();
    }
  }
}
customElements.define('file-tree', FileTree);
