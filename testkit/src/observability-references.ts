/**
 * The metric names infra/observability's dashboards and alert rules refer to, and the names a
 * process's /metrics exposes, so a test can tell a dashboard or alert that reads nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const OBSERVABILITY_DIR = fileURLToPath(new URL('../../infra/observability/', import.meta.url));

/** Our metrics and Node's: names Prometheus itself makes (`up`, …) are not the processes' to expose. */
const OURS = /\b((?:resoft|http_server|nodejs|process)_[a-z0-9_]+)\b/g;

function namesIn(text: string): Set<string> {
  return new Set([...text.matchAll(OURS)].map((m) => m[1]!));
}

/** Per file (relative to infra/observability), the metric names its expressions use. */
export function referencedMetrics(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const dashboards = path.join(OBSERVABILITY_DIR, 'grafana', 'dashboards');
  for (const file of fs.readdirSync(dashboards).filter((f) => f.endsWith('.json'))) {
    const dashboard = JSON.parse(fs.readFileSync(path.join(dashboards, file), 'utf8')) as { panels: { targets?: { expr: string }[] }[]; templating?: { list: { definition?: string }[] } };
    const exprs = [
      ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
      ...(dashboard.templating?.list ?? []).map((variable) => variable.definition ?? ''),
    ].join('\n');
    found.set(`grafana/dashboards/${file}`, namesIn(exprs));
  }
  const rules = fs.readFileSync(path.join(OBSERVABILITY_DIR, 'rules', 'resoft-alerts.yml'), 'utf8');
  // Only the expressions: the annotations name runbook anchors, not metrics.
  const exprs = [...rules.matchAll(/expr: (\|\n(?:\s{10,}.*\n)+|.*\n)/g)].map((m) => m[1]).join('\n');
  found.set('rules/resoft-alerts.yml', namesIn(exprs));
  return found;
}

/** The names in a text exposition (`# TYPE` lines: present even before the first sample), with each histogram's series names. */
export function exposedMetrics(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\w+)$/gm)) {
    names.add(match[1]!);
    if (match[2] === 'histogram') for (const suffix of ['bucket', 'count', 'sum']) names.add(`${match[1]}_${suffix}`);
  }
  return names;
}
