/** The words above the editor that say why a file is read-only, or that it is editable again. */
import type { ProjectRoleName, ServerFrame } from '@resoft/contracts/socket';
import type { AccessNotice } from './edit-access-banner.js';

type PermissionsFrame = Extract<ServerFrame, { type: 'collaboration:permissions' }>;

export interface AccessFacts {
  readonly canEdit: boolean;
  readonly lockedBy: string | null;
  readonly role: ProjectRoleName | null;
  readonly selfId: string;
  readonly names: ReadonlyMap<string, string>;
  /** What just changed, when a permissions frame brought it (none: the file was just opened). */
  readonly reason?: PermissionsFrame['reason'];
}

export function accessNoticeFor(facts: AccessFacts): AccessNotice | null {
  if (facts.reason === 'removed' || (facts.role === null && facts.reason !== undefined)) {
    return { tone: 'read-only', text: 'You are no longer a member of this project: the file is read-only.' };
  }
  if (!facts.canEdit) {
    if (facts.role === 'viewer') return { tone: 'read-only', text: 'You are a viewer in this project: the file is read-only.' };
    if (facts.lockedBy && facts.lockedBy !== facts.selfId) {
      return { tone: 'read-only', text: `🔒 ${facts.names.get(facts.lockedBy) ?? 'A member'} locked this file: it is read-only for you until it is unlocked.` };
    }
    return { tone: 'read-only', text: 'This file is read-only for you.' };
  }
  if (facts.reason === 'unlocked') return { tone: 'editable', text: 'The file was unlocked: you can edit it again.' };
  if (facts.reason === 'role_changed') return { tone: 'editable', text: `You are now ${facts.role === 'owner' ? 'an owner' : 'an editor'}: you can edit this file.` };
  return null;
}
