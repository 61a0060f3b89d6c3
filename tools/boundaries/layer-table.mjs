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
  // The store and bus ports, their in-process adapters and contract suites: no vendor, no platform code.
  ports: { mayImport: ['domain'] },
  // One workspace per engine family: each implements ports and names its vendor; only compositions (cli) import one.
  'adapters/sqlite': { mayImport: ['domain', 'ports'] },
  'adapters/mongodb': { mayImport: ['domain', 'ports'] },
  'adapters/eventstoredb': { mayImport: ['domain', 'ports'] },
  // The Kafka bus logs through the platform's logger and carries each record's trace (infra's telemetry).
  'adapters/kafka': { mayImport: ['domain', 'ports', 'infra'] },
  'adapters/redis': { mayImport: ['ports'] },
  'adapters/duckdb': { mayImport: ['ports'] },
  // Automerge documents: pure document logic; the store reads they need are narrow interfaces of their own.
  documents: { mayImport: ['domain', 'ports'] },
  infra: { mayImport: ['contracts', 'domain', 'ports'] },
  // The HTTP kit: logging, access-token checks and tracing come from infra (the gateway's sockets use them too).
  'http-kit': { mayImport: ['contracts', 'domain', 'ports', 'infra'] },
  projectors: { mayImport: ['contracts', 'domain', 'ports', 'infra', 'documents'] },
  'command-service': { mayImport: ['contracts', 'domain', 'ports', 'infra', 'documents', 'http-kit', 'templates'] },
  // The query side reads the projections' read-model contract (collection names, document types).
  'query-service': { mayImport: ['contracts', 'domain', 'ports', 'infra', 'documents', 'http-kit', 'templates', 'projectors'] },
  // The gateway serves chat history through the query side's read functions (`@resoft/query-service/reads`).
  'collab-gateway': { mayImport: ['contracts', 'domain', 'ports', 'infra', 'documents', 'http-kit', 'projectors', 'query-service'] },
  'collab-client': { mayImport: ['contracts'], browserSafe: true },
  // The compositions: the services and the adapters they are wired with (an adapter only when its URL is set).
  app: {
    mayImport: [
      'contracts', 'domain', 'ports', 'infra', 'documents', 'http-kit', 'templates', 'projectors', 'command-service', 'query-service', 'collab-gateway',
      'adapters/sqlite', 'adapters/mongodb', 'adapters/eventstoredb', 'adapters/kafka', 'adapters/redis', 'adapters/duckdb',
    ],
  },
  // The commands start the compositions (`start`, `serve`) and work on the stores themselves (`rebuild`, `audit`, `check`, `analytics`).
  cli: {
    mayImport: [
      'app', 'contracts', 'domain', 'ports', 'infra', 'documents', 'http-kit', 'templates', 'projectors', 'command-service', 'query-service',
      'adapters/sqlite', 'adapters/mongodb', 'adapters/eventstoredb', 'adapters/kafka', 'adapters/redis', 'adapters/duckdb',
    ],
  },
  // Test-only workspaces: the test kit drives the compositions, the benchmarks use both, the system tests hold only specs.
  testkit: { mayImport: ['app', 'ports', 'infra', 'http-kit', 'projectors', 'command-service', 'collab-client', 'adapters/sqlite', 'adapters/mongodb', 'adapters/eventstoredb', 'adapters/kafka', 'adapters/redis', 'adapters/duckdb'] },
  bench: {
    mayImport: [
      'app', 'testkit', 'contracts', 'domain', 'ports', 'infra', 'documents', 'http-kit', 'templates', 'projectors', 'command-service', 'query-service', 'collab-client',
      'adapters/sqlite', 'adapters/mongodb', 'adapters/eventstoredb', 'adapters/kafka', 'adapters/redis', 'adapters/duckdb',
    ],
  },
  'system-tests': { mayImport: ['testkit'] },
  // The UI asks the domain's permission rules (`@resoft/domain/permissions`, browser-safe) instead of restating them.
  ui: { mayImport: ['contracts', 'collab-client', 'domain'], browserSafe: true },
};

/**
 * The top of the graph: the command, the browser app, the benchmarks and the system tests. No other
 * workspace's production code imports them (`cli`'s in-process commands are for the system tests' specs).
 */
export const topLevel = ['cli', 'ui', 'bench', 'system-tests'];
