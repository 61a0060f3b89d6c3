import { mypySeverity } from './mypy-severity.js';

describe("mypy severities, from mypy's error codes", () => {
  it('makes type errors errors, optional checks and missing annotations warnings, notes info', () => {
    expect(['arg-type', 'assignment', 'attr-defined', 'syntax', null].map((code) => mypySeverity(code, 'error'))).toEqual(['error', 'error', 'error', 'error', 'error']);
    expect(['var-annotated', 'unreachable', 'no-untyped-def'].map((code) => mypySeverity(code, 'error'))).toEqual(['warning', 'warning', 'warning']);
    expect(mypySeverity('annotation-unchecked', 'note')).toBe('info');
  });
});
