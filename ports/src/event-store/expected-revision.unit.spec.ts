import { expectedRevisionHolds, type ExpectedRevision } from './event-store.js';

const NO_STREAM = -1;

describe('expectedRevisionHolds', () => {
  it.each<[ExpectedRevision, number]>([
    ['any', NO_STREAM],
    ['any', 0],
    ['any', 41],
  ])("lets '%s' through whatever the stream's revision (%i)", (expected, actual) => {
    expect(expectedRevisionHolds(expected, actual)).toBe(true);
  });

  it("holds for 'no_stream' only when the stream does not exist", () => {
    expect(expectedRevisionHolds('no_stream', NO_STREAM)).toBe(true);
    expect(expectedRevisionHolds('no_stream', 0)).toBe(false);
    expect(expectedRevisionHolds('no_stream', 5)).toBe(false);
  });

  it("holds for 'stream_exists' only when the stream has at least one event", () => {
    expect(expectedRevisionHolds('stream_exists', NO_STREAM)).toBe(false);
    expect(expectedRevisionHolds('stream_exists', 0)).toBe(true);
    expect(expectedRevisionHolds('stream_exists', 5)).toBe(true);
  });

  it('holds for an exact revision only when it equals the revision of the last event', () => {
    expect(expectedRevisionHolds(3, 3)).toBe(true);
    expect(expectedRevisionHolds(3, 2)).toBe(false);
    expect(expectedRevisionHolds(3, 4)).toBe(false);
    expect(expectedRevisionHolds(0, NO_STREAM)).toBe(false);
  });

  it('treats an exact revision of -1 like no_stream', () => {
    expect(expectedRevisionHolds(-1, NO_STREAM)).toBe(true);
    expect(expectedRevisionHolds(-1, 0)).toBe(false);
  });
});
