/**
 * The `resoft` command (`main`), and the commands the system tests run in process (a rebuild between
 * two snapshots, reading an audit bundle's zip).
 */
export * from './main.js';
export { rebuildCommand } from './commands/rebuild-command.js';
export { unzip } from './commands/audit-bundle-reader.js';
