/**
 * Reads what a chat message means beyond its text: the @mentions (outside code)
 * and the fenced code blocks with their language.
 */
export interface CodeBlock {
  readonly language: string;
  readonly code: string;
}

const FENCE = /^```[ \t]*([\w+#.-]*)[^\n]*\n([\s\S]*?)^```[ \t]*$/gm;
const INLINE_CODE = /`[^`\n]*`/g;
const MENTION = /(^|[^\w@.])@([a-zA-Z0-9_][a-zA-Z0-9_.-]{0,38}[a-zA-Z0-9_]|[a-zA-Z0-9_])/g;

export function extractCodeBlocks(text: string): CodeBlock[] {
  return [...text.matchAll(FENCE)].map((m) => ({ language: (m[1] ?? '').toLowerCase() || 'text', code: (m[2] ?? '').replace(/\n$/, '') }));
}

/** Usernames written as @name outside code, lower-cased and without repeats. */
export function extractMentionedUsernames(text: string): string[] {
  const prose = text.replace(FENCE, ' ').replace(INLINE_CODE, ' ');
  const names = [...prose.matchAll(MENTION)].map((m) => (m[2] ?? '').toLowerCase());
  return [...new Set(names)];
}
