/**
 * Free and total bytes of the file system holding the data directory, read at each scrape: the
 * SQLite files (events, read models, sources, audit log) stop taking writes when it fills up.
 */
import fs from 'node:fs/promises';
import type { Metrics } from './metrics.js';

export function observeDataDirSpace(metrics: Metrics, dataDir: string): void {
  const stat = () => fs.statfs(dataDir);
  metrics.observe({ name: 'resoft_data_dir_free_bytes', help: 'Bytes available to this process on the file system of the data directory.' }, async () => {
    const s = await stat();
    return [{ value: s.bavail * s.bsize }];
  });
  metrics.observe({ name: 'resoft_data_dir_size_bytes', help: 'Size in bytes of the file system of the data directory.' }, async () => {
    const s = await stat();
    return [{ value: s.blocks * s.bsize }];
  });
}
