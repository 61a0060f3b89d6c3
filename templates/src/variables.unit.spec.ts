import { manifestSchema, type TemplateManifest } from './manifest.js';
import { parseVariablePairs, resolveVariables, TemplateVariablesError, type VariableProblem } from './variables.js';

const manifest: TemplateManifest = manifestSchema.parse({
  id: 'sample', name: 'Sample', description: 'A sample', category: 'test', tags: ['x'], version: '1.0.0',
  variables: {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', title: 'Name', pattern: '^[a-z]+$', minLength: 3, maxLength: 10 },
      port: { type: 'integer', title: 'Port', default: 8000, minimum: 1024, maximum: 65535 },
      docker: { type: 'boolean', title: 'Docker', default: true },
      flavour: { type: 'string', title: 'Flavour', default: 'mint', enum: ['mint', 'lemon'] },
    },
  },
});

function problems(input: Record<string, unknown>): VariableProblem[] {
  try {
    resolveVariables(manifest, input);
  } catch (error) {
    if (error instanceof TemplateVariablesError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the variables to be refused');
}

describe('variables', () => {
  it('fills in defaults for every variable not given', () => {
    expect(resolveVariables(manifest, { name: 'abc' })).toEqual({ name: 'abc', port: 8000, docker: true, flavour: 'mint' });
  });

  it('reads integers and booleans from text, as a query string or --var sends them', () => {
    expect(resolveVariables(manifest, { name: 'abc', port: '9000', docker: 'false', flavour: 'lemon' })).toEqual({ name: 'abc', port: 9000, docker: false, flavour: 'lemon' });
  });

  it('refuses a missing required variable, naming it', () => {
    expect(problems({})).toEqual([{ field: 'name', message: 'is required' }]);
    expect(problems({ name: '' })).toEqual([{ field: 'name', message: 'is required' }]);
  });

  it('checks string patterns and length limits', () => {
    expect(problems({ name: 'ABC' })).toEqual([{ field: 'name', message: 'must match ^[a-z]+$' }]);
    expect(problems({ name: 'ab' })).toEqual([{ field: 'name', message: 'must be at least 3 characters' }]);
    expect(problems({ name: 'abcdefghijk' })).toEqual([{ field: 'name', message: 'must be at most 10 characters' }]);
    expect(problems({ name: 42 })).toEqual([{ field: 'name', message: 'must be text' }]);
  });

  it('checks integer type and limits', () => {
    expect(problems({ name: 'abc', port: 80 })).toEqual([{ field: 'port', message: 'must be at least 1024' }]);
    expect(problems({ name: 'abc', port: 70000 })).toEqual([{ field: 'port', message: 'must be at most 65535' }]);
    expect(problems({ name: 'abc', port: '80.5' })).toEqual([{ field: 'port', message: 'must be a whole number' }]);
    expect(problems({ name: 'abc', port: 1.5 })).toEqual([{ field: 'port', message: 'must be a whole number' }]);
  });

  it('checks booleans', () => {
    expect(problems({ name: 'abc', docker: 'maybe' })).toEqual([{ field: 'docker', message: 'must be true or false' }]);
  });

  it('checks choices', () => {
    expect(problems({ name: 'abc', flavour: 'cherry' })).toEqual([{ field: 'flavour', message: 'must be one of mint, lemon' }]);
  });

  it('refuses variables the template does not declare', () => {
    expect(problems({ name: 'abc', colour: 'red' })).toEqual([{ field: 'colour', message: 'is not a variable of template "sample"' }]);
  });

  it('reports every problem at once, each naming its field', () => {
    expect(problems({ port: 'x', docker: 'x', flavour: 'x' }).map((p) => p.field).sort()).toEqual(['docker', 'flavour', 'name', 'port']);
  });

  it('reads --var pairs and refuses one without "="', () => {
    expect(parseVariablePairs(['name=abc', 'url=a=b'])).toEqual({ name: 'abc', url: 'a=b' });
    expect(() => parseVariablePairs(['name'])).toThrow('name: is not written as name=value');
  });
});

describe('manifest', () => {
  const base = { id: 'sample', name: 'Sample', description: 'A sample', category: 'test', tags: [], version: '1.0.0' };
  const issues = (variables: unknown, extra: object = {}) => {
    const result = manifestSchema.safeParse({ ...base, variables, ...extra });
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts each variable type with help text', () => {
    expect(manifest.variables.properties.flavour).toMatchObject({ type: 'string', enum: ['mint', 'lemon'], description: '' });
  });

  it('refuses an optional variable without a default', () => {
    expect(issues({ type: 'object', properties: { a: { type: 'boolean', title: 'A' } } })).toEqual(['variables.properties.a: an optional variable needs a default']);
  });

  it('refuses a default outside the choices, an undeclared required variable and inverted limits', () => {
    expect(issues({ type: 'object', required: ['b'], properties: { a: { type: 'string', title: 'A', enum: ['x'], default: 'y' }, n: { type: 'integer', title: 'N', default: 1, minimum: 5, maximum: 2 } } })).toEqual([
      'variables.required: "b" is required but not declared',
      'variables.properties.a: the default is not one of the choices',
      'variables.properties.n: minimum is above maximum',
    ]);
  });

  it('refuses invalid patterns, unknown types and bad variable names', () => {
    expect(issues({ type: 'object', properties: { a: { type: 'string', title: 'A', default: '', pattern: '(' } } })).toEqual(['variables.properties.a.pattern: is not a valid regular expression']);
    expect(issues({ type: 'object', properties: { a: { type: 'number', title: 'A', default: 1 } } })).toHaveLength(1);
    expect(issues({ type: 'object', properties: { 'Bad-Name': { type: 'boolean', title: 'A', default: true } } })[0]).toMatch(/Bad-Name/);
  });

  it('refuses conditions on undeclared variables', () => {
    expect(issues({ type: 'object', properties: {} }, { conditions: [{ path: 'k8s', when: 'kubernetes' }] })).toEqual(['conditions.0.when: refers to undeclared variable "kubernetes"']);
  });
});

describe('variables with a meaning beyond their pattern', () => {
  const meaningful: TemplateManifest = manifestSchema.parse({
    id: 'meaning', name: 'Meaning', description: 'Formats', category: 'test', tags: [], version: '1.0.0',
    variables: {
      type: 'object',
      properties: {
        package_name: { type: 'string', title: 'Package', default: 'orders', pattern: '^[a-z][a-z0-9_]*$', format: 'python-package', reserved: ['fastapi', 'airflow'] },
        start_date: { type: 'string', title: 'Start', default: '2026-01-01', pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', format: 'date' },
      },
    },
  });
  const refused = (input: Record<string, unknown>): VariableProblem[] => {
    try {
      resolveVariables(meaningful, input);
    } catch (error) {
      if (error instanceof TemplateVariablesError) return [...error.problems];
      throw error;
    }
    throw new Error('expected the variables to be refused');
  };

  it('refuses a package named after a Python keyword, which could never be imported', () => {
    expect(refused({ package_name: 'import' })).toEqual([{ field: 'package_name', message: '"import" is a Python keyword, so the package could not be imported' }]);
    expect(refused({ package_name: 'lambda' })[0]!.field).toBe('package_name');
  });

  it('refuses a package named after one of the project\'s own dependencies', () => {
    expect(refused({ package_name: 'fastapi' })).toEqual([{ field: 'package_name', message: '"fastapi" would shadow a module the generated project imports; choose another name' }]);
  });

  it('refuses dates that match the pattern but do not exist, and keeps leap days', () => {
    expect(refused({ start_date: '2026-02-31' })).toEqual([{ field: 'start_date', message: '"2026-02-31" is not a calendar date (YYYY-MM-DD)' }]);
    expect(refused({ start_date: '2026-02-29' })[0]!.message).toContain('not a calendar date');
    expect(resolveVariables(meaningful, { start_date: '2028-02-29', package_name: 'orders_api' })).toEqual({ start_date: '2028-02-29', package_name: 'orders_api' });
  });
});
