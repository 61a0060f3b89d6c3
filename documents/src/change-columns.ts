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

  slice(count: number): Uint8Array {
    const start = this.offset;
    this.skip(count);
    return this.bytes.subarray(start, this.offset);
  }
}

/** An RLE column of unsigned integers (null runs read as -1): runs `n > 0` of one value, `-n` literals, or `0, n` nulls. */
export function* unsignedRuns(data: Uint8Array): Generator<number> {
  const r = new Reader(data);
  while (!r.done) {
    const count = r.sleb();
    if (count > 0) {
      const value = r.uleb();
      for (let i = 0; i < count; i += 1) yield value;
    } else if (count < 0) {
      for (let i = 0; i < -count; i += 1) yield r.uleb();
    } else {
      const nulls = r.uleb();
      for (let i = 0; i < nulls; i += 1) yield -1;
    }
  }
}

/** A boolean column: alternating run lengths, starting with false. */
export function* booleanRuns(data: Uint8Array): Generator<boolean> {
  const r = new Reader(data);
  let value = false;
  while (!r.done) {
    const count = r.uleb();
    for (let i = 0; i < count; i += 1) yield value;
    value = !value;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

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
  const empty = new Uint8Array(0);
  const actions = unsignedRuns(columns.get(COLUMN_ACTION) ?? empty);
  const inserts = booleanRuns(columns.get(COLUMN_INSERT) ?? empty);
  const metas = unsignedRuns(columns.get(COLUMN_VALUE_META) ?? empty);
  const raw = new Reader(columns.get(COLUMN_VALUE_RAW) ?? empty);
  let inserted = 0;
  let removed = 0;
  for (let action = actions.next(); !action.done; action = actions.next()) {
    const insert = inserts.next().value === true;
    const meta = metas.next().value ?? -1;
    const size = meta > 0 ? Math.floor(meta / 16) : 0;
    const value = raw.slice(size);
    if (action.value === ACTION_SET && insert && meta >= 0 && (meta & 0x0f) === VALUE_STRING) inserted += utf8.decode(value).length;
    else if (action.value === ACTION_DEL) removed += 1;
  }
  return { inserted, removed };
}
