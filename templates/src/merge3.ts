/**
 * A line-based three-way merge (diff3), as `template update` needs it: base is the old template
 * version rendered with the project's answers, ours is the project's file, theirs the new version.
 * Regions changed on one side only take that side; regions changed on both sides the same way are
 * kept once; regions changed differently become a conflict with git-style markers.
 */

export interface MergeLabels {
  readonly ours: string;
  readonly base: string;
  readonly theirs: string;
}

export interface MergeResult {
  readonly text: string;
  readonly conflicts: number;
}

/** Above this many line comparisons a file is merged whole (one region), to keep the work bounded. */
const MAX_COMPARISONS = 16_000_000;

/** Lines with their line endings, so a merge gives back the bytes it was given. */
export const splitLines = (text: string): string[] => (text === '' ? [] : text.split(/(?<=\n)/));

/** For each line of `a`, the index of the line of `b` it is matched with in a longest common subsequence, or -1. */
function matchLines(a: readonly string[], b: readonly string[]): Int32Array {
  const match = new Int32Array(a.length).fill(-1);
  if (a.length * b.length > MAX_COMPARISONS) return match;
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lengths[i * width + j] = a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      match[i] = j;
      i += 1;
      j += 1;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) i += 1;
    else j += 1;
  }
  return match;
}

const same = (x: readonly string[], y: readonly string[]): boolean => x.length === y.length && x.every((line, index) => line === y[index]);
const withNewline = (lines: readonly string[]): string[] => lines.map((line, index) => (index === lines.length - 1 && !line.endsWith('\n') ? `${line}\n` : line));

export function merge3(ours: string, base: string, theirs: string, labels: MergeLabels): MergeResult {
  const [o, b, t] = [splitLines(ours), splitLines(base), splitLines(theirs)];
  const toOurs = matchLines(b, o);
  const toTheirs = matchLines(b, t);
  const out: string[] = [];
  let conflicts = 0;
  let [io, ib, it] = [0, 0, 0];
  const region = (endO: number, endB: number, endT: number): void => {
    const [co, cb, ct] = [o.slice(io, endO), b.slice(ib, endB), t.slice(it, endT)];
    if (same(co, cb)) out.push(...ct);
    else if (same(ct, cb) || same(co, ct)) out.push(...co);
    else {
      conflicts += 1;
      out.push(`<<<<<<< ${labels.ours}\n`, ...withNewline(co), `||||||| ${labels.base}\n`, ...withNewline(cb), '=======\n', ...withNewline(ct), `>>>>>>> ${labels.theirs}\n`);
    }
  };
  for (let k = 0; k < b.length; k += 1) {
    // A base line kept on both sides (after where each side stands) anchors the regions between.
    const [mo, mt] = [toOurs[k]!, toTheirs[k]!];
    if (mo < io || mt < it) continue;
    region(mo, k, mt);
    out.push(b[k]!);
    [io, ib, it] = [mo + 1, k + 1, mt + 1];
  }
  region(o.length, b.length, t.length);
  return { text: out.join(''), conflicts };
}
