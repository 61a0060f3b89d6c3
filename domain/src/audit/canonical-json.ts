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
