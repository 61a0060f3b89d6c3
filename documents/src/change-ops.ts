/**
 * A stored change's operations read straight from its binary columns, without Automerge (as
 * change-columns.ts reads churn): each op's object, key, insert flag, action, string value and
 * predecessors, with actors as indexes into the change's actor list. The rebuild's text replica
 * (text-replica.ts) replays a file's text edits from these. Anything this reader does not know —
 * deflated columns, columns it has no name for that hold data, malformed bytes — answers null, and
 * the caller uses Automerge instead.
 */
import { MalformedChange, Reader, booleanRuns, unsignedRuns, utf8String } from './change-columns.js';

const MAGIC = [0x85, 0x6f, 0x4a, 0x83] as const;
const CHUNK_CHANGE = 1;
const DEFLATED = 0x08;

/** Column specs of a change's ops (Automerge's binary format: column id << 4 | type). */
const OBJ_ACTOR = 0x01;
const OBJ_CTR = 0x02;
const KEY_ACTOR = 0x11;
const KEY_CTR = 0x13;
const KEY_STR = 0x15;
const INSERT = 0x34;
const ACTION = 0x42;
const VALUE_META = 0x56;
const VALUE_RAW = 0x57;
const PRED_GROUP = 0x70;
const PRED_ACTOR = 0x71;
const PRED_CTR = 0x73;
const KNOWN = new Set([OBJ_ACTOR, OBJ_CTR, KEY_ACTOR, KEY_CTR, KEY_STR, INSERT, ACTION, VALUE_META, VALUE_RAW, PRED_GROUP, PRED_ACTOR, PRED_CTR]);

/** Op actions as the format numbers them. */
export const OpAction = { makeMap: 0, set: 1, makeList: 2, del: 3, makeText: 4 } as const;
/** A value's metadata is `length << 4 | type`; type 6 is a UTF-8 string. */
const VALUE_STRING = 6;

export interface ChangeOp {
  /** Actor index of the op's object, -1 for the root. */
  readonly objActor: number;
  readonly objCtr: number;
  /** Actor index of the element the op is keyed on (-1: a map key, or the list's head when `keyCtr` is 0). */
  readonly keyActor: number;
  readonly keyCtr: number;
  readonly keyStr: string | null;
  readonly insert: boolean;
  readonly action: number;
  /** The value when it is a string; null for any other value (or none). */
  readonly value: string | null;
  /** Whether the op carries a value that is not a string (a number, bytes, …). */
  readonly otherValue: boolean;
  readonly predCount: number;
}

export interface ChangeOps {
  /** Hex actor ids; index 0 is the change's own actor (each op's id is `startOp + i` @ actor 0). */
  readonly actors: readonly string[];
  readonly startOp: number;
  /** The first four bytes of the change's hash (its checksum), hex, and each dependency's. */
  readonly checksum: string;
  readonly depChecksums: readonly string[];
  readonly ops: readonly ChangeOp[];
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** Reads run-length encoded values: `n > 0` copies of one value, `-n` literals, or `0, n` nulls (`nil`). */
function runs<T>(data: Uint8Array | undefined, read: (r: Reader) => T, nil: T): T[] {
  const out: T[] = [];
  if (!data) return out;
  const r = new Reader(data);
  while (!r.done) {
    const count = r.sleb();
    if (count > 0) {
      const value = read(r);
      for (let i = 0; i < count; i += 1) out.push(value);
    } else if (count < 0) {
      for (let i = 0; i < -count; i += 1) out.push(read(r));
    } else {
      const nulls = r.uleb();
      for (let i = 0; i < nulls; i += 1) out.push(nil);
    }
  }
  return out;
}

const sleb = (r: Reader): number => r.sleb();
const str = (r: Reader): string => {
  const size = r.uleb();
  const at = r.advance(size);
  return utf8String(r.bytes, at, at + size);
};

/** A delta column: each value is the previous non-null value plus the delta (nulls: NaN). */
function deltas(data: Uint8Array | undefined): number[] {
  let sum = 0;
  return runs(data, sleb, NaN).map((d) => (Number.isNaN(d) ? NaN : (sum += d)));
}

/** The ops of one stored change, or null when the bytes are not a change this reader knows. */
export function readChangeOps(change: Uint8Array): ChangeOps | null {
  try {
    return read(change);
  } catch (error) {
    // TypeError: a string that is not UTF-8.
    if (error instanceof MalformedChange || error instanceof TypeError) return null;
    throw error;
  }
}

function read(change: Uint8Array): ChangeOps | null {
  const header = new Reader(change);
  for (const b of MAGIC) if (header.byte() !== b) return null;
  const checksum = hex(header.slice(4));
  const type = header.byte();
  const length = header.uleb();
  if (type !== CHUNK_CHANGE) return null;
  const r = new Reader(header.slice(length));
  const depChecksums: string[] = [];
  for (let deps = r.uleb(); deps > 0; deps -= 1) depChecksums.push(hex(r.slice(32).subarray(0, 4)));
  const actors = [hex(r.slice(r.uleb()))];
  r.uleb(); // seq
  const startOp = r.uleb();
  r.sleb(); // time
  r.skip(r.uleb()); // message
  for (let others = r.uleb(); others > 0; others -= 1) actors.push(hex(r.slice(r.uleb())));
  const specs: [number, number][] = [];
  for (let columns = r.uleb(); columns > 0; columns -= 1) specs.push([r.uleb(), r.uleb()]);
  const columns = new Map<number, Uint8Array>();
  for (const [spec, size] of specs) {
    if (spec & DEFLATED) return null;
    const data = r.slice(size);
    if (!KNOWN.has(spec)) {
      if (size > 0) return null;
      continue;
    }
    columns.set(spec, data);
  }
  const actions = unsignedRuns(columns.get(ACTION), -1);
  const n = actions.length;
  const objActors = unsignedRuns(columns.get(OBJ_ACTOR), -1);
  const objCtrs = unsignedRuns(columns.get(OBJ_CTR), 0);
  const keyActors = unsignedRuns(columns.get(KEY_ACTOR), -1);
  const keyCtrs = deltas(columns.get(KEY_CTR));
  const keyStrs = runs<string | null>(columns.get(KEY_STR), str, null);
  const inserts = booleanRuns(columns.get(INSERT));
  const metas = unsignedRuns(columns.get(VALUE_META), 0);
  const predGroups = unsignedRuns(columns.get(PRED_GROUP), 0);
  const raw = new Reader(columns.get(VALUE_RAW) ?? new Uint8Array(0));
  const ops: ChangeOp[] = [];
  for (let i = 0; i < n; i += 1) {
    const meta = metas[i] ?? 0;
    const size = Math.floor(meta / 16);
    const at = raw.advance(size);
    const valueType = meta & 0x0f;
    const objActor = objActors[i] ?? -1;
    const keyActor = keyActors[i] ?? -1;
    if (objActor >= actors.length || keyActor >= actors.length) return null;
    ops.push({
      objActor, objCtr: objCtrs[i] ?? 0, keyActor, keyCtr: Number.isNaN(keyCtrs[i]) ? 0 : keyCtrs[i] ?? 0, keyStr: keyStrs[i] ?? null,
      insert: inserts[i] === true, action: actions[i]!, value: valueType === VALUE_STRING ? utf8String(raw.bytes, at, at + size) : null,
      // Types 0–2 are null, false and true: no value worth naming for text.
      otherValue: valueType > 2 && valueType !== VALUE_STRING, predCount: predGroups[i] ?? 0,
    });
  }
  if (!raw.done) return null;
  return { actors, startOp, checksum, depChecksums, ops };
}
