import { lockAllows, mayAuditProject, mayEditFile, mayEditFiles, mayManageMembers, mayReadProject, mayReadRoom } from './permissions.js';

describe('permission rules', () => {
  it('lets every member read a project and its rooms, and nobody else', () => {
    for (const role of ['viewer', 'editor', 'owner'] as const) {
      expect(mayReadProject(role)).toBe(true);
      expect(mayReadRoom(role)).toBe(true);
    }
    expect(mayReadProject(undefined)).toBe(false);
    expect(mayReadRoom(null)).toBe(false);
  });

  it('lets editors and owners edit files, not viewers or strangers', () => {
    expect([mayEditFiles('viewer'), mayEditFiles('editor'), mayEditFiles('owner'), mayEditFiles(null)]).toEqual([false, true, true, false]);
  });

  it('lets an editor edit an unlocked file or one they locked, but not one someone else locked', () => {
    expect(mayEditFile({ role: 'editor', userId: 'ann', lockedBy: null })).toBe(true);
    expect(mayEditFile({ role: 'editor', userId: 'ann', lockedBy: 'ann' })).toBe(true);
    expect(mayEditFile({ role: 'owner', userId: 'ann', lockedBy: 'bob' })).toBe(false);
    expect(mayEditFile({ role: 'viewer', userId: 'ann', lockedBy: null })).toBe(false);
    expect(lockAllows('bob', 'ann')).toBe(false);
  });

  it('keeps managing members to owners', () => {
    expect([mayManageMembers('viewer'), mayManageMembers('editor'), mayManageMembers('owner'), mayManageMembers(undefined)]).toEqual([false, false, true, false]);
  });

  it('opens a project audit to its owners and to administrators, even non-members', () => {
    expect(mayAuditProject('owner', false)).toBe(true);
    expect(mayAuditProject('editor', false)).toBe(false);
    expect(mayAuditProject(undefined, true)).toBe(true);
    expect(mayAuditProject(undefined, false)).toBe(false);
  });
});
