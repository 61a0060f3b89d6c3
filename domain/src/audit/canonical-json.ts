/**
 * Canonical JSON (keys sorted by UTF-16 code units, no whitespace, undefined
 * members left out) so a hash does not depend on key order. Written as plain
 * loops: every append and every audit leaf goes through it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      out += canonicalJson(item === undefined ? null : item);
    }
    return `${out}]`;
  }
  return canonicalJsonWith(value as Record<string, unknown>, NONE_GIVEN);
}

const NONE_GIVEN: Readonly<Partial<Record<string, string>>> = Object.freeze({});

/**
 * The canonical JSON of an event's `data` and stored `metadata` (hash included), made by the append
 * that sealed it and carried on the event object (a symbol-keyed, non-enumerable property: not
 * serialised, not compared), so that the audit log's leaf of the same event, hashed just after in
 * the same process, joins them instead of walking the values again. An event read back from a store
 * has none and is walked.
 */
export type CanonicalForms = {
  readonly data: string;
  readonly metadata: string;
};

const CANONICAL_FORMS = Symbol('canonicalForms');

export function withCanonicalForms<T extends object>(event: T, forms: CanonicalForms): T {
  Object.defineProperty(event, CANONICAL_FORMS, { value: forms });
  return event;
}

export function canonicalFormsOf(event: object): CanonicalForms | undefined {
  return (event as { [CANONICAL_FORMS]?: CanonicalForms })[CANONICAL_FORMS];
}

/** The canonical JSON members (`"key":value`) of a record with their keys, in key order, undefined members left out. */
export function canonicalMembers(record: Readonly<Record<string, unknown>>): [key: string, member: string][] {
  const members: [string, string][] = [];
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member !== undefined) members.push([key, `${JSON.stringify(key)}:${canonicalJson(member)}`]);
  }
  return members;
}

/** The canonical JSON of a record from its members (as `canonicalMembers` gives them). */
export const joinMembers = (members: readonly (readonly [string, string])[]): string => `{${members.map(([, member]) => member).join(',')}}`;

/** `canonicalJson(record)` with the canonical JSON of some members given (their values are not walked). */
export function canonicalJsonWith(record: Readonly<Record<string, unknown>>, given: Readonly<Partial<Record<string, string>>>): string {
  // The default sort compares UTF-16 code units, the order the format defines.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${given[key] ?? canonicalJson(member)}`;
  }
  return `${out}}`;
}
