import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const observability = fileURLToPath(new URL('../../../observability/', import.meta.url));
const operations = fileURLToPath(new URL('../../../../docs/operations.md', import.meta.url));
const rulesFile = `${observability}rules/resoft-alerts.yml`;
const testsFile = `${observability}rules/resoft-alerts.test.yml`;

const promtoolFound = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).status === 0;
if (!promtoolFound) console.log('promtool tests skipped: no `promtool` binary (bash infra/engines/prometheus.sh install)');
const itWithPromtool = promtoolFound ? it : it.skip;

const promtool = (...args: string[]) => spawnSync('promtool', args, { encoding: 'utf8', cwd: observability });
const alertNames = () => [...fs.readFileSync(rulesFile, 'utf8').matchAll(/^\s+- alert: (\w+)$/gm)].map((m) => m[1]!);

describe('the alert rules', () => {
  itWithPromtool('pass `promtool check rules`, and both Prometheus configurations pass `promtool check config`', () => {
    const rules = promtool('check', 'rules', rulesFile);
    expect([rules.status, rules.stdout + rules.stderr]).toEqual([0, expect.stringContaining(`SUCCESS: ${alertNames().length} rules found`)]);
    for (const config of ['prometheus.yml', 'prometheus.local.yml']) {
      const checked = promtool('check', 'config', config);
      expect([config, checked.status, checked.stderr]).toEqual([config, 0, '']);
    }
  });

  itWithPromtool('pass their unit tests (`promtool test rules`), which cover every alert', () => {
    const tested = promtool('test', 'rules', testsFile);
    expect([tested.status, tested.stdout + tested.stderr]).toEqual([0, expect.stringContaining('SUCCESS')]);
    const tests = fs.readFileSync(testsFile, 'utf8');
    const untested = alertNames().filter((name) => !new RegExp(`alertname: ${name}\\n\\s+exp_alerts:\\n\\s+- exp_labels`).test(tests));
    expect(untested).toEqual([]);
  });

  it('each have a runbook section in docs/operations.md that their annotation points to', () => {
    const runbook = fs.readFileSync(operations, 'utf8');
    const rules = fs.readFileSync(rulesFile, 'utf8');
    expect(alertNames().length).toBe(8);
    for (const name of alertNames()) {
      expect([name, runbook.includes(`\n### ${name}\n`)]).toEqual([name, true]);
      expect([name, rules.includes(`runbook: docs/operations.md#${name.toLowerCase()}`)]).toEqual([name, true]);
    }
  });
});
