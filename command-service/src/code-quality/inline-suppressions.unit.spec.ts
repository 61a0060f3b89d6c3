import {
  firstCodeLine, mypySuppressed, neutraliseEslintConfigComments, neutraliseMypySwitches, neutralisePylintSwitches, noqaCodes, ruffSuppressed, typeIgnoreCodes,
} from './inline-suppressions.js';

describe('inline suppressions', () => {
  it('reads # noqa with and without codes; a file-wide # ruff: noqa is not a line suppression', () => {
    expect(noqaCodes('import os  # noqa')).toEqual([]);
    expect(noqaCodes('import os  # noqa: F401, E501')).toEqual(['F401', 'E501']);
    expect(noqaCodes('# ruff: noqa')).toBeNull();
    expect(noqaCodes('x = 1')).toBeNull();
    expect(ruffSuppressed('F401', 'import os  # noqa: F401')).toBe(true);
    expect(ruffSuppressed('E501', 'import os  # noqa: F401')).toBe(false);
  });

  it('reads # type: ignore[codes] on a line, and not the file-wide form before the code', () => {
    expect(typeIgnoreCodes('x: int = "a"  # type: ignore[assignment, misc]')).toEqual(['assignment', 'misc']);
    expect(mypySuppressed('assignment', 'x: int = "a"  # type: ignore[assignment]', 3, 1)).toBe(true);
    expect(mypySuppressed('arg-type', 'x: int = "a"  # type: ignore[assignment]', 3, 1)).toBe(false);
    expect(mypySuppressed('assignment', '# type: ignore', 1, 2)).toBe(false);
    expect(firstCodeLine('# type: ignore\n\nimport os\n')).toBe(3);
  });

  it('neutralises the switches that would hide a whole file, keeping every line and column', () => {
    const python = '# pylint: skip-file\n# mypy: ignore-errors\nx: int = "a"  # type: ignore\n';
    expect(neutralisePylintSwitches(python)).toBe('# pylint  skip-file\n# mypy: ignore-errors\nx: int = "a"  # type: ignore\n');
    expect(neutraliseMypySwitches(python)).toBe('# pylint: skip-file\n# mypy  ignore-errors\nx: int = "a"  # type- ignore\n');
    const js = '/* eslint no-undef: "off" */\n/* eslint-disable no-debugger */\n/*eslint\tsemi: 2*/\n';
    const neutral = neutraliseEslintConfigComments(js);
    expect(neutral).toBe('/* ESLINT no-undef: "off" */\n/* eslint-disable no-debugger */\n/*ESLINT\tsemi: 2*/\n');
    expect(neutral.length).toBe(js.length);
  });
});
