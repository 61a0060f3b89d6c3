/**
 * Moves a code editor's caret to a line and scrolls it into view, for "click a finding to jump to
 * its line". It reaches the CodeMirror view through CodeMirror's own `findFromDOM`, so the editor
 * component needs no extra API for it.
 */
import { EditorView } from '@codemirror/view';

export function jumpToLine(editor: Element | null | undefined, line: number): boolean {
  const dom = editor?.shadowRoot?.querySelector<HTMLElement>('.cm-editor');
  const view = dom ? EditorView.findFromDOM(dom) : null;
  if (!view || line < 1 || line > view.state.doc.lines) return false;
  const { from } = view.state.doc.line(line);
  view.dispatch({ selection: { anchor: from }, effects: EditorView.scrollIntoView(from, { y: 'center' }) });
  view.focus();
  return true;
}
