import { given } from '../shared/given-when-then.js';
import { EVE, PROJECT_ID, VIC, ZED, apollo, apolloArchived } from '../shared/project-fixture.js';
import type { ProjectContext } from '../shared/project-context.js';
import { versionLabelDecider, type VersionLabelCommand, type VersionLabelEvent } from './version-labels.js';

const name = (actorId: string, version: number, label: string, project: ProjectContext = apollo(), latestVersion = 5): VersionLabelCommand => ({ type: 'NameFileVersion', actorId, project, fileId: 'f-1', version, label, latestVersion });
const named = (version: number, label: string): VersionLabelEvent => ({ type: 'FileVersionNamed', data: { projectId: PROJECT_ID, fileId: 'f-1', version, label, namedBy: EVE } });

describe('naming a version of a file', () => {
  it('records the trimmed label for an editor, and renames on a second naming', () => {
    given(versionLabelDecider).when(name(EVE, 3, '  before refactor ')).thenEmits([named(3, 'before refactor')]);
    given(versionLabelDecider, [named(3, 'before refactor')]).when(name(EVE, 3, 'after review')).thenEmits([named(3, 'after review')]);
    given(versionLabelDecider, [named(3, 'before refactor')]).when(name(EVE, 3, 'before refactor')).thenEmitsNothing();
  });

  it('refuses viewers, outsiders, archived projects, empty labels and versions the file does not have', () => {
    given(versionLabelDecider).when(name(VIC, 1, 'x')).thenRejects('forbidden', 'insufficient_role');
    given(versionLabelDecider).when(name(ZED, 1, 'x')).thenRejects('not_found', 'project_not_found');
    given(versionLabelDecider).when(name(EVE, 1, 'x', apollo(apolloArchived))).thenRejects('conflict', 'project_archived');
    given(versionLabelDecider).when(name(EVE, 1, '   ')).thenRejects('invalid', 'invalid_label');
    given(versionLabelDecider).when(name(EVE, 6, 'future')).thenRejects('not_found', 'version_not_found');
  });
});
