/**
 * Who may do what in a project, as pure functions of the member's role (and, for one file, its lock):
 * the one statement of each rule, asked by the deciders, the read routes, the gateway and the UI.
 * A role of `undefined` or `null` means "not a member". Browser-safe (no schema, no Node): the UI
 * imports it as `@resoft/domain/permissions`.
 */
import { roleAtLeast, type ProjectRole } from './role-rank.js';

type Role = ProjectRole | null | undefined;

/** Any member may read a project and what it holds: files, rooms and their chat history, checks, analytics, its events. */
export const mayReadProject = (role: Role): role is ProjectRole => role !== undefined && role !== null;

/**
 * A room's chat history belongs to its project: any member of the room's project may read it, whether or
 * not they joined the room (the HTTP route's rule since issue 3; the gateway followed in issue 17).
 */
export const mayReadRoom = (role: Role): boolean => mayReadProject(role);

/** Editors and owners may create, change and lock the project's files; viewers read them. */
export const mayEditFiles = (role: Role): boolean => roleAtLeast(role ?? undefined, 'editor');

/** A file's lock lets its holder (and anyone, when the file is unlocked) change it. */
export const lockAllows = (lockedBy: string | null, userId: string): boolean => lockedBy === null || lockedBy === userId;

/** May this member change this file now: an editor or owner, and nobody else holds its lock. */
export const mayEditFile = (access: { readonly role: Role; readonly userId: string; readonly lockedBy: string | null }): boolean =>
  mayEditFiles(access.role) && lockAllows(access.lockedBy, access.userId);

/** A lock is released by the member who holds it or by an owner. */
export const mayUnlockFile = (access: { readonly role: Role; readonly userId: string; readonly lockedBy: string | null }): boolean =>
  access.lockedBy === access.userId || roleAtLeast(access.role ?? undefined, 'owner');

/** Owners add and remove members, change their roles, and change or archive the project. */
export const mayManageMembers = (role: Role): boolean => roleAtLeast(role ?? undefined, 'owner');

/** A project's audit trail (verification, the bundle): its owners, and administrators for every project. */
export const mayAuditProject = (role: Role, isAdministrator: boolean): boolean => isAdministrator || roleAtLeast(role ?? undefined, 'owner');
