/**
 * The check refuses submitted modules named like the linters' own
 * (domain's TOOL_MODULES). That list must cover every top-level module the
 * installed tools could import, so it is compared with the installation:
 * upgrading the tools with a new dependency fails here until the list names it.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { TOOL_MODULES } from '@resoft/domain';
import { DEFAULT_PYTHON_TOOLS_DIR } from '../command-service-config.js';
import { describeWithPythonTools } from './code-quality.fixture.js';

/** Importable top-level names in a site-packages folder: packages and modules, not metadata or compiled helpers. */
function topLevelModules(sitePackages: string): string[] {
  return readdirSync(sitePackages, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === '__pycache__' || /\.(dist|egg)-info$/.test(entry.name) || entry.name.endsWith('.pth')) return [];
    // mypyc's shared libraries have generated names (hash__mypyc): nothing imports them by a name a user would pick.
    if (/__mypyc\./.test(entry.name)) return [];
    if (entry.isDirectory()) return [entry.name];
    const module = /^([A-Za-z_]\w*)(\.cpython-[^.]+)?\.(py|so|pyd)$/.exec(entry.name);
    return module ? [module[1]!] : [];
  });
}

describeWithPythonTools('the linters\' own modules')('the linters\' own modules', () => {
  it('are all refused as submitted names', () => {
    const lib = path.join(DEFAULT_PYTHON_TOOLS_DIR, 'lib');
    const sitePackages = readdirSync(lib).filter((name) => name.startsWith('python')).map((name) => path.join(lib, name, 'site-packages'));
    const installed = sitePackages.flatMap(topLevelModules);
    expect(installed).toEqual(expect.arrayContaining(['pylint', 'astroid', 'isort', 'mypy']));
    expect(installed.filter((name) => !TOOL_MODULES.has(name))).toEqual([]);
  });
});
