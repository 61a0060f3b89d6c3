import { parseRuffCatalogue, parseRuffSelection, ruffSeverity } from './ruff-catalogue.js';

const catalogue = parseRuffCatalogue(JSON.stringify([
  { code: 'F821', linter: 'Pyflakes', category: 'correctness' },
  { code: 'F401', linter: 'Pyflakes', category: 'suspicious' },
  { code: 'FURB101', linter: 'refurb', category: 'pedantic' },
  { code: 'FLY002', linter: 'flynt', category: 'complexity' },
  { code: 'BLE001', linter: 'flake8-blind-except', category: 'suspicious' },
  { code: 'PLE0101', linter: 'Pylint', category: 'suspicious' },
  { code: 'PLW0603', linter: 'Pylint', category: 'correctness' },
  { code: 'PLR0913', linter: 'Pylint', category: 'complexity' },
  { code: 'S307', linter: 'flake8-bandit', category: 'security' },
  { code: 'E501', linter: 'pycodestyle', category: 'formatting' },
  { code: 'UP037', linter: 'pyupgrade', category: 'correctness' },
  { code: 'UP006', linter: 'pyupgrade', category: 'suspicious' },
  { code: null, linter: 'Ruff-specific rules', category: 'style' },
]));
const severity = (code: string | null) => ruffSeverity(code, code ? catalogue.get(code) : undefined);

describe("ruff's severities, from its own rule catalogue", () => {
  it('follows the category, not the code prefix (FURB and FLY are not warnings, F401 is not an error)', () => {
    expect(['F821', 'F401', 'FURB101', 'FLY002', 'BLE001', 'S307', 'E501'].map(severity)).toEqual(['error', 'warning', 'info', 'info', 'warning', 'warning', 'info']);
  });

  it("keeps pylint's category for rules ported from pylint (PLE errors are errors)", () => {
    expect(['PLE0101', 'PLW0603', 'PLR0913'].map(severity)).toEqual(['error', 'warning', 'info']);
  });

  it('makes the rules of style and modernisation linters info, whatever their category', () => {
    expect(['UP037', 'UP006'].map(severity)).toEqual(['info', 'info']);
  });

  it('makes a finding without a code (a syntax error) an error, and an unknown code a warning', () => {
    expect(severity(null)).toBe('error');
    expect(severity('XYZ999')).toBe('warning');
  });

  it('reads the rule selection ruff really runs from --show-settings, naming each rule\'s linter', () => {
    const settings = 'linter.rules.enabled = [\n\tundefined-name (F821),\n\tunused-import (F401),\n\tblind-except (BLE001),\n]\nlinter.rules.should_fix = [\n\t(E501),\n]';
    expect(parseRuffSelection(settings, catalogue)).toEqual({ rules: 3, linters: ['Pyflakes', 'flake8-blind-except'] });
  });
});
