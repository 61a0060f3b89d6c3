import { given } from '../shared/given-when-then.js';
import { ANN, EVE, PROJECT_ID, VIC, ZED, apollo } from '../shared/project-fixture.js';
import { fileTreeDecider } from './file-tree-decider.js';
import type { FileTreeEvent } from './file-events.js';

const project = apollo();
const created = (fileId: string, path: string): FileTreeEvent => ({
  type: 'FileCreated', data: { projectId: PROJECT_ID, fileId, path, createdBy: EVE, initialChange: 'AA==', hash: `h-${fileId}`, size: 1 },
});
const deletedA: FileTreeEvent = { type: 'FileDeleted', data: { projectId: PROJECT_ID, fileId: 'f1', path: 'a.py' } };
const create = (actorId: string, fileId: string, path: string) => ({ type: 'CreateFile' as const, actorId, project, fileId, path, initialChange: 'AA==', hash: `h-${fileId}`, size: 1 });

describe('the file tree', () => {
  it('lets an editor create a file at a normalised path', () => {
    given(fileTreeDecider).when(create(EVE, 'f1', ' src/app.py ')).thenEmits([created('f1', 'src/app.py')]);
  });

  it('refuses viewers and hides the project from non-members', () => {
    given(fileTreeDecider).when(create(VIC, 'f1', 'a.py')).thenRejects('forbidden', 'insufficient_role');
    given(fileTreeDecider).when(create(ZED, 'f1', 'a.py')).thenRejects('not_found', 'project_not_found');
  });

  it.each(['../etc/passwd', '/abs.py', 'a//b.py', 'a/./b.py', 'a\\b.py', '', 'x'.repeat(513)])('refuses the path %j', (path) => {
    given(fileTreeDecider).when(create(EVE, 'f1', path)).thenRejects('invalid', 'invalid_path');
  });

  it('keeps paths unique among live files, and frees the path of a deleted file', () => {
    given(fileTreeDecider, [created('f1', 'a.py')]).when(create(EVE, 'f2', 'a.py')).thenRejects('conflict', 'path_taken');
    given(fileTreeDecider, [created('f1', 'a.py'), deletedA])
      .when(create(EVE, 'f2', 'a.py')).thenEmits([created('f2', 'a.py')]);
  });

  it('renames to a free path and refuses a taken one', () => {
    const history = [created('f1', 'a.py'), created('f2', 'b.py')];
    given(fileTreeDecider, history).when({ type: 'RenameFile', actorId: EVE, project, fileId: 'f1', path: 'c.py' })
      .thenEmits([{ type: 'FileRenamed', data: { projectId: PROJECT_ID, fileId: 'f1', from: 'a.py', to: 'c.py' } }]);
    given(fileTreeDecider, history).when({ type: 'RenameFile', actorId: EVE, project, fileId: 'f1', path: 'b.py' }).thenRejects('conflict', 'path_taken');
  });

  it('lets only the lock holder change a locked file, and the holder or an owner unlock it', () => {
    const locked: FileTreeEvent[] = [created('f1', 'a.py'), { type: 'FileLocked', data: { projectId: PROJECT_ID, fileId: 'f1', lockedBy: EVE } }];
    given(fileTreeDecider, locked).when({ type: 'DeleteFile', actorId: ANN, project, fileId: 'f1' }).thenRejects('conflict', 'file_locked');
    given(fileTreeDecider, locked).when({ type: 'LockFile', actorId: ANN, project, fileId: 'f1' }).thenRejects('conflict', 'file_locked');
    given(fileTreeDecider, locked).when({ type: 'LockFile', actorId: EVE, project, fileId: 'f1' }).thenEmitsNothing();
    given(fileTreeDecider, locked).when({ type: 'UnlockFile', actorId: ANN, project, fileId: 'f1' })
      .thenEmits([{ type: 'FileUnlocked', data: { projectId: PROJECT_ID, fileId: 'f1', unlockedBy: ANN } }]);
  });

  it('does not find a deleted file', () => {
    given(fileTreeDecider, [created('f1', 'a.py'), deletedA])
      .when({ type: 'LockFile', actorId: EVE, project, fileId: 'f1' }).thenRejects('not_found', 'file_not_found');
  });
});
