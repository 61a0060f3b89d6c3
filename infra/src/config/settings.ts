/**
 * What every part's settings are made of: zod helpers for environment values, and the one way a
 * settings schema is read, naming every invalid variable in one error. Each service declares its
 * own schema with these; the app merges the schemas and reads the environment once.
 */
import { z } from 'zod';

export class ConfigError extends Error {}

/** The variables of a process's environment (`process.env`, read only by entry files). */
export type Environment = Record<string, string | undefined>;

/** A positive whole number with a default. */
export const positiveIntSetting = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Reads settings from the environment; throws one ConfigError that names every invalid variable. */
export function parseSettings<S extends z.ZodType>(schema: S, env: Environment): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}
