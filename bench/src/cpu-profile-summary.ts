/** Summarises a V8 `.cpuprofile`: self time by function and by package, to see where the write path spends its time. */
import { ROOT } from './bench-server-child.js';

const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;

export interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}
/** Where the time went; the benchmark adds which run was profiled. */
export interface ProfileSummary {
  readonly totalMs: number;
  readonly idleMs: number;
  readonly topFunctions: { readonly selfMs: number; readonly percentOfBusy: number; readonly fn: string; readonly where: string }[];
  readonly topPackages: { readonly selfMs: number; readonly percentOfBusy: number; readonly pkg: string }[];
}

export function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  if (inModules >= 0) return path.slice(inModules);
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}

export function packageOf(url: string): string {
  if (!url) return '(native / VM)';
  if (url.startsWith('node:')) return 'node (core)';
  const path = shortUrl(url);
  const modules = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (modules) return modules[1]!;
  return path.includes('/') ? `@resoft/${path.split('/')[0]}` : path;
}

export function summariseProfile(profile: CpuProfile): ProfileSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, { us: number; fn: string; where: string }>();
  const byPackage = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0; // A sample lasts until the next one.
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    totalUs += us;
    if (frame.functionName === '(idle)') idleUs += us;
    const fn = frame.functionName || '(anonymous)';
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${fn}\u0000${where}`;
    const entry = byFunction.get(key) ?? { us: 0, fn, where };
    entry.us += us;
    byFunction.set(key, entry);
    if (frame.functionName !== '(idle)') byPackage.set(packageOf(frame.url), (byPackage.get(packageOf(frame.url)) ?? 0) + us);
  });
  const busyUs = totalUs - idleUs;
  const share = (us: number): number => round((100 * us) / busyUs);
  return {
    totalMs: round(totalUs / 1000, 0), idleMs: round(idleUs / 1000, 0),
    topFunctions: [...byFunction.values()].filter((e) => e.fn !== '(idle)').sort((a, b) => b.us - a.us).slice(0, 10)
      .map((e) => ({ selfMs: round(e.us / 1000, 0), percentOfBusy: share(e.us), fn: e.fn, where: e.where })),
    topPackages: [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10)
      .map(([pkg, us]) => ({ selfMs: round(us / 1000, 0), percentOfBusy: share(us), pkg })),
  };
}
