// The human report: one line per finding, `path:line:col  severity  rule-id  message`
// (paths relative to the working directory, so terminals and editors make them
// clickable), sorted by file and position, then a summary.
import type { Colors } from 'picocolors/types';
import type { Severity } from '../../../../rules/api';
import type { AuditResult } from '../audit';
import { countBySeverity } from '../severity';
import { relativePath } from './paths';

const SEVERITY_WIDTH = 'warning'.length;

function paintSeverity(c: Colors, severity: Severity): string {
  const label = severity.padEnd(SEVERITY_WIDTH);
  return severity === 'error' ? c.red(label) : severity === 'warning' ? c.yellow(label) : c.blue(label);
}

export function formatFindings(result: AuditResult, cwd: string, c: Colors): string {
  if (result.findings.length === 0) return '';
  const rows = result.findings.map((f) => ({
    file: f.fileName,
    location: `${relativePath(cwd, f.fileName)}:${f.range.start.line + 1}:${f.range.start.character + 1}`,
    finding: f,
  }));
  const locationWidth = Math.max(...rows.map((r) => r.location.length));
  const ruleWidth = Math.max(...rows.map((r) => r.finding.ruleId.length));
  const lines: string[] = [];
  rows.forEach((row, i) => {
    if (i > 0 && rows[i - 1].file !== row.file) lines.push('');
    const { finding } = row;
    lines.push(
      `${row.location.padEnd(locationWidth)}  ${paintSeverity(c, finding.severity)}  ${c.dim(finding.ruleId.padEnd(ruleWidth))}  ${finding.message}`.trimEnd(),
    );
  });
  return `${lines.join('\n')}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The closing lines: counts by severity, files, skipped files. */
export function formatSummary(result: AuditResult, cwd: string, c: Colors): string {
  const counts = countBySeverity(result.findings);
  const total = result.findings.length;
  const scope = `${plural(result.files.length, 'file')} audited`;
  const head =
    total === 0
      ? c.green(`✔ No problems (${scope})`)
      : `${counts.error > 0 ? c.red('✖') : c.yellow('⚠')} ${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info')}) in ${plural(new Set(result.findings.map((f) => f.fileName)).size, 'file')}; ${scope}`;
  const lines = [head];
  if (result.skipped.length > 0) {
    lines.push(`${plural(result.skipped.length, 'file')} skipped:`);
    for (const s of result.skipped) lines.push(`  ${relativePath(cwd, s.file)}: ${s.reason}`);
  }
  if (result.ruleFailures.length > 0) lines.push(c.red(`${plural(result.ruleFailures.length, 'rule failure')} (details on stderr)`));
  return `${lines.join('\n')}\n`;
}
