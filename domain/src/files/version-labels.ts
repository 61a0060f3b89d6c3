/**
 * Named versions ("checkpoints") of one file, a `version-labels-<fileId>` stream: an editor gives a
 * version a short label ("before refactor") so it stands out in the history. The document stream
 * stays as it is; a label is a fact about a version, recorded beside it.
 */
import type { Decider } from '../shared/decider.js';
import { reject } from '../shared/domain-error.js';
import type { ProjectContext } from '../shared/project-context.js';
import { requireProjectRole } from '../projects/project-decider.js';
import { toNfc, unsafeCharacterProblem } from '../shared/visible-text.js';

export type VersionLabelEvent = { type: 'FileVersionNamed'; data: { projectId: string; fileId: string; version: number; label: string; namedBy: string } };

export interface VersionLabelState {
  /** Labels by version. */
  readonly labels: ReadonlyMap<number, string>;
}

export type VersionLabelCommand = {
  type: 'NameFileVersion'; actorId: string; project: ProjectContext; fileId: string; version: number; label: string;
  /** The file's latest version: a label for a version that does not exist yet is refused. */
  latestVersion: number;
};

export const versionLabelsStreamId = (fileId: string): string => `version-labels-${fileId}`;
export const MAX_VERSION_LABEL = 80;

function decide(command: VersionLabelCommand, state: VersionLabelState): VersionLabelEvent[] {
  requireProjectRole(command.project, command.actorId, 'editor');
  const label = toNfc(command.label).trim();
  const unsafe = unsafeCharacterProblem(label);
  if (unsafe) reject('invalid', 'invalid_label', `The label ${unsafe}`);
  if (label.length === 0) reject('invalid', 'invalid_label', 'The label is empty');
  if (label.length > MAX_VERSION_LABEL) reject('invalid', 'invalid_label', `The label is longer than ${MAX_VERSION_LABEL} characters`);
  if (command.version > command.latestVersion) reject('not_found', 'version_not_found', `Version ${command.version} not found (the file has versions 0 to ${command.latestVersion})`);
  if (state.labels.get(command.version) === label) return [];
  return [{ type: 'FileVersionNamed', data: { projectId: command.project.projectId, fileId: command.fileId, version: command.version, label, namedBy: command.actorId } }];
}

function evolve(state: VersionLabelState, event: VersionLabelEvent): VersionLabelState {
  return { labels: new Map([...state.labels, [event.data.version, event.data.label]]) };
}

export const versionLabelDecider: Decider<VersionLabelCommand, VersionLabelState, VersionLabelEvent> = { initialState: () => ({ labels: new Map() }), decide, evolve };
