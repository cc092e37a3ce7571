// The report of an audit as both front doors collect it (the CLI's run, the language
// server's store): the same AuditResult the text, JSON and SARIF formats read.
import type { Rule } from '../../../rules/api';
import type { AuditResult } from '../cli/audit';
import { toolVersion } from '../cli/manifest';
import { buildReport, type ReportData } from './model';

export function reportOfAudit(result: AuditResult, baseDir: string, rules: readonly Pick<Rule, 'category'>[], generatedAt = new Date().toISOString()): ReportData {
  return buildReport({
    baseDir,
    roots: result.roots,
    files: result.files,
    findings: result.findings,
    endpoints: result.endpoints ?? [],
    skipped: result.skipped,
    checkedCategories: [...new Set(rules.map((r) => r.category))],
    generatedAt,
    toolVersion: toolVersion(),
  });
}
