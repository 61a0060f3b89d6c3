import { parseCondition, parseTemplate, render, TemplateSyntaxError } from './renderer.js';

const run = (source: string, values: Record<string, string | number | boolean>) => render(parseTemplate(source, 'test'), values);

describe('the logic-less renderer', () => {
  it('inserts values and leaves Jinja and GitHub Actions syntax alone', () => {
    expect(run("name: [% name %]\nsql: {{ ref('x') }} ${{ secrets.TOKEN }}", { name: 'svc' })).toBe("name: svc\nsql: {{ ref('x') }} ${{ secrets.TOKEN }}");
  });

  it('keeps a block when its flag is on and drops it when off', () => {
    const source = 'a\n[%#k8s%]\nkubernetes\n[%/k8s%]\nb\n';
    expect(run(source, { k8s: true })).toBe('a\nkubernetes\nb\n');
    expect(run(source, { k8s: false })).toBe('a\nb\n');
  });

  it('inverts a block with ^ and compares a choice with =', () => {
    const source = '[%^ci%]no ci[%/ci%]|[%#fw=torch%]torch[%/fw=torch%][%^fw=torch%]other[%/fw=torch%]';
    expect(run(source, { ci: false, fw: 'torch' })).toBe('no ci|torch');
    expect(run(source, { ci: true, fw: 'sklearn' })).toBe('|other');
  });

  it('nests blocks', () => {
    expect(run('[%#a%]A[%#b%]B[%/b%][%/a%]', { a: true, b: true })).toBe('AB');
    expect(run('[%#a%]A[%#b%]B[%/b%][%/a%]', { a: false, b: true })).toBe('');
  });

  it('never parses a value again: a value holding tags comes out as text', () => {
    const values = { name: '[% secret %][%#flag%]x[%/flag%]', secret: 'TOP-SECRET', flag: true };
    expect(run('hello [% name %]', values)).toBe('hello [% secret %][%#flag%]x[%/flag%]');
  });

  it('has no expressions: anything but a name or a section is a syntax error', () => {
    expect(() => parseTemplate("[% process.exit(1) %]", 'evil')).toThrow(TemplateSyntaxError);
    expect(() => parseTemplate("[% constructor.constructor('return 1')() %]", 'evil')).toThrow(/is not a tag/);
    expect(() => parseTemplate('[% __proto__ %]', 'evil')).toThrow(/is not a tag/);
    expect(() => parseTemplate('[%> partial %]', 'evil')).toThrow(/is not a tag/);
  });

  it('refuses unclosed tags, unclosed sections and mismatched closes', () => {
    expect(() => parseTemplate('a [% name', 'f')).toThrow('f: "[%" at offset 2 is never closed');
    expect(() => parseTemplate('[%#a%]x', 'f')).toThrow('section "a" is never closed');
    expect(() => parseTemplate('[%#a%]x[%/b%]', 'f')).toThrow('"[%/b%]" closes "a"');
  });

  it('refuses to render an unknown variable rather than printing nothing', () => {
    expect(() => run('[% missing %]', {})).toThrow('unknown variable "missing"');
  });

  it('reads manifest conditions', () => {
    expect(parseCondition('kubernetes')).toEqual({ name: 'kubernetes', negate: false });
    expect(parseCondition('!kubernetes')).toEqual({ name: 'kubernetes', negate: true });
    expect(parseCondition('fw!=torch')).toEqual({ name: 'fw', equals: 'torch', negate: true });
    expect(parseCondition('a && b')).toBeNull();
  });
});
