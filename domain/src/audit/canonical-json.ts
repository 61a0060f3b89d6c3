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
  const record = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, the order the format defines.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

/**
 * The canonical JSON of an event's `data`, remembered per data object by whoever made it (sealing an
 * event on append): the audit log's leaf of the same event, hashed just after in the same process,
 * reuses it instead of walking the data again. Keyed weakly by the object, so it lives as long as the
 * event does; an event read back from a store is a new object and is simply walked again.
 */
const canonicalData = new WeakMap<object, string>();

/** `canonicalJson(data)`, made once per data object. */
export function canonicalDataJson(data: unknown): string {
  if (data === null || typeof data !== 'object') return canonicalJson(data);
  let text = canonicalData.get(data);
  if (text === undefined) canonicalData.set(data, (text = canonicalJson(data)));
  return text;
}

/**
 * Remembers `canonical` as the canonical JSON of `value` (made by the caller from parts it already
 * had: the sealing knows its metadata's form before the hash is added), for `canonicalDataJson`.
 */
export function rememberCanonical(value: object, canonical: string): void {
  canonicalData.set(value, canonical);
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
export function canonicalJsonWith(record: Readonly<Record<string, unknown>>, given: Readonly<Record<string, string>>): string {
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
