/**
 * A CodeMirror 6 editor as a web component. Properties in: `value` (text from elsewhere, e.g. a
 * remote change: applied as a minimal change so the local caret stays put), `language`,
 * `readOnly`, `cursors` (remote carets and selections with name labels and colours), `annotations`
 * (line markers). Events out: `edit` (the user's changes, in order, with positions in the text
 * before each one) and `caret` (the user's caret and selection).
 *
 * Remote changes stay out of the undo history, so Ctrl+Z / Ctrl+Shift+Z undo only the user's own
 * edits (CodeMirror maps them through the remote ones). A remote name label shows while its caret
 * is hovered and for a few seconds after the caret moves, below the caret on the first line so the
 * editor's edge never clips it.
 */
import { LitElement, css, html } from 'lit';
import { Annotation, Compartment, EditorState, RangeSetBuilder, StateEffect, StateField, Transaction, type Extension } from '@codemirror/state';
import { Decoration, EditorView, WidgetType, keymap, lineNumbers, highlightActiveLine, drawSelection, type DecorationSet } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { emit } from '../events.js';
import type { EditorLanguage } from './code-language.js';

export interface TextEdit {
  readonly index: number;
  readonly deleteCount: number;
  readonly insert: string;
}

export interface EditorCursor {
  /** Which connection (two tabs of one user have two carets); the user id when absent. */
  readonly key?: string;
  readonly userId: string;
  readonly username: string;
  readonly color: string;
  readonly index: number | null;
  readonly selection?: { readonly from: number; readonly to: number } | null;
}

export interface LineAnnotation {
  readonly line: number;
  readonly level: 'error' | 'warning' | 'info';
  readonly message: string;
}

export type { EditorLanguage } from './code-language.js';

const remote = Annotation.define<boolean>();
/** How long a remote name label stays visible after its caret moved. */
export const LABEL_VISIBLE_MS = 3000;
const setCursors = StateEffect.define<readonly (EditorCursor & { recent: boolean })[]>();
const setAnnotations = StateEffect.define<readonly LineAnnotation[]>();

class CaretWidget extends WidgetType {
  constructor(
    readonly name: string,
    readonly color: string,
    /** Moved in the last few seconds: the label shows without hovering. */
    readonly recent: boolean,
    /** On the first line, where a label above would be clipped. */
    readonly below: boolean,
  ) {
    super();
  }
  override eq(other: CaretWidget) {
    return other.name === this.name && other.color === this.color && other.recent === this.recent && other.below === this.below;
  }
  toDOM() {
    const caret = document.createElement('span');
    caret.className = `cm-remote-caret${this.recent ? ' cm-remote-recent' : ''}${this.below ? ' cm-remote-below' : ''}`;
    caret.style.borderLeftColor = this.color;
    caret.setAttribute('aria-label', `${this.name}'s cursor`);
    caret.dataset['user'] = this.name;
    const label = document.createElement('span');
    label.className = 'cm-remote-label';
    label.textContent = this.name;
    label.style.background = this.color;
    caret.append(label);
    return caret;
  }
  override ignoreEvent() {
    return true;
  }
}

const cursorField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, tr) {
    let next = value.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setCursors)) continue;
      const length = tr.state.doc.length;
      const ranges: { from: number; to: number; deco: Decoration }[] = [];
      for (const c of effect.value) {
        if (c.index === null) continue;
        const at = Math.min(Math.max(0, c.index), length);
        if (c.selection && c.selection.from !== c.selection.to) {
          const from = Math.min(Math.max(0, c.selection.from), length);
          const to = Math.min(Math.max(0, c.selection.to), length);
          if (from < to) ranges.push({ from, to, deco: Decoration.mark({ class: 'cm-remote-selection', attributes: { 'data-user': c.username, title: `${c.username}'s selection`, style: `background-color: color-mix(in srgb, ${c.color} 30%, transparent)` } }) });
        }
        const below = tr.state.doc.lineAt(at).number === 1;
        ranges.push({ from: at, to: at, deco: Decoration.widget({ widget: new CaretWidget(c.username, c.color, c.recent, below), side: 1 }) });
      }
      // Decoration.set sorts by position and side (a caret can sit where a selection starts).
      next = Decoration.set(ranges.map((r) => r.deco.range(r.from, r.to)), true);
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const annotationField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, tr) {
    let next = value.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setAnnotations)) continue;
      const builder = new RangeSetBuilder<Decoration>();
      const byLine = new Map<number, LineAnnotation[]>();
      for (const a of effect.value) if (a.line >= 1 && a.line <= tr.state.doc.lines) byLine.set(a.line, [...(byLine.get(a.line) ?? []), a]);
      for (const line of [...byLine.keys()].sort((a, b) => a - b)) {
        const notes = byLine.get(line)!;
        const level = notes.some((n) => n.level === 'error') ? 'error' : notes.some((n) => n.level === 'warning') ? 'warning' : 'info';
        const start = tr.state.doc.line(line).from;
        builder.add(start, start, Decoration.line({ attributes: { class: `cm-annotated cm-annotated-${level}`, title: notes.map((n) => n.message).join('\n') } }));
      }
      next = builder.finish();
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '14px', backgroundColor: '#fff' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
  // A few pixels either side of the 2 px caret can be hovered to show the name.
  '.cm-remote-caret': { position: 'relative', borderLeft: '2px solid', marginLeft: '-1px', marginRight: '-1px' },
  '.cm-remote-caret::before': { content: '""', position: 'absolute', left: '-5px', width: '10px', top: '0', bottom: '0' },
  '.cm-remote-label': { position: 'absolute', top: '-1.3em', left: '-2px', fontSize: '11px', lineHeight: '1.2', color: '#fff', padding: '0 3px', borderRadius: '3px', whiteSpace: 'nowrap', pointerEvents: 'none', opacity: '0', transition: 'opacity 0.2s', zIndex: '5' },
  '.cm-remote-below .cm-remote-label': { top: '1.3em' },
  '.cm-remote-caret:hover .cm-remote-label, .cm-remote-recent .cm-remote-label': { opacity: '1' },
  '.cm-annotated-error': { backgroundColor: '#fde7e6' },
  '.cm-annotated-warning': { backgroundColor: '#fff4d6' },
  '.cm-annotated-info': { backgroundColor: '#e8f0ff' },
});

function languageExtension(language: EditorLanguage): Extension {
  if (language === 'python') return python();
  if (language === 'javascript') return javascript();
  if (language === 'typescript') return javascript({ typescript: true });
  return [];
}

/** The smallest single change that turns `before` into `after` (common prefix and suffix kept). */
export function minimalChange(before: string, after: string): { from: number; to: number; insert: string } | null {
  if (before === after) return null;
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < shorter - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return { from: start, to: before.length - end, insert: after.slice(start, after.length - end) };
}

export class CodeEditor extends LitElement {
  static override properties = {
    value: { attribute: false },
    language: {},
    readOnly: { type: Boolean, attribute: 'read-only' },
    cursors: { attribute: false },
    annotations: { attribute: false },
    label: {},
  };
  declare value: string;
  declare language: EditorLanguage;
  declare readOnly: boolean;
  declare cursors: readonly EditorCursor[];
  declare annotations: readonly LineAnnotation[];
  declare label: string;
  private view: EditorView | null = null;
  /** Where each remote caret was and when it last moved (its label shows for a while after). */
  private readonly caretMoves = new Map<string, { index: number | null; at: number }>();
  private labelTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly languageSlot = new Compartment();
  private readonly readOnlySlot = new Compartment();

  static override styles = css`
    :host { display: block; min-height: 12rem; border: 1px solid #dde2ea; border-radius: 8px; overflow: hidden; background: #fff; }
    .host { height: 100%; }
  `;

  constructor() {
    super();
    this.value = '';
    this.language = 'text';
    this.readOnly = false;
    this.cursors = [];
    this.annotations = [];
    this.label = 'Code editor';
  }

  /** The editor's current text. */
  get text(): string {
    return this.view?.state.doc.toString() ?? this.value;
  }

  override render() {
    return html`<div class="host"></div>`;
  }

  override firstUpdated() {
    const parent = this.renderRoot.querySelector('.host') as HTMLElement;
    this.view = new EditorView({
      parent,
      root: this.renderRoot as ShadowRoot,
      state: EditorState.create({
        doc: this.value,
        extensions: [
          lineNumbers(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          indentOnInput(),
          bracketMatching(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          this.languageSlot.of(languageExtension(this.language)),
          this.readOnlySlot.of(EditorState.readOnly.of(this.readOnly)),
          EditorView.contentAttributes.of({ 'aria-label': this.label }),
          cursorField,
          annotationField,
          theme,
          EditorView.updateListener.of((update) => {
            const isRemote = update.transactions.some((tr) => tr.annotation(remote));
            if (update.docChanged && !isRemote) {
              const edits: TextEdit[] = [];
              let shift = 0;
              update.changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
                edits.push({ index: fromA + shift, deleteCount: toA - fromA, insert: inserted.toString() });
                shift += inserted.length - (toA - fromA);
              });
              this.value = update.state.doc.toString();
              emit(this, 'edit', edits);
            }
            if ((update.selectionSet || update.docChanged) && !isRemote && update.view.hasFocus) {
              const main = update.state.selection.main;
              emit(this, 'caret', { head: main.head, anchor: main.anchor });
            }
          }),
        ],
      }),
    });
  }

  override updated(changed: Map<string, unknown>) {
    const view = this.view;
    if (!view) return;
    if (changed.has('value')) {
      const change = minimalChange(view.state.doc.toString(), this.value);
      // Not in the undo history: Ctrl+Z undoes only this user's edits.
      if (change) view.dispatch({ changes: change, annotations: [remote.of(true), Transaction.addToHistory.of(false)] });
    }
    if (changed.has('language')) view.dispatch({ effects: this.languageSlot.reconfigure(languageExtension(this.language)) });
    if (changed.has('readOnly')) view.dispatch({ effects: this.readOnlySlot.reconfigure(EditorState.readOnly.of(this.readOnly)) });
    if (changed.has('cursors')) this.drawCursors();
    if (changed.has('annotations')) view.dispatch({ effects: setAnnotations.of(this.annotations), annotations: [remote.of(true)] });
  }

  /** Scrolls a position into the middle of the view (following a collaborator). */
  reveal(index: number) {
    const view = this.view;
    if (!view) return;
    view.dispatch({ effects: EditorView.scrollIntoView(Math.min(Math.max(0, index), view.state.doc.length), { y: 'center' }), annotations: [remote.of(true)] });
  }

  private drawCursors() {
    const view = this.view;
    if (!view) return;
    const now = Date.now();
    const keys = new Set<string>();
    for (const c of this.cursors) {
      const key = c.key ?? c.userId;
      keys.add(key);
      const known = this.caretMoves.get(key);
      if (!known || known.index !== c.index) this.caretMoves.set(key, { index: c.index, at: now });
    }
    for (const key of [...this.caretMoves.keys()]) if (!keys.has(key)) this.caretMoves.delete(key);
    const shown = this.cursors.map((c) => ({ ...c, recent: now - (this.caretMoves.get(c.key ?? c.userId)?.at ?? 0) < LABEL_VISIBLE_MS }));
    view.dispatch({ effects: setCursors.of(shown), annotations: [remote.of(true)] });
    // Redraw once the newest label has had its time, to hide it.
    if (this.labelTimer) clearTimeout(this.labelTimer);
    this.labelTimer = shown.some((c) => c.recent) ? setTimeout(() => this.drawCursors(), LABEL_VISIBLE_MS + 50) : null;
  }

  override focus() {
    this.view?.focus();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    if (this.labelTimer) clearTimeout(this.labelTimer);
    this.view?.destroy();
    this.view = null;
  }
}
customElements.define('code-editor', CodeEditor);
