import { randomUUID } from 'node:crypto';
import { readCachedRuffCatalogue, writeCachedRuffCatalogue } from './ruff-catalogue-cache.js';

describe("ruff's catalogue cache", () => {
  it('gives back what was written for the same ruff and version, and nothing for another version', async () => {
    const executable = `/nonexistent/${randomUUID()}/ruff`;
    const rules = new Map([['F401', { code: 'F401', linter: 'Pyflakes', category: 'suspicious' }]]);
    await writeCachedRuffCatalogue(executable, '9.9.9', { rules, selection: { rules: 1, linters: ['Pyflakes'] } });
    const read = await readCachedRuffCatalogue(executable, '9.9.9');
    expect(read && { rules: [...read.rules], selection: read.selection }).toEqual({ rules: [...rules], selection: { rules: 1, linters: ['Pyflakes'] } });
    expect(await readCachedRuffCatalogue(executable, '9.9.8')).toBeNull();
  });
});
