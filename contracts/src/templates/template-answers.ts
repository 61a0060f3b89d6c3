/** Answers of the template catalog (list, describe, preview) and of template runs (apply, status). */
import { z } from 'zod';
import { Position, Timestamp } from '../http/written.js';

export const TemplateSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  tags: z.array(z.string()),
  version: z.string().describe('Semantic version'),
});
export type TemplateSummary = z.infer<typeof TemplateSummary>;
export const TemplateCatalog = z.object({ items: z.array(TemplateSummary) });

/** A template variable as the manifest declares it (a JSON Schema property: string, integer or boolean). */
export const TemplateVariable = z.object({
  type: z.enum(['string', 'integer', 'boolean']),
  title: z.string().optional(),
  description: z.string().optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  enum: z.array(z.string()).optional().describe('Strings: the allowed choices'),
  pattern: z.string().optional().describe('Strings: a regular expression the value matches'),
  minLength: z.number().int().optional(),
  maxLength: z.number().int().optional(),
  format: z.enum(['python-package', 'date']).optional().describe('Strings: a meaning checked beyond the pattern'),
  reserved: z.array(z.string()).optional().describe('Strings: values refused'),
  minimum: z.number().int().optional().describe('Integers'),
  maximum: z.number().int().optional().describe('Integers'),
});
export type TemplateVariable = z.infer<typeof TemplateVariable>;

export const TemplateDescription = TemplateSummary.extend({
  variables: z.object({ type: z.literal('object'), required: z.array(z.string()), properties: z.record(z.string(), TemplateVariable) }).describe('JSON Schema of the variables'),
  conditions: z.array(z.object({ path: z.string(), when: z.string() })).describe('Files kept only when their condition holds'),
  install: z.array(z.string()),
  requirements: z.array(z.string()),
  dependencies: z.array(z.string()),
  fileCount: z.number().int().min(0),
});
export type TemplateDescription = z.infer<typeof TemplateDescription>;

export const VariableValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const TreeLeaf = z.object({
  name: z.string(),
  type: z.enum(['dir', 'file']),
  size: z.number().int().min(0).describe('Bytes (of every file below, for a folder)'),
});
/**
 * A node of a rendered file tree: a file, or a folder with its children — nodes of this same shape,
 * nested (declared one level deep: a recursive schema would need references the OpenAPI document
 * cannot resolve from inside an answer).
 */
export const TreeNode = TreeLeaf.extend({ children: z.array(TreeLeaf).optional().describe('A folder\'s files and folders, each of this same shape') });
export type TreeNode = z.infer<typeof TreeNode>;

const RenderedFile = z.object({ path: z.string(), size: z.number().int().min(0), sha256: z.string() });

export const TemplatePreview = z.object({
  templateId: z.string(),
  version: z.string(),
  variables: VariableValues.describe('Every variable, defaults filled in'),
  totalBytes: z.number().int().min(0),
  files: z.array(RenderedFile),
  tree: z.array(TreeNode),
  file: RenderedFile.extend({ content: z.string() }).optional().describe('With `file`: that file rendered'),
});
export type TemplatePreview = z.infer<typeof TemplatePreview>;

/** `POST /api/v1/templates/apply`, 201: the completed run. */
export const TemplateApplied = z.object({
  id: z.string().describe('The run id'),
  status: z.literal('completed'),
  position: Position,
  fileCount: z.number().int().min(0),
  totalBytes: z.number().int().min(0),
});

export const TemplateRun = z.object({
  id: z.string(),
  projectId: z.string(),
  templateId: z.string(),
  templateVersion: z.string(),
  variables: VariableValues,
  status: z.enum(['running', 'completed', 'failed']),
  fileCount: z.number().int().min(0),
  rendered: z.number().int().min(0).describe('Files written so far'),
  totalBytes: z.number().int().min(0),
  files: z.array(RenderedFile.extend({ fileId: z.string().nullable() })),
  reason: z.string().nullable().describe('Why it failed'),
  startedBy: z.string(),
  startedAt: Timestamp,
  updatedAt: Timestamp,
  position: Position,
});
export type TemplateRun = z.infer<typeof TemplateRun>;
