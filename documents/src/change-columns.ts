/**
 * Reads what churn needs (each op's action, insert flag and value) straight from a stored change's
 * binary columns, without Automerge: `Automerge.decodeChange` turns every op into a JavaScript
 * object with its ids as strings, which made churn most of the analytics rebuild's time. The
 * layout read here is Automerge's documented binary change format (a chunk header, the change's
 * header fields, then column metadata and RLE-, boolean- or raw-encoded columns). Anything else —
 * compressed chunks and deflated columns included, which the Automerge version in use does not
 * produce for changes — answers null and the caller decodes with Automerge instead.
 */

const MAGIC = [0x85, 0x6f, 0x4a, 0x83] as const;
const CHUNK_CHANGE = 1;
/** Column spec bits: the low three are the column's type, bit 3 says the data is deflated, the rest is the column id. */
const DEFLATED = 0x08;
const COLUMN_INSERT = (3 << 4) | 4;
const COLUMN_ACTION = (4 << 4) | 2;
const COLUMN_VALUE_META = (5 << 4) | 6;
const COLUMN_VALUE_RAW = (5 << 4) | 7;
const ACTION_SET = 1;
const ACTION_DEL = 3;
/** A value's metadata is `length << 4 | type`; type 6 is a UTF-8 string. */
const VALUE_STRING = 6;

export class MalformedChange extends Error {}

export class Reader {
  offset = 0;
  constructor(readonly bytes: Uint8Array, readonly end = bytes.length) {}

  get done(): boolean {
    return this.offset >= this.end;
  }

  byte(): number {
    if (this.offset >= this.end) throw new MalformedChange();
    return this.bytes[this.offset++]!;
  }

  uleb(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i += 1) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new MalformedChange();
  }

  sleb(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i += 1) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return b & 0x40 ? result - scale : result;
    }
    throw new MalformedChange();
  }

  skip(count: number): void {
    if (count < 0 || this.offset + count > this.end) throw new MalformedChange();
    this.offset += count;
  }

  /** Skips `count` bytes; answers where they start (no view made: cheaper per op than `slice`). */
  advance(count: number): number {
    const start = this.offset;
    this.skip(count);
    return start;
  }

  slice(count: number): Uint8Array {
    const start = this.offset;
    this.skip(count);
    return this.bytes.subarray(start, this.offset);
  }
}

/**
 * An RLE column of unsigned integers, read whole (null runs read as `nil`): runs `n > 0` of one
 * value, `-n` literals, or `0, n` nulls. Plain loops into an array: a generator per column cost more
 * than reading the column (docs/performance.md, 2026-12-05).
 */
export function unsignedRuns(data: Uint8Array | undefined, nil = -1): number[] {
  const out: number[] = [];
  if (!data) return out;
  const r = new Reader(data);
  while (!r.done) {
    const count = r.sleb();
    if (count > 0) {
      const value = r.uleb();
      for (let i = 0; i < count; i += 1) out.push(value);
    } else if (count < 0) {
      for (let i = 0; i < -count; i += 1) out.push(r.uleb());
    } else {
      const nulls = r.uleb();
      for (let i = 0; i < nulls; i += 1) out.push(nil);
    }
  }
  return out;
}

/** A boolean column, read whole: alternating run lengths, starting with false. */
export function booleanRuns(data: Uint8Array | undefined): boolean[] {
  const out: boolean[] = [];
  if (!data) return out;
  const r = new Reader(data);
  let value = false;
  while (!r.done) {
    const count = r.uleb();
    for (let i = 0; i < count; i += 1) out.push(value);
    value = !value;
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The UTF-8 string of `bytes[start, end)`: ASCII bytes (nearly every value a text edit inserts: one
 * character) are turned into a string without the decoder, whose call cost more than the rest of
 * reading an op; anything else is decoded (a TypeError when it is not UTF-8).
 */
export function utf8String(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end - start === 1 && bytes[start]! < 0x80) return String.fromCharCode(bytes[start]!);
  if (end - start <= 16) {
    let ascii = '';
    for (let i = start; i < end; i += 1) {
      const b = bytes[i]!;
      if (b >= 0x80) return utf8.decode(bytes.subarray(start, end));
      ascii += String.fromCharCode(b);
    }
    return ascii;
  }
  return utf8.decode(bytes.subarray(start, end));
}

/** The UTF-16 length of the UTF-8 string in `bytes[start, end)` (a TypeError when it is not UTF-8). */
function utf16Length(bytes: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i += 1) if (bytes[i]! >= 0x80) return utf8.decode(bytes.subarray(start, end)).length;
  return end - start;
}

/** Characters inserted into and removed from text or lists by one change (as `changeChurn` counts them), or null when the bytes are not a change this reader knows. */
export function churnFromChangeColumns(change: Uint8Array): { inserted: number; removed: number } | null {
  try {
    return readChurn(change);
  } catch (error) {
    // TypeError: a string value that is not UTF-8.
    if (error instanceof MalformedChange || error instanceof TypeError) return null;
    throw error;
  }
}

function readChurn(change: Uint8Array): { inserted: number; removed: number } | null {
  const header = new Reader(change);
  for (const b of MAGIC) if (header.byte() !== b) return null;
  header.skip(4); // checksum
  const type = header.byte();
  const length = header.uleb();
  if (type !== CHUNK_CHANGE) return null;
  const r = new Reader(header.slice(length));
  r.skip(r.uleb() * 32); // dependencies
  r.skip(r.uleb()); // actor
  r.uleb(); // seq
  r.uleb(); // start op
  r.sleb(); // time
  r.skip(r.uleb()); // message
  for (let others = r.uleb(); others > 0; others -= 1) r.skip(r.uleb());
  const specs: [number, number][] = [];
  for (let columns = r.uleb(); columns > 0; columns -= 1) specs.push([r.uleb(), r.uleb()]);
  const columns = new Map<number, Uint8Array>();
  for (const [spec, size] of specs) {
    if (spec & DEFLATED) return null;
    columns.set(spec, r.slice(size));
  }
  const actions = unsignedRuns(columns.get(COLUMN_ACTION));
  const inserts = booleanRuns(columns.get(COLUMN_INSERT));
  const metas = unsignedRuns(columns.get(COLUMN_VALUE_META));
  const raw = new Reader(columns.get(COLUMN_VALUE_RAW) ?? new Uint8Array(0));
  let inserted = 0;
  let removed = 0;
  for (let i = 0; i < actions.length; i += 1) {
    const action = actions[i]!;
    const insert = inserts[i] === true;
    const meta = metas[i] ?? -1;
    const size = meta > 0 ? Math.floor(meta / 16) : 0;
    const at = raw.advance(size);
    if (action === ACTION_SET && insert && meta >= 0 && (meta & 0x0f) === VALUE_STRING) inserted += utf16Length(raw.bytes, at, at + size);
    else if (action === ACTION_DEL) removed += 1;
  }
  return { inserted, removed };
}
