/** `resoft rebuild [projection…]`: rebuilds read models from position 0 into fresh collections and swaps them in. */
import { loadConfig } from '@resoft/infra';
import { allProjections, rebuildProjection } from '@resoft/projectors';
import { openStores } from '../runtime/open-stores.js';
import { progressBar } from './progress-bar.js';

export async function rebuildCommand(names: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WriteStream = process.stdout): Promise<void> {
  const unknown = names.filter((n) => !allProjections.some((p) => p.name === n));
  if (unknown.length) {
    throw new Error(`Unknown projection(s): ${unknown.join(', ')}. Known: ${allProjections.map((p) => p.name).join(', ')}`);
  }
  const chosen = names.length ? allProjections.filter((p) => names.includes(p.name)) : allProjections;
  const stores = await openStores(loadConfig(env));
  try {
    for (const projection of chosen) {
      const bar = progressBar(projection.name);
      const started = Date.now();
      const position = await rebuildProjection(stores.events, stores.readModels, projection, (p) => bar.update(p.position, p.head));
      bar.update(position, position);
      bar.stop();
      out.write(`rebuilt ${projection.name} up to position ${position} in ${Date.now() - started} ms\n`);
    }
  } finally {
    await stores.close();
  }
}
