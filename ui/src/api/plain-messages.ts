/**
 * Turns the API's messages into plain words for people (issue 12): a regular expression becomes a
 * description of what may be typed, `apply with "overwrite": true` becomes the checkbox to tick, a
 * field name is said as a label. Anything not recognised passes through unchanged.
 */
import { ApiError } from './api-client.js';

/** Character classes people recognise, in the order they are named. */
const CLASS_WORDS: readonly [RegExp, string][] = [
  [/a-z/, 'lower-case letters'],
  [/A-Z/, 'capital letters'],
  [/0-9|\\d/, 'digits'],
];
const PUNCTUATION_WORDS: Record<string, string> = { '-': '“-”', _: '“_”', '.': '“.”', ' ': 'spaces', '@': '“@”', '+': '“+”' };

/** What one `[…]` class allows, in words ("lower-case letters, digits and “-”"). */
function describeClass(body: string): string {
  const words = CLASS_WORDS.filter(([re]) => re.test(body)).map(([, word]) => word);
  const rest = body.replace(/a-z|A-Z|0-9|\\d/g, '').replace(/\\/g, '');
  for (const ch of new Set(rest)) words.push(PUNCTUATION_WORDS[ch] ?? `“${ch}”`);
  return words.length <= 1 ? (words[0] ?? 'those characters') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** A pattern as a sentence, for the shapes the API and the templates use; null when it is not one of them. */
export function describePattern(pattern: string): string | null {
  if (/^\^20\[0-9\]\{2\}-/.test(pattern)) return 'Use a date like 2026-01-31 (year-month-day).';
  if (/^\^\[\^/.test(pattern)) return 'Leave out quotes, backslashes, backticks, “$” and line breaks.';
  const shaped = /^\^\[([^\]]+)\]\[([^\]]+)\][*+](?:\[([^\]]+)\])?\$$/.exec(pattern);
  if (shaped) {
    const [, first = '', middle = '', last] = shaped;
    const end = last ? `, and end with ${describeClass(last).replace(/ and “-”$/, '')}` : '';
    return `Start with ${describeClass(first).replace(/s$/, '')}${first === 'a-z' ? '' : ''}, then use only ${describeClass(middle)}${end}.`.replace('Start with lower-case letter', 'Start with a lower-case letter');
  }
  const single = /^\^\[([^\]]+)\][*+]\$$/.exec(pattern);
  if (single?.[1]) return `Use only ${describeClass(single[1])}.`;
  return null;
}

/** One field's message from the API, in plain words. */
export function plainFieldMessage(message: string): string {
  const pattern = /^(?:must match|Invalid string: must match pattern) \/?(\^.*\$)\/?$/.exec(message.trim());
  if (pattern?.[1]) return describePattern(pattern[1]) ?? 'This is not in the expected form.';
  const tooShort = /(?:at least\s+|>=\s*)(\d+) characters?/.exec(message);
  if (tooShort && /small|short|at least/i.test(message)) return `Use at least ${tooShort[1]} characters.`;
  const tooLong = /(?:at most\s+|<=\s*)(\d+) characters?/.exec(message);
  if (tooLong && /big|long|at most/i.test(message)) return `Use at most ${tooLong[1]} characters.`;
  if (/^must not be empty$|^Required$|expected string, received undefined/i.test(message)) return 'Fill this in.';
  if (/must be an email address|Invalid email/i.test(message)) return 'Enter an email address, like ann@example.com.';
  const range = /Too (small|big): expected number to be ([<>]=?)\s*(-?\d+)/.exec(message);
  if (range) return range[1] === 'small' ? `Use ${range[3]} or more.` : `Use ${range[3]} or less.`;
  if (/expected int|expected number/i.test(message)) return 'Enter a whole number.';
  return message.charAt(0).toUpperCase() + message.slice(1) + (/[.!?]$/.test(message) ? '' : '.');
}

/** A whole error (an API answer or anything thrown) as one plain sentence. */
export function plainMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return (error as Error)?.message ?? String(error);
  if (error.status === 0) return 'The server cannot be reached. Check your connection and try again.';
  if (error.code === 'files_exist') {
    const which = /\(([^)]*)\)/.exec(error.message)?.[1];
    return `Some of these files are already in the project${which ? ` (${which})` : ''}. Tick “Overwrite files that already exist” to replace them, or choose another project.`;
  }
  if (error.status === 429) return 'Too many attempts in a short time. Wait a minute and try again.';
  if (error.status === 403) return 'Your role in this project does not allow that.';
  if (error.fields.length > 0 && error.code === 'validation_failed') return 'Some fields need another look (see below).';
  return plainFieldMessage(error.message.replace(/; apply with "overwrite": true[^.]*/, ''));
}
