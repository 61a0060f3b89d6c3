import { getIndentUnit, indentUnit } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { indentationFor } from './editor-indentation.js';

describe('editor indentation by language', () => {
  it('indents Python with four spaces and JavaScript with two', () => {
    const python = EditorState.create({ extensions: [indentationFor('python')] });
    const javascript = EditorState.create({ extensions: [indentationFor('javascript')] });
    expect([python.facet(indentUnit), getIndentUnit(python), python.tabSize]).toEqual(['    ', 4, 4]);
    expect([javascript.facet(indentUnit), getIndentUnit(javascript)]).toEqual(['  ', 2]);
  });
});
