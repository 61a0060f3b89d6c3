/**
 * Code-quality findings drawn the way editors do (issue 12): an icon in a gutter of its own (the
 * worst severity of the line, every message in its tooltip) and a wavy underline under the line's
 * code, instead of tinting whole lines. Added to a `<code-editor>`'s CodeMirror view through
 * CodeMirror's public `findFromDOM` and `appendConfig`, so the editor component stays as it is.
 */
import { RangeSet, RangeSetBuilder, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, GutterMarker, gutter, type DecorationSet } from '@codemirror/view';

export type FindingLevel = 'error' | 'warning' | 'info';
export interface LineFinding {
  readonly line: number;
  readonly level: FindingLevel;
  readonly message: string;
}

const setFindings = StateEffect.define<readonly LineFinding[]>();
const RANK: Record<FindingLevel, number> = { error: 3, warning: 2, info: 1 };
const SYMBOL: Record<FindingLevel, string> = { error: '!', warning: '▲', info: 'i' };

class FindingMarker extends GutterMarker {
  constructor(readonly level: FindingLevel, readonly messages: string) {
    super();
  }
  override eq(other: FindingMarker): boolean {
    return other.level === this.level && other.messages === this.messages;
  }
  override toDOM(): Node {
    const span = document.createElement('span');
    span.className = `cm-finding-marker cm-finding-${this.level}`;
    span.title = this.messages;
    span.setAttribute('aria-label', `${this.level}: ${this.messages}`);
    span.textContent = SYMBOL[this.level];
    return span;
  }
}

interface Drawn {
  readonly underlines: DecorationSet;
  readonly markers: RangeSet<GutterMarker>;
}

/** Groups findings by line: the worst level wins; every message is kept for the tooltip. */
export function byLine(findings: readonly LineFinding[], lines: number): Map<number, { level: FindingLevel; messages: string[] }> {
  const grouped = new Map<number, { level: FindingLevel; messages: string[] }>();
  for (const f of findings) {
    if (f.line < 1 || f.line > lines) continue;
    const entry = grouped.get(f.line) ?? { level: f.level, messages: [] };
    if (RANK[f.level] > RANK[entry.level]) entry.level = f.level;
    entry.messages.push(f.message);
    grouped.set(f.line, entry);
  }
  return grouped;
}

const drawnField = StateField.define<Drawn>({
  create: () => ({ underlines: Decoration.none, markers: RangeSet.empty }),
  update(value, tr) {
    let next: Drawn = { underlines: value.underlines.map(tr.changes), markers: value.markers.map(tr.changes) };
    for (const effect of tr.effects) {
      if (!effect.is(setFindings)) continue;
      const underlines = new RangeSetBuilder<Decoration>();
      const markers = new RangeSetBuilder<GutterMarker>();
      for (const [number, { level, messages }] of [...byLine(effect.value, tr.state.doc.lines)].sort(([a], [b]) => a - b)) {
        const line = tr.state.doc.line(number);
        const indent = /^\s*/.exec(line.text)?.[0].length ?? 0;
        markers.add(line.from, line.from, new FindingMarker(level, messages.join('\n')));
        if (line.from + indent < line.to) underlines.add(line.from + indent, line.to, Decoration.mark({ class: `cm-finding-underline cm-finding-underline-${level}`, attributes: { title: messages.join('\n') } }));
      }
      next = { underlines: underlines.finish(), markers: markers.finish() };
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field, (drawn) => drawn.underlines),
});

const COLOUR: Record<FindingLevel, string> = { error: '#c62828', warning: '#b7791f', info: '#2f5bd3' };

const findingTheme = EditorView.baseTheme({
  '.cm-finding-gutter': { width: '1.2em' },
  '.cm-finding-marker': { display: 'inline-block', width: '1em', height: '1em', lineHeight: '1em', borderRadius: '50%', textAlign: 'center', fontSize: '0.75em', fontWeight: '700', color: '#fff', cursor: 'help' },
  '.cm-finding-error': { backgroundColor: COLOUR.error },
  '.cm-finding-warning': { backgroundColor: 'transparent', color: COLOUR.warning, fontSize: '0.85em' },
  '.cm-finding-info': { backgroundColor: COLOUR.info },
  '.cm-finding-underline': { textDecorationLine: 'underline', textDecorationStyle: 'wavy', textUnderlineOffset: '3px', textDecorationThickness: '1px' },
  '.cm-finding-underline-error': { textDecorationColor: COLOUR.error },
  '.cm-finding-underline-warning': { textDecorationColor: COLOUR.warning },
  '.cm-finding-underline-info': { textDecorationColor: COLOUR.info },
});

const findingExtension: Extension = [
  drawnField,
  gutter({ class: 'cm-finding-gutter', markers: (view) => view.state.field(drawnField).markers }),
  findingTheme,
];

const installed = new WeakSet<EditorView>();

/** Shows `findings` in the `<code-editor>` (replacing what it showed); false when its view is not there yet. */
export function showFindings(editor: Element | null | undefined, findings: readonly LineFinding[]): boolean {
  const dom = editor?.shadowRoot?.querySelector<HTMLElement>('.cm-editor');
  const view = dom ? EditorView.findFromDOM(dom) : null;
  if (!view) return false;
  if (!installed.has(view)) {
    installed.add(view);
    view.dispatch({ effects: StateEffect.appendConfig.of(findingExtension) });
  }
  view.dispatch({ effects: setFindings.of(findings) });
  return true;
}
