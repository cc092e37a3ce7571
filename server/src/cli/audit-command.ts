// `harden audit`: validates the options, runs the audit, writes the report in the
// chosen format, and turns the findings into the exit code CI acts on.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createColors } from 'picocolors';
import type { Rule } from '../../../rules/api';
import { ALL_RULES } from '../../../rules/index';
import { runAudit, type AuditResult } from './audit';
import { knownRuleIds } from './catalogue';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './exit-codes';
import { formatJson } from './formats/json';
import { reportBase, relativePath } from './formats/paths';
import { formatSarif } from './formats/sarif';
import { formatFindings, formatSummary } from './formats/text';
import type { Io } from './io';
import { progressOnStderr } from './progress';
import { INVENTORY_FORMATS, type FailOn, type ReportFormat } from './options';
import { reportOfAudit } from '../report/from-audit';
import { renderHtml } from '../report/html';
import { renderMarkdown } from '../report/markdown';
import { countBySeverity, fails } from './severity';

export interface AuditCommandOptions {
  readonly format: ReportFormat;
  readonly output?: string;
  readonly failOn: FailOn;
  readonly rule?: readonly string[];
  readonly quiet?: boolean;
  readonly color: boolean;
  readonly maxWarnings?: number;
}

/** `--rule a b`, `--rule a,b` and `--rule a --rule b` all mean the same. */
function selectedRuleIds(given: readonly string[] | undefined, io: Io): Set<string> | undefined {
  if (!given || given.length === 0) return undefined;
  const ids = given.flatMap((g) => g.split(',')).map((s) => s.trim()).filter(Boolean);
  const known = knownRuleIds();
  for (const id of ids) {
    if (known.has(id)) continue;
    const looksLikePath = fs.existsSync(path.resolve(io.cwd, id));
    throw new UsageError(
      `unknown rule "${id}" in --rule; run \`harden rules\` to list the rule ids${looksLikePath ? ' (put paths before --rule, or after --)' : ''}`,
    );
  }
  return new Set(ids);
}

function withOnlyErrors(result: AuditResult): AuditResult {
  return { ...result, findings: result.findings.filter((f) => f.severity === 'error') };
}

function render(format: ReportFormat, result: AuditResult, io: Io, colour: boolean, rules: readonly Rule[]): string {
  const base = reportBase(io.cwd, result.roots, result.files);
  if (format === 'json') return formatJson(result, base);
  if (format === 'sarif') return formatSarif(result, base);
  if (format === 'html') return renderHtml(reportOfAudit(result, base, rules), { mode: 'export' });
  if (format === 'markdown') return renderMarkdown(reportOfAudit(result, base, rules));
  const c = createColors(colour);
  const findings = formatFindings(result, io.cwd, c);
  return `${findings}${findings ? '\n' : ''}${formatSummary(result, io.cwd, c)}`;
}

export function auditCommand(paths: readonly string[], options: AuditCommandOptions, io: Io): number {
  const only = selectedRuleIds(options.rule, io);
  const rules = only ? ALL_RULES.filter((r) => only.has(r.id)) : undefined;
  const full = runAudit({ paths, cwd: io.cwd, rules, onlyRuleIds: only, onProgress: progressOnStderr(io), inventory: INVENTORY_FORMATS.has(options.format) });
  const result = options.quiet ? withOnlyErrors(full) : full;

  for (const f of result.ruleFailures) {
    io.err(`harden: rule ${f.ruleId} failed on ${relativePath(io.cwd, f.file)}: ${f.message}\n`);
  }
  for (const p of result.projectProblems) {
    io.err(`harden: ${relativePath(io.cwd, p.file)}: ${p.message} (using default compiler options)\n`);
  }

  if (options.output) {
    const target = path.resolve(io.cwd, options.output);
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, render(options.format, result, io, false, rules ?? ALL_RULES));
    } catch (e) {
      throw new UsageError(`cannot write ${options.output}: ${(e as Error).message}`);
    }
    io.err(formatSummary(result, io.cwd, createColors(false)));
  } else if (options.format === 'text') {
    io.out(render('text', result, io, options.color && io.stdoutColor, rules ?? ALL_RULES));
  } else {
    io.out(render(options.format, result, io, false, rules ?? ALL_RULES));
    io.err(formatSummary(result, io.cwd, createColors(false)));
  }

  const failing = result.findings.some((f) => fails(f.severity, options.failOn));
  const tooManyWarnings = options.maxWarnings !== undefined && countBySeverity(result.findings).warning > options.maxWarnings;
  if (tooManyWarnings) io.err(`harden: more than ${options.maxWarnings} warnings (--max-warnings)\n`);
  return failing || tooManyWarnings ? EXIT_FINDINGS : EXIT_OK;
}
