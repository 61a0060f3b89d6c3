/**
 * A small logic-less renderer. Tags use `[%` … `%]` so template files can hold
 * Jinja (`{{ ref('x') }}`) and GitHub Actions (`${{ secrets.X }}`) untouched:
 *
 *   [% name %]                 the variable's value, as text
 *   [%#flag%] … [%/flag%]      kept when the boolean variable is true
 *   [%^flag%] … [%/flag%]      kept when it is false
 *   [%#choice=value%] … [%/choice=value%]   kept when the choice equals value (`^` negates)
 *
 * A template is parsed once into tokens; rendering only concatenates text and
 * values, so a value is never parsed again and cannot inject tags. There are
 * no expressions, loops, helpers or partials: nothing in a template can run code.
 * A section tag alone on its line takes its line with it.
 */

export type Condition = { readonly name: string; readonly equals?: string; readonly negate: boolean };

export type Token =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'section'; readonly condition: Condition; readonly body: readonly Token[] };

export type Values = Readonly<Record<string, string | number | boolean>>;

export class TemplateSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

const OPEN = '[%';
const CLOSE = '%]';
const NAME = '[a-z][a-z0-9_]*';
const VAR_TAG = new RegExp(`^\\s*(${NAME})\\s*$`);
const SECTION_TAG = new RegExp(`^([#^/])\\s*(${NAME})(?:=([A-Za-z0-9_.+-]+))?\\s*$`);

interface RawTag {
  readonly start: number;
  readonly end: number;
  readonly inner: string;
}

/** Where each tag is; a `[%` without its `%]` is an error. */
function scanTags(source: string, where: string): RawTag[] {
  const tags: RawTag[] = [];
  let from = 0;
  for (;;) {
    const start = source.indexOf(OPEN, from);
    if (start === -1) return tags;
    const close = source.indexOf(CLOSE, start + OPEN.length);
    if (close === -1) throw new TemplateSyntaxError(`${where}: "[%" at offset ${start} is never closed with "%]"`);
    tags.push({ start, end: close + CLOSE.length, inner: source.slice(start + OPEN.length, close) });
    from = close + CLOSE.length;
  }
}

/** A section tag alone on its line (only spaces or tabs around it) swallows that line. */
function standaloneBounds(source: string, tag: RawTag): { start: number; end: number } | null {
  let lineStart = tag.start;
  while (lineStart > 0 && (source[lineStart - 1] === ' ' || source[lineStart - 1] === '\t')) lineStart -= 1;
  if (lineStart > 0 && source[lineStart - 1] !== '\n') return null;
  let lineEnd = tag.end;
  while (lineEnd < source.length && (source[lineEnd] === ' ' || source[lineEnd] === '\t')) lineEnd += 1;
  if (lineEnd < source.length && source[lineEnd] === '\r') lineEnd += 1;
  if (lineEnd < source.length && source[lineEnd] !== '\n') return null;
  return { start: lineStart, end: Math.min(lineEnd + 1, source.length) };
}

const conditionLabel = (c: Condition): string => (c.equals === undefined ? c.name : `${c.name}=${c.equals}`);

/** Parses a template once; `where` names it in error messages. */
export function parseTemplate(source: string, where: string): Token[] {
  const root: Token[] = [];
  const stack: { condition: Condition; body: Token[] }[] = [];
  const current = (): Token[] => stack[stack.length - 1]?.body ?? root;
  let cursor = 0;
  for (const tag of scanTags(source, where)) {
    const section = SECTION_TAG.exec(tag.inner);
    const variable = section ? null : VAR_TAG.exec(tag.inner);
    if (!section && !variable) throw new TemplateSyntaxError(`${where}: "[%${tag.inner}%]" is not a tag: use [% name %], [%#name%], [%^name%], [%/name%] or name=value`);
    const bounds = section ? (standaloneBounds(source, tag) ?? tag) : tag;
    if (bounds.start > cursor) current().push({ kind: 'text', text: source.slice(cursor, bounds.start) });
    cursor = bounds.end;
    if (variable) {
      current().push({ kind: 'var', name: variable[1]! });
      continue;
    }
    const [, sigil, name, equals] = section!;
    const condition: Condition = { name: name!, ...(equals === undefined ? {} : { equals }), negate: sigil === '^' };
    if (sigil === '/') {
      const open = stack.pop();
      if (!open || open.condition.name !== name || open.condition.equals !== equals) {
        throw new TemplateSyntaxError(`${where}: "[%/${conditionLabel(condition)}%]" closes ${open ? `"${conditionLabel(open.condition)}"` : 'no open section'}`);
      }
      current().push({ kind: 'section', condition: open.condition, body: open.body });
      continue;
    }
    stack.push({ condition, body: [] });
  }
  const unclosed = stack.pop();
  if (unclosed) throw new TemplateSyntaxError(`${where}: section "${conditionLabel(unclosed.condition)}" is never closed`);
  if (cursor < source.length) root.push({ kind: 'text', text: source.slice(cursor) });
  return root;
}

/** Every variable a parsed template refers to, and how (for checking a template against its manifest). */
export function* tagUses(tokens: readonly Token[]): Generator<{ name: string; as: 'value' | 'flag' | 'choice'; equals?: string }> {
  for (const token of tokens) {
    if (token.kind === 'var') yield { name: token.name, as: 'value' };
    if (token.kind === 'section') {
      const { name, equals } = token.condition;
      yield equals === undefined ? { name, as: 'flag' } : { name, as: 'choice', equals };
      yield* tagUses(token.body);
    }
  }
}

export function holds(condition: Condition, values: Values): boolean {
  const value = values[condition.name];
  if (value === undefined) throw new TemplateSyntaxError(`unknown variable "${condition.name}"`);
  const result = condition.equals === undefined ? value === true : String(value) === condition.equals;
  return condition.negate ? !result : result;
}

/** Renders parsed tokens; values are inserted as plain text, never parsed. */
export function render(tokens: readonly Token[], values: Values): string {
  const parts: string[] = [];
  const walk = (list: readonly Token[]): void => {
    for (const token of list) {
      if (token.kind === 'text') parts.push(token.text);
      else if (token.kind === 'var') {
        const value = values[token.name];
        if (value === undefined) throw new TemplateSyntaxError(`unknown variable "${token.name}"`);
        parts.push(String(value));
      } else if (holds(token.condition, values)) walk(token.body);
    }
  };
  walk(tokens);
  return parts.join('');
}

/** Parses a condition as written in a manifest: `flag`, `!flag`, `choice=value`, `choice!=value`. */
export function parseCondition(text: string): Condition | null {
  const match = new RegExp(`^(!)?(${NAME})(?:(!?=)([A-Za-z0-9_.+-]+))?$`).exec(text.trim());
  if (!match) return null;
  const [, bang, name, op, equals] = match;
  if (bang && op) return null;
  return { name: name!, ...(equals === undefined ? {} : { equals }), negate: !!bang || op === '!=' };
}
