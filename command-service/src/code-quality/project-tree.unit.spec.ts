import { declaredRequirements, isDeclared } from './declared-requirements.js';
import { packageTypes, sourceTypeOf } from './module-type.js';
import { missingPackageMarkers } from './python-linters.js';

describe('the project tree of a check', () => {
  it('reads the declared requirements from requirements.txt and pyproject.toml', () => {
    const declared = declaredRequirements([
      { path: 'requirements.txt', content: '# pinned\nrequests>=2.31  # http\n-r dev.txt\nPyYAML==6.0; python_version > "3.8"\ngit+https://example.com/x.git\n' },
      { path: 'svc/pyproject.toml', content: '[project]\nname = "svc"\ndependencies = [\n  "fastapi>=0.110",\n  "pydantic_settings",\n]\n\n[tool.ruff]\nline-length = 100\n' },
    ])!;
    expect(declared.names).toEqual(['fastapi', 'pydantic-settings', 'pyyaml', 'requests']);
    expect(isDeclared('yaml', declared)).toBe(true);
    expect(isDeclared('pydantic_settings', declared)).toBe(true);
    expect(isDeclared('numpy', declared)).toBe(false);
    expect(declaredRequirements([{ path: 'a.py', content: 'import os\n' }])).toBeNull();
  });

  it('gives JavaScript its source type from the extension and the nearest package.json, as Node does', () => {
    const types = packageTypes([{ path: 'package.json', content: '{"type":"module"}' }, { path: 'legacy/package.json', content: '{"name":"legacy"}' }]);
    expect(types).toEqual({ '': 'module', legacy: 'commonjs' });
    expect(['a.cjs', 'a.mjs', 'a.js', 'legacy/deep/b.js', 'legacy/c.mjs', 'x.ts'].map((p) => sourceTypeOf(p, types))).toEqual(['commonjs', 'module', 'module', 'commonjs', 'module', 'module']);
    expect(sourceTypeOf('lib/a.js', {})).toBe('module');
  });

  it('adds the __init__.py files relative imports need, only where the tree has none', () => {
    const files = [
      { path: 'app/api/routes.py', content: 'from ..core import db\n' },
      { path: 'app/core/db.py', content: 'import os\n' },
      { path: 'app/__init__.py', content: '' },
      { path: 'script.py', content: 'import app\n' },
    ];
    expect(missingPackageMarkers(files)).toEqual(['app/api/__init__.py']);
    // As deep as the dots ask, and never above a folder that is not a package name (or a src layout's src/).
    expect(missingPackageMarkers([{ path: 'src/shop/orders/api.py', content: 'from .models import Order\n' }])).toEqual(['src/shop/orders/__init__.py']);
    expect(missingPackageMarkers([{ path: 'my-service/app/api.py', content: 'from ..core import db\n' }])).toEqual(['my-service/app/__init__.py']);
  });
});
