/**
 * The text of the files a check recorded: inline for checks requested before sources left the
 * log, else from the source store. Every text is checked against the hash the event recorded, so
 * a source store that lost or altered a text is noticed, never linted or shown in its place.
 */
import type { RecordedCheckedFile } from '@resoft/domain';
import { sourceAddress, type SourceStore } from './source-store.js';

export class MissingSourcesError extends Error {
  constructor(readonly paths: readonly string[]) {
    super(`The submitted code of ${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ` and ${paths.length - 5} more` : ''} is missing from the source store, or does not match its recorded SHA-256`);
    this.name = 'MissingSourcesError';
  }
}

export async function readCheckedSources<F extends RecordedCheckedFile>(store: SourceStore, files: readonly F[]): Promise<(F & { content: string })[]> {
  const stored = await store.get(files.filter((f) => f.content === undefined).map((f) => f.sha256));
  const missing: string[] = [];
  const read = files.map((file) => {
    const content = file.content ?? stored.get(file.sha256);
    if (content === undefined || sourceAddress(content).sha256 !== file.sha256) missing.push(file.path);
    return { ...file, content: content ?? '' };
  });
  if (missing.length > 0) throw new MissingSourcesError(missing);
  return read;
}
