import { fold } from '../shared/decider.js';
import { given } from '../shared/given-when-then.js';
import { ANN, EVE, PROJECT_ID, VIC, apollo } from '../shared/project-fixture.js';
import { documentDecider, type ChangeDocument } from './document-decider.js';
import type { DocumentEvent, FileTreeEvent } from './file-events.js';
import { fileTreeDecider } from './file-tree-decider.js';

const project = apollo();
const createdEvent: FileTreeEvent = { type: 'FileCreated', data: { projectId: PROJECT_ID, fileId: 'f1', path: 'a.py', createdBy: EVE, initialChange: 'AA==', hash: 'h0', size: 1 } };
const tree = (...more: FileTreeEvent[]) => fold(fileTreeDecider, [createdEvent, ...more]);
const change = (actorId: string, hashes: string[], t = tree()): ChangeDocument => ({
  type: 'ChangeDocument', actorId, fileId: 'f1', project, tree: t, initialHash: 'h0', changes: hashes.map((hash) => ({ bytes: `b-${hash}`, hash })),
});
const changed = (authorId: string, hashes: string[]): DocumentEvent => ({
  type: 'DocumentChanged', data: { projectId: PROJECT_ID, fileId: 'f1', authorId, changes: hashes.map((h) => `b-${h}`), hashes },
});

describe('a document', () => {
  it('stores an editor\'s changes as one event', () => {
    given(documentDecider).when(change(EVE, ['h1', 'h2'])).thenEmits([changed(EVE, ['h1', 'h2'])]);
  });

  it('refuses a viewer\'s changes', () => {
    given(documentDecider).when(change(VIC, ['h1'])).thenRejects('forbidden', 'insufficient_role');
  });

  it('never stores a change twice: repeats within a batch, already stored ones and the initial change are dropped', () => {
    given(documentDecider, [changed(EVE, ['h1'])]).when(change(ANN, ['h1', 'h0', 'h2', 'h2'])).thenEmits([changed(ANN, ['h2'])]);
    given(documentDecider, [changed(EVE, ['h1'])]).when(change(ANN, ['h1'])).thenEmitsNothing();
  });

  it('refuses changes to a file locked by someone else, but not from the lock holder', () => {
    const locked = tree({ type: 'FileLocked', data: { projectId: PROJECT_ID, fileId: 'f1', lockedBy: EVE } });
    given(documentDecider).when(change(ANN, ['h1'], locked)).thenRejects('conflict', 'file_locked');
    given(documentDecider).when(change(EVE, ['h1'], locked)).thenEmits([changed(EVE, ['h1'])]);
  });

  it('refuses changes to a deleted file', () => {
    const deleted = tree({ type: 'FileDeleted', data: { projectId: PROJECT_ID, fileId: 'f1', path: 'a.py' } });
    given(documentDecider).when(change(EVE, ['h1'], deleted)).thenRejects('not_found', 'file_not_found');
  });
});
