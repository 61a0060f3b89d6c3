import { addChurn, addResponse, bucketCounts, bucketFieldsToOmit, countIntoBucket, leanBucket } from './analytics-bucket.js';
import type { AnalyticsBucketView } from './analytics-model.js';

const HOUR = '2026-03-01T10:00:00.000Z';
const newBucket = (streamId: string): AnalyticsBucketView => ({ id: `${streamId}@${HOUR}`, projectId: 'p', hour: HOUR, total: 0, types: {}, actors: {}, lastPosition: 0 });

describe('the lean hour bucket', () => {
  it('keeps counts by person and area only once an hour mixes areas, and reads them back whole', () => {
    const bucket = newBucket('room-1');
    countIntoBucket(bucket, 'ChatMessagePosted', 'chat', 'ann');
    countIntoBucket(bucket, 'ChatMessagePosted', 'chat', 'bob');
    countIntoBucket(bucket, 'RoomJoined', 'chat', 'ann');
    expect(bucket.actorAreas).toBeUndefined();
    expect(bucketCounts(bucket)).toMatchObject({
      streamId: 'room-1', total: 3, areas: { chat: 3 }, actors: { ann: 2, bob: 1 }, actorAreas: { ann: { chat: 2 }, bob: { chat: 1 } },
      churn: {}, responses: { count: 0, totalMs: 0, maxMs: 0 },
    });

    countIntoBucket(bucket, 'ProjectMemberAdded', 'members', 'bob');
    countIntoBucket(bucket, 'ChatMessagePosted', 'chat', 'bob');
    expect(bucketCounts(bucket)).toMatchObject({
      total: 5, types: { ChatMessagePosted: 3, RoomJoined: 1, ProjectMemberAdded: 1 }, areas: { chat: 4, members: 1 },
      actors: { ann: 2, bob: 3 }, actorAreas: { ann: { chat: 2 }, bob: { chat: 2, members: 1 } },
    });
  });

  it('stores churn and first responses only when there are some', () => {
    const bucket = newBucket('doc-f1');
    expect(JSON.stringify(bucket)).not.toMatch(/churn|responses|areas|streamId/);
    addChurn(bucket, 'f1', 'ann', 5, 1);
    addChurn(bucket, 'f1', 'ann', 2, 0);
    addResponse(bucket, 300);
    addResponse(bucket, 100);
    expect(bucketCounts(bucket)).toMatchObject({ churn: { f1: { ann: { inserted: 7, removed: 1, changes: 2 } } }, responses: { count: 2, totalMs: 400, maxMs: 300 } });
  });

  it('reads a bucket stored in the first format the same, and keeps counting it right once made lean', () => {
    const first = {
      id: `room-1@${HOUR}`, projectId: 'p', streamId: 'room-1', hour: HOUR, total: 2, types: { ChatMessagePosted: 2 }, areas: { chat: 2 },
      actors: { ann: 2 }, actorAreas: { ann: { chat: 2 } }, churn: {}, responses: { count: 0, totalMs: 0, maxMs: 0 }, lastPosition: 7,
    };
    const expected = {
      id: first.id, projectId: 'p', streamId: 'room-1', hour: HOUR, total: 2, types: { ChatMessagePosted: 2 }, areas: { chat: 2 },
      actors: { ann: 2 }, actorAreas: { ann: { chat: 2 } }, churn: {}, responses: { count: 0, totalMs: 0, maxMs: 0 },
    };
    expect(bucketCounts(structuredClone(first) as AnalyticsBucketView)).toEqual(expected);

    const lean = leanBucket(structuredClone(first) as AnalyticsBucketView);
    expect(Object.keys(lean).sort()).toEqual(['actorAreas', 'actors', 'hour', 'id', 'lastPosition', 'projectId', 'total', 'types']);
    countIntoBucket(lean, 'ChatMessagePosted', 'chat', 'bob');
    expect(bucketCounts(lean)).toMatchObject({ total: 3, areas: { chat: 3 }, actors: { ann: 2, bob: 1 }, actorAreas: { ann: { chat: 2 }, bob: { chat: 1 } } });
  });

  it('reads, for the counts a reader wants, the stored fields they are worked out from', () => {
    expect(bucketFieldsToOmit(['areas'])).toEqual(['streamId', 'areas', 'actors', 'actorAreas', 'churn', 'responses']);
    expect(bucketFieldsToOmit(['actorAreas'])).toEqual(['streamId', 'areas', 'churn', 'responses']);
    const bucket = newBucket('room-1');
    countIntoBucket(bucket, 'ChatMessagePosted', 'chat', 'ann');
    const { actors: _actors, ...withoutActors } = bucket;
    expect(bucketCounts(withoutActors as AnalyticsBucketView)).toMatchObject({ areas: { chat: 1 }, actors: {}, actorAreas: {} });
  });
});
