/** The services `resoft serve` runs, apart from their code so `--help` can name them without loading them. */
export const SERVICES = ['command', 'query', 'gateway', 'projectors', 'relay'] as const;
export type ServiceName = (typeof SERVICES)[number];
