/**
 * A template's manifest (`template.json`): what it is, its variables as a
 * JSON Schema subset (string, integer, boolean, and choice = string with
 * `enum`), which files depend on which variables, and how to install and run
 * what it generates.
 */
import { z } from 'zod';
import { parseCondition } from './renderer.js';

const VARIABLE_NAME = /^[a-z][a-z0-9_]*$/;
const help = { title: z.string().min(1).max(80), description: z.string().max(500).default('') };

/** Patterns are compiled once here; a long pattern is refused to keep matching cheap. */
const patternSchema = z.string().max(200).refine((p) => {
  try {
    new RegExp(p, 'u');
    return true;
  } catch {
    return false;
  }
}, 'is not a valid regular expression');

const stringVariable = z.strictObject({
  type: z.literal('string'), ...help,
  default: z.string().max(1000).optional(),
  pattern: patternSchema.optional(),
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().min(1).max(1000).default(200),
  enum: z.array(z.string().regex(/^[A-Za-z0-9_.+-]+$/, 'choices are letters, digits and _ . + -').max(60)).min(1).max(50).optional(),
  /** A meaning checked beyond the pattern: an importable Python package name, or a real calendar date (YYYY-MM-DD). */
  format: z.enum(['python-package', 'date']).optional(),
  /** Values refused because the generated project would break with them (names of its own dependencies, say). */
  reserved: z.array(z.string().min(1).max(60)).max(100).optional(),
});
const integerVariable = z.strictObject({
  type: z.literal('integer'), ...help,
  default: z.number().int().optional(),
  minimum: z.number().int().optional(),
  maximum: z.number().int().optional(),
});
const booleanVariable = z.strictObject({ type: z.literal('boolean'), ...help, default: z.boolean().optional() });

export const variableSchema = z.discriminatedUnion('type', [stringVariable, integerVariable, booleanVariable]);
export type VariableSpec = z.infer<typeof variableSchema>;

const conditionText = z.string().refine((text) => parseCondition(text) !== null, 'is not a condition: use flag, !flag, choice=value or choice!=value');

export const manifestSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'is lower-case letters, digits and dashes'),
    name: z.string().min(1).max(80),
    description: z.string().min(1).max(1000),
    category: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/),
    tags: z.array(z.string().regex(/^[a-z0-9][a-z0-9+.-]{0,30}$/)).max(20),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'is a semantic version such as 1.2.0'),
    variables: z.strictObject({
      type: z.literal('object'),
      required: z.array(z.string()).default([]),
      properties: z.record(z.string().regex(VARIABLE_NAME, 'variable names are lower-case letters, digits and _'), variableSchema),
    }),
    /** Files and folders (paths inside `files/`) kept only when their condition holds. */
    conditions: z.array(z.strictObject({ path: z.string().min(1).max(300), when: conditionText })).default([]),
    install: z.array(z.string().max(300)).max(30).default([]),
    requirements: z.array(z.string().max(200)).max(30).default([]),
    dependencies: z.array(z.string().max(200)).max(100).default([]),
  })
  .superRefine((manifest, ctx) => {
    const { properties, required } = manifest.variables;
    for (const name of required) {
      if (!properties[name]) ctx.addIssue({ code: 'custom', path: ['variables', 'required'], message: `"${name}" is required but not declared` });
    }
    for (const [name, spec] of Object.entries(properties)) {
      const at = ['variables', 'properties', name];
      if (spec.default === undefined && !required.includes(name)) ctx.addIssue({ code: 'custom', path: at, message: 'an optional variable needs a default' });
      if (spec.type === 'integer' && spec.minimum !== undefined && spec.maximum !== undefined && spec.minimum > spec.maximum) {
        ctx.addIssue({ code: 'custom', path: at, message: 'minimum is above maximum' });
      }
      if (spec.type === 'string' && spec.enum && spec.default !== undefined && !spec.enum.includes(spec.default)) {
        ctx.addIssue({ code: 'custom', path: at, message: 'the default is not one of the choices' });
      }
    }
    manifest.conditions.forEach((rule, index) => {
      const condition = parseCondition(rule.when);
      if (condition && !properties[condition.name]) ctx.addIssue({ code: 'custom', path: ['conditions', index, 'when'], message: `refers to undeclared variable "${condition.name}"` });
    });
  });

export type TemplateManifest = z.infer<typeof manifestSchema>;

export type VariableKind = 'string' | 'integer' | 'boolean' | 'choice';
export const kindOf = (spec: VariableSpec): VariableKind => (spec.type === 'string' && spec.enum ? 'choice' : spec.type);
