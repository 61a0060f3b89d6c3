import { byLine } from './finding-markers.js';

describe('findings drawn in the editor', () => {
  it('shows one marker per line with the worst severity and every message, ignoring lines the text does not have', () => {
    const grouped = byLine([
      { line: 2, level: 'warning', message: 'ruff E501: too long' },
      { line: 2, level: 'error', message: 'mypy: wrong type' },
      { line: 9, level: 'info', message: 'gone' },
      { line: 1, level: 'info', message: 'pylint C0114: docstring' },
    ], 3);
    expect([...grouped]).toEqual([
      [2, { level: 'error', messages: ['ruff E501: too long', 'mypy: wrong type'] }],
      [1, { level: 'info', messages: ['pylint C0114: docstring'] }],
    ]);
  });
});
