/**
 * The code a check linted, added to its exports on request (`?sources=true`): SARIF's own place
 * for it (each run's `artifacts`, with length, SHA-256 and text), a `sources` list in JSON, and a
 * fenced block per file in Markdown. The text comes from the source store, checked against the
 * hash the request recorded.
 */
import type { CheckedFile } from '@resoft/domain';

/** A checked file as its `CheckRequested` recorded it, with its text from the source store. */
export interface CheckedSource extends CheckedFile {
  readonly content: string;
}

type SarifLog = { runs: Record<string, unknown>[] } & Record<string, unknown>;

export function withSarifArtifacts<T extends SarifLog>(sarif: T, sources: readonly CheckedSource[]): T {
  const artifacts = sources.map((s) => ({
    location: { uri: s.path }, length: s.bytes, sourceLanguage: s.language, hashes: { 'sha-256': s.sha256 }, contents: { text: s.content },
  }));
  return { ...sarif, runs: sarif.runs.map((run) => ({ ...run, artifacts })) };
}

/** A fence longer than any run of backticks in the text, so no file can close its block early. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

export function withMarkdownSources(markdown: string, sources: readonly CheckedSource[]): string {
  const parts = [markdown.trimEnd(), '', '## Code', ''];
  for (const source of sources) {
    const fence = fenceFor(source.content);
    parts.push(`### ${source.path.replace(/[\r\n]/g, ' ')}`, '', `${fence}${source.language}`, source.content.replace(/\n$/, ''), fence, '');
  }
  return parts.join('\n');
}
