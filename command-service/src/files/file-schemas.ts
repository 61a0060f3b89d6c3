/** Bodies and path parameters of the project-file endpoints (shared with the query side's parameters). */
import { z } from 'zod';
import { uuidSchema } from '@resoft/http-kit';
import { MAX_FILE_PATH_LENGTH } from '@resoft/domain';

export const projectFileParams = z.object({ projectId: uuidSchema, fileId: uuidSchema });
const filePath = z.string().min(1, 'must not be empty').max(MAX_FILE_PATH_LENGTH, `must be at most ${MAX_FILE_PATH_LENGTH} characters`);
// The byte bound (1 MB) is checked on the command path; this keeps an absurd body out early.
const fileContent = z.string().max(1_000_000, 'must be at most 1000000 characters');

export const createFileBody = z.strictObject({ path: filePath, content: fileContent.default('') });
export const writeFileBody = z.strictObject({ content: fileContent });
export const renameFileBody = z.strictObject({ path: filePath });
export const restoreFileBody = z.strictObject({ version: z.number().int().min(0) });
