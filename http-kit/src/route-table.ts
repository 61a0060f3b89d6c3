/**
 * The declared routes' dispatch: a request goes to the routes of its method and first two path
 * segments (`GET /api/projects`, `POST /api/collaboration` …) and to the first of them, in declared
 * order, whose path matches, as Express's router would send it, without its per-layer work (issue 19: the router
 * was ~5 % of the mixed workload's CPU). Paths match as Express matches them by default: without
 * regard to case or a trailing slash, `:name` taking one percent-decoded segment (400 when it does not
 * decode); HEAD is answered by the GET route; an OPTIONS request no route takes is answered with the
 * methods of the routes whose path matches (`Allow`), and any other request no route takes goes on
 * to the next handler.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpError } from './http-errors.js';
import type { RouteSpec } from './route.js';

interface TableEntry {
  readonly route: RouteSpec;
  /** Upper case, as `req.method`. */
  readonly method: string;
  readonly pattern: RegExp;
  readonly paramNames: readonly string[];
  readonly handle: RequestHandler;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/api/projects/:projectId` → a case-insensitive pattern taking an optional trailing slash, and its parameter names. */
function compile(path: string): { pattern: RegExp; paramNames: string[] } {
  const paramNames: string[] = [];
  const source = path.replace(/\/+$/, '').split('/').map((segment) => {
    if (!segment.startsWith(':')) return escapeRegExp(segment);
    paramNames.push(segment.slice(1));
    return '([^/]+)';
  }).join('/');
  return { pattern: new RegExp(`^${source}/?$`, 'i'), paramNames };
}

function decodeParam(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    throw new HttpError(400, 'bad_request', `Failed to decode param '${value}'`);
  }
}

/** The first two segments of a declared path when both are fixed (`/api/projects`), lower-cased; otherwise null. */
function prefixOf(path: string): string | null {
  const [, first, second] = path.toLowerCase().split('/');
  return first && second && !/[:*?()[\]{}]/.test(`${first}/${second}`) ? `/${first}/${second}` : null;
}

/** The first two segments of a request's path, lower-cased. */
function requestPrefix(path: string): string {
  const lower = path.toLowerCase();
  const second = lower.indexOf('/', lower.indexOf('/', 1) + 1);
  return second === -1 ? lower : lower.slice(0, second);
}

function sendAllow(res: Response, methods: readonly string[]): void {
  const allow = [...new Set(methods)].sort().join(', ');
  res.setHeader('Allow', allow);
  res.setHeader('Content-Length', Buffer.byteLength(allow));
  res.setHeader('Content-Type', 'text/plain');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(allow);
}

/** One handler for all the routes; `handlerOf` makes each route's handler (it finds `req.params` set). */
export function routeTable(routes: readonly RouteSpec[], handlerOf: (route: RouteSpec) => RequestHandler): RequestHandler {
  const entries: TableEntry[] = routes.map((route) => ({ route, method: route.method.toUpperCase(), ...compile(route.path), handle: handlerOf(route) }));
  // A route whose first two segments are not both fixed could match under any prefix: then every request tries every route.
  const prefixed = entries.every((entry) => prefixOf(entry.route.path) !== null);
  const keyOf = (prefix: string, method: string): string => (prefixed ? `${method} ${prefix}` : method);
  /** By prefix and method (a request tries only the routes that can take it, still in declared order), and by prefix alone for OPTIONS. */
  const table = new Map<string, TableEntry[]>();
  const add = (key: string, entry: TableEntry): void => void table.set(key, [...(table.get(key) ?? []), entry]);
  for (const entry of entries) {
    const prefix = prefixed ? prefixOf(entry.route.path)! : '';
    add(keyOf(prefix, entry.method), entry);
    add(keyOf(prefix, 'OPTIONS'), entry);
  }
  return (req: Request, res: Response, next: NextFunction) => {
    const path = req.path;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const candidates = table.get(keyOf(prefixed ? requestPrefix(path) : '', method));
    if (!candidates) return next();
    let allowed: string[] | null = null;
    for (const entry of candidates) {
      const match = entry.pattern.exec(path);
      if (!match) continue;
      if (entry.method !== method) {
        if (req.method === 'OPTIONS') (allowed ??= []).push(...(entry.method === 'GET' ? ['GET', 'HEAD'] : [entry.method]));
        continue;
      }
      const params: Record<string, string> = {};
      try {
        entry.paramNames.forEach((name, i) => (params[name] = decodeParam(match[i + 1]!)));
      } catch (error) {
        return next(error);
      }
      req.params = params;
      // What Express's router would leave there: the access log and the metrics name the route by it.
      (req as { route?: unknown }).route = { path: entry.route.path, method: entry.route.method };
      return entry.handle(req, res, next);
    }
    if (allowed) sendAllow(res, allowed);
    else next();
  };
}
