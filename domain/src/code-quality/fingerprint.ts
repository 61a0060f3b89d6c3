/**
 * Finding fingerprints: rule + file + the text of the flagged line with its
 * whitespace normalised. A finding keeps its fingerprint when lines are added
 * above it, which is what "new since last run" compares.
 */
import { createHash } from 'node:crypto';

export const normaliseLine = (line: string): string => line.trim().replace(/\s+/g, ' ');

export function findingFingerprint(ruleId: string, path: string, lineText: string): string {
  return createHash('sha256').update(`${ruleId}\u0000${path}\u0000${normaliseLine(lineText)}`).digest('hex').slice(0, 32);
}

/** The text of a 1-based line of a file, '' beyond its end. */
export function lineOf(lines: readonly string[], line: number): string {
  return lines[line - 1] ?? '';
}
