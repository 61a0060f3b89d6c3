/**
 * Text that people read as names (display names, file paths) must look like what it is: it is kept
 * in Unicode NFC (so "é" typed two ways is one name) and may not hold control characters, bidi
 * controls or line/paragraph separators, which can make a name display reversed or split
 * ("Trojan Source"): `invoice\u202Etxt.exe` shows as `invoiceexe.txt`.
 */

/** Bidi embeddings, overrides and isolates, the directional marks and the Arabic letter mark. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
/** Line and paragraph separators. */
const SEPARATOR = /[\u2028\u2029]/u;
/** C0 and C1 controls and DEL (general category Cc). */
const CONTROL = /\p{Cc}/u;

const codePoint = (char: string): string => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `text` is not fit to be a name, as a sentence fragment naming the character, or null when it is fit. */
export function unsafeCharacterProblem(text: string): string | null {
  for (const [pattern, kind] of [[BIDI_CONTROL, 'a bidirectional control character'], [SEPARATOR, 'a line or paragraph separator'], [CONTROL, 'a control character']] as const) {
    const found = pattern.exec(text);
    if (found) return `must not contain ${kind} (${codePoint(found[0])})`;
  }
  return null;
}

/** `text` in NFC. */
export const toNfc = (text: string): string => text.normalize('NFC');
