/**
 * Which workspaces each workspace's production code may import: the layer table of
 * docs/architecture.md ("Workspaces and their allowed dependencies"), kept here as data so the
 * boundary check enforces what the document says. A workspace is named by its folder.
 *
 * A workspace without a row is still covered by the generic rules (no relative import leaves it, it
 * imports only what its package.json declares, through `exports`, and never a top-level workspace); a row
 * narrows that further. `browserSafe` workspaces also import no Node built-in module.
 */
export const layerTable = {
  contracts: { mayImport: [], browserSafe: true },
  domain: { mayImport: [] },
  templates: { mayImport: [] },
  infra: { mayImport: ['contracts', 'domain'] },
  projectors: { mayImport: ['contracts', 'domain', 'infra'] },
  'command-service': { mayImport: ['contracts', 'domain', 'infra', 'templates'] },
  // The query side reads the projections' read-model contract (collection names, document types).
  'query-service': { mayImport: ['contracts', 'domain', 'infra', 'templates', 'projectors'] },
  // The gateway serves chat history through the query side's read functions (`@resoft/query-service/reads`).
  'collab-gateway': { mayImport: ['contracts', 'domain', 'infra', 'projectors', 'query-service'] },
  'collab-client': { mayImport: ['contracts'], browserSafe: true },
  // The compositions: the services and the adapters they are wired with.
  app: { mayImport: ['contracts', 'domain', 'infra', 'templates', 'projectors', 'command-service', 'query-service', 'collab-gateway'] },
  // The commands start the compositions (`start`, `serve`) and work on the stores themselves (`rebuild`, `audit`, `check`, `analytics`).
  cli: { mayImport: ['app', 'contracts', 'domain', 'infra', 'templates', 'projectors', 'command-service', 'query-service'] },
  // Test-only workspaces: the test kit drives the compositions, the benchmarks use both, the system tests hold only specs.
  testkit: { mayImport: ['app', 'infra', 'projectors', 'collab-client'] },
  bench: { mayImport: ['app', 'testkit', 'contracts', 'domain', 'infra', 'templates', 'projectors', 'command-service', 'query-service', 'collab-client'] },
  'system-tests': { mayImport: ['testkit'] },
  ui: { mayImport: ['contracts', 'collab-client'], browserSafe: true },
};

/**
 * The top of the graph: the command, the browser app, the benchmarks and the system tests. No other
 * workspace's production code imports them (`cli`'s in-process commands are for the system tests' specs).
 */
export const topLevel = ['cli', 'ui', 'bench', 'system-tests'];
