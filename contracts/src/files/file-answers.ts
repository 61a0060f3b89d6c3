/** Answers of the project file routes: listings, a file's text, its versions and editing sessions. */
import { z } from 'zod';
import { Position, Timestamp, itemsOf } from '../http/written.js';

/** A file as listed. A time-travel read (`?asOf=`) answers the fields it can fold from the file's events. */
export const FileSummary = z.object({
  id: z.string(),
  projectId: z.string(),
  path: z.string(),
  version: z.number().int().min(0).describe('The latest version: how many changes the text has had'),
  size: z.number().int().min(0).describe('Bytes of UTF-8 text'),
  deleted: z.boolean().optional(),
  lockedBy: z.string().nullable().optional().describe('Who holds the lock; null when unlocked'),
  createdBy: z.string().optional(),
  createdAt: Timestamp.optional(),
  updatedBy: z.string().optional(),
  updatedAt: Timestamp.optional(),
});
export const FileList = itemsOf(FileSummary);
export type FileList = z.infer<typeof FileList>;

/** A file with its text at the latest version, at `?version=`, or `?asOf=`. */
export const FileWithText = FileSummary.partial({ size: true }).extend({
  text: z.string(),
  latestVersion: z.number().int().min(0).optional().describe('Set when an older `?version=` was asked for'),
  asOf: z.string().optional().describe('Echoes `?asOf=` on a time-travel read'),
});
export type FileWithText = z.infer<typeof FileWithText>;

export const FileVersion = z.object({
  version: z.number().int().min(0),
  authorId: z.string(),
  at: Timestamp,
  position: Position,
  kind: z.enum(['created', 'changed', 'restored']),
  restoredFrom: z.number().int().min(0).optional(),
  length: z.number().int().min(0).describe('Characters of text after this version'),
  inserted: z.number().int().min(0),
  removed: z.number().int().min(0),
});
export const FileVersions = z.object({ items: z.array(FileVersion).describe('Oldest first') });

export const VersionLabel = z.object({ version: z.number().int().min(0), label: z.string() });

export const EditingSession = z.object({
  authorId: z.string(),
  fromVersion: z.number().int().min(0),
  toVersion: z.number().int().min(0),
  startedAt: Timestamp,
  endedAt: Timestamp,
  inserted: z.number().int().min(0),
  removed: z.number().int().min(0),
  kind: z.enum(['created', 'edited', 'restored']),
  restoredFrom: z.number().int().min(0).optional(),
  labels: z.array(VersionLabel),
});
export type EditingSession = z.infer<typeof EditingSession>;
export const FileHistory = z.object({
  gapSeconds: z.number().int(),
  latestVersion: z.number().int().min(0),
  labels: z.array(VersionLabel).describe('Named versions, by version'),
  sessions: z.array(EditingSession).describe('Oldest first'),
});
export type FileHistory = z.infer<typeof FileHistory>;

export const ContentWritten = z.object({ position: Position, changed: z.boolean().describe('False when the text already was this') });
export const VersionNamed = VersionLabel.extend({ position: Position });
export const UnlockRequested = z.object({ lockedBy: z.string().nullable(), position: Position });
