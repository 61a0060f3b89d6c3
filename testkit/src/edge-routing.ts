/**
 * The edge's routing rules read from `infra/deploy/nginx.conf` itself, so tests route requests as the
 * deployed edge does: which service (command, query, gateway) a method and path reach. It follows
 * nginx's location choice: an exact `=` match wins; else the regex locations in order, the first that
 * matches; else the longest prefix. A `proxy_pass` to `$resoft_backend` goes by the method map.
 */
import fs from 'node:fs';
import path from 'node:path';

export type EdgeTarget = 'command' | 'query' | 'gateway';

interface Location {
  readonly kind: 'exact' | 'regex' | 'prefix';
  readonly pattern: string;
  readonly regex?: RegExp;
  readonly upstream: string;
}

export interface EdgeRules {
  readonly locations: readonly Location[];
  readonly byMethod: ReadonlyMap<string, string>;
  readonly defaultBackend: string;
}

export const NGINX_CONF = path.join(process.cwd(), 'infra', 'deploy', 'nginx.conf');

export function readEdgeRules(file = NGINX_CONF): EdgeRules {
  // Without comments and quoted strings (JSON answers hold braces), blocks nest only as far as this needs.
  const text = fs
    .readFileSync(file, 'utf8')
    .replace(/#[^\n]*/g, '')
    .replace(/'[^']*'/g, "''");
  const map = /map\s+\$request_method\s+\$resoft_backend\s*\{([^}]*)\}/.exec(text);
  if (!map) throw new Error(`${file} has no map from $request_method to $resoft_backend`);
  const byMethod = new Map<string, string>();
  let defaultBackend = '';
  for (const [, key, value] of map[1]!.matchAll(/(\S+)\s+(\S+);/g)) {
    if (key === 'default') defaultBackend = value!;
    else byMethod.set(key!, value!);
  }
  const locations: Location[] = [];
  for (const [, modifier, pattern, body] of text.matchAll(/location\s+(=|~\*?)?\s*([^\s{]+)\s*\{([^{}]*)\}/g)) {
    if (pattern!.startsWith('@')) continue;
    const upstream = /proxy_pass\s+http:\/\/([^\s;/]+)/.exec(body!)?.[1];
    if (!upstream) continue;
    if (modifier === '=') locations.push({ kind: 'exact', pattern: pattern!, upstream });
    else if (modifier) locations.push({ kind: 'regex', pattern: pattern!, regex: new RegExp(pattern!, modifier === '~*' ? 'i' : ''), upstream });
    else locations.push({ kind: 'prefix', pattern: pattern!, upstream });
  }
  return { locations, byMethod, defaultBackend };
}

/** The service the edge sends `method path` to (the path without its query string). */
export function edgeTarget(rules: EdgeRules, method: string, urlPath: string): EdgeTarget {
  const location =
    rules.locations.find((l) => l.kind === 'exact' && l.pattern === urlPath) ??
    rules.locations.find((l) => l.kind === 'regex' && l.regex!.test(urlPath)) ??
    rules.locations.filter((l) => l.kind === 'prefix' && urlPath.startsWith(l.pattern)).sort((a, b) => b.pattern.length - a.pattern.length)[0];
  if (!location) throw new Error(`no location of the edge matches ${urlPath}`);
  const upstream = location.upstream === '$resoft_backend' ? (rules.byMethod.get(method.toUpperCase()) ?? rules.defaultBackend) : location.upstream;
  const target = upstream.replace(/^resoft_/, '');
  if (target !== 'command' && target !== 'query' && target !== 'gateway') throw new Error(`unknown upstream ${upstream} for ${method} ${urlPath}`);
  return target;
}
