/** A check report as a SARIF 2.1.0 log (one run per linter) and as a Markdown report. */
import type { CheckReport } from './check-report.js';
import type { Finding, LinterName } from './check-model.js';

const INFORMATION_URI: Readonly<Record<LinterName, string>> = {
  pylint: 'https://pylint.readthedocs.io/',
  mypy: 'https://mypy.readthedocs.io/',
  ruff: 'https://docs.astral.sh/ruff/',
  eslint: 'https://eslint.org/',
};

function sarifResult(finding: Finding) {
  return {
    ruleId: finding.ruleId,
    level: finding.level,
    message: { text: finding.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: finding.uri }, region: finding.region } }],
    partialFingerprints: { 'resoft/v1': finding.fingerprint },
    ...(finding.fixes.length > 0
      ? {
        fixes: finding.fixes.map((fix) => ({
          description: { text: fix.description },
          artifactChanges: [{ artifactLocation: { uri: finding.uri }, replacements: fix.replacements.map((r) => ({ deletedRegion: r.region, insertedContent: { text: r.insertedText } })) }],
        })),
      }
      : {}),
    properties: { severity: finding.severity, ...(finding.alsoReportedBy?.length ? { alsoReportedBy: finding.alsoReportedBy } : {}) },
  };
}

export function toSarif(report: CheckReport) {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: report.results.map((result) => {
      const findings = report.findings.filter((f) => f.tool === result.linter);
      const rules = [...new Map(findings.map((f) => [f.ruleId, f])).values()].map((f) => ({ id: f.ruleId, ...(f.helpUri ? { helpUri: f.helpUri } : {}) }));
      return {
        tool: { driver: { name: result.linter, ...(result.version ? { version: result.version } : {}), informationUri: INFORMATION_URI[result.linter], rules } },
        invocations: [{ executionSuccessful: result.status === 'ok', ...(result.message ? { toolExecutionNotifications: [{ level: 'error', message: { text: result.message } }] } : {}) }],
        results: findings.map(sarifResult),
        properties: { status: result.status, score: result.score, truncated: result.truncated },
      };
    }),
    properties: { checkId: report.id, status: report.status, score: report.score, grade: report.grade, formulaVersion: report.formulaVersion, incomplete: report.incomplete },
  };
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

export function toMarkdown(report: CheckReport): string {
  const lines: string[] = [`# Code-quality check ${report.id}`, ''];
  if (report.status === 'completed') {
    lines.push(`**Score ${report.score} / 100, grade ${report.grade}** (formula v${report.formulaVersion})`, '');
  } else if (report.status === 'partial') {
    lines.push(`**Partial score ${report.score} / 100, grade ${report.grade}** (formula v${report.formulaVersion}; grade at best B): not every linter finished`, '');
    lines.push(...report.incomplete.map((i) => `- ${i.linter}: ${cell(i.reason)}`), '');
  } else if (report.status === 'failed') {
    lines.push(`**Failed:** ${report.failureReason}`, '');
  } else {
    lines.push(`**Status:** ${report.status}`, '');
  }
  lines.push(`Errors ${report.counts.error} · warnings ${report.counts.warning} · info ${report.counts.info}`, '');
  lines.push('| linter | version | status | score | errors | warnings | info | note |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of report.results) {
    const notes = [r.message ?? '', r.truncated.findingsDropped > 0 ? `${r.truncated.findingsDropped} findings not listed (cap)` : '', r.truncated.outputCapped ? 'output cut at the cap' : ''].filter(Boolean).join('; ');
    lines.push(`| ${r.linter} | ${r.version ?? '—'} | ${r.status} | ${r.score ?? '—'} | ${r.counts.error} | ${r.counts.warning} | ${r.counts.info} | ${cell(notes)} |`);
  }
  for (const file of report.files) {
    const findings = report.findings.filter((f) => f.uri === file.path);
    lines.push('', `## ${file.path}`, '');
    if (findings.length === 0) {
      lines.push('No findings.');
      continue;
    }
    lines.push('| line | severity | tool | rule | message |', '| --- | --- | --- | --- | --- |');
    for (const f of [...findings].sort((a, b) => a.region.startLine - b.region.startLine || a.region.startColumn - b.region.startColumn)) {
      const rule = f.helpUri ? `[${f.ruleId}](${f.helpUri})` : f.ruleId;
      const tools = [f.tool, ...(f.alsoReportedBy ?? []).map((other) => `${other.tool} ${other.ruleId}`)].join(' + ');
      lines.push(`| ${f.region.startLine}:${f.region.startColumn} | ${f.severity} | ${cell(tools)} | ${rule} | ${cell(f.message)} |`);
    }
  }
  if (report.ignoredFiles.length > 0) {
    lines.push('', '## Not checked', '', ...report.ignoredFiles.map((f) => `- ${f.path}: ${f.reason}`));
  }
  return `${lines.join('\n')}\n`;
}
