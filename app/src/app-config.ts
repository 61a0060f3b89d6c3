/**
 * The app's configuration: the shared settings and every service's own, merged into one schema
 * that entry files read once from the environment (`loadConfig(process.env)`) and pass down.
 */
import { z } from 'zod';
import { parseSettings, sharedConfig, sharedConfigSchema, type Environment, type SharedConfig } from '@resoft/infra/config';
import { commandServiceConfig, commandServiceConfigSchema, type CommandServiceConfig } from '@resoft/command-service/config';
import { queryServiceConfig, queryServiceConfigSchema, type QueryServiceConfig } from '@resoft/query-service/config';
import { projectorsConfig, projectorsConfigSchema, type ProjectorsConfig } from '@resoft/projectors/config';
import { gatewayConfig, gatewayConfigSchema, type GatewayConfig } from '@resoft/collab-gateway/config';

export const configSchema = z.object({
  ...sharedConfigSchema.shape,
  ...commandServiceConfigSchema.shape,
  ...queryServiceConfigSchema.shape,
  ...projectorsConfigSchema.shape,
  ...gatewayConfigSchema.shape,
});

export type ConfigInput = z.input<typeof configSchema>;

export type Config = SharedConfig & CommandServiceConfig & QueryServiceConfig & ProjectorsConfig & GatewayConfig;

export function loadConfig(env: Environment): Config {
  const c = parseSettings(configSchema, env);
  return { ...sharedConfig(c), ...commandServiceConfig(c), ...queryServiceConfig(c), ...projectorsConfig(c), ...gatewayConfig(c) };
}
