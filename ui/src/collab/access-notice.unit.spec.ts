import { accessNoticeFor } from './access-notice.js';

const names = new Map([['u-ann', 'ann']]);

describe('the notice above the editor', () => {
  it('names who locked the file and says it is read-only', () => {
    expect(accessNoticeFor({ canEdit: false, lockedBy: 'u-ann', role: 'editor', selfId: 'u-bob', names, reason: 'locked' })).toEqual({ tone: 'read-only', text: '🔒 ann locked this file: it is read-only for you until it is unlocked.' });
  });

  it('tells a viewer why they cannot type, and a removed member that they are out', () => {
    expect(accessNoticeFor({ canEdit: false, lockedBy: null, role: 'viewer', selfId: 'u-bob', names, reason: 'role_changed' })?.text).toBe('You are a viewer in this project: the file is read-only.');
    expect(accessNoticeFor({ canEdit: false, lockedBy: null, role: null, selfId: 'u-bob', names, reason: 'removed' })?.text).toMatch(/no longer a member/);
  });

  it('says the file is editable again after an unlock, and nothing for the holder of the lock', () => {
    expect(accessNoticeFor({ canEdit: true, lockedBy: null, role: 'editor', selfId: 'u-bob', names, reason: 'unlocked' })).toEqual({ tone: 'editable', text: 'The file was unlocked: you can edit it again.' });
    expect(accessNoticeFor({ canEdit: true, lockedBy: 'u-bob', role: 'editor', selfId: 'u-bob', names, reason: 'locked' })).toBeNull();
  });
});
