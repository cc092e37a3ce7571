// The Hardening report as GitHub-flavoured Markdown (for a pull request, a wiki or an
// issue): the same sections as the HTML, tables only, the matrix in ✅ ⚠️ ❌ –. Paths
// are relative to the report base, and link to the line when the file sits there.
import type { ControlState } from '../../../rules/inventory/types';
import { relativePath } from '../cli/formats/paths';
import type { Range } from '../engine/finding';
import { CATEGORY_LABELS, CONTROL_LABELS, STATE_LABELS } from './labels';
import { findingsByCategory, VERDICT_LABELS, type ReportData } from './model';

export const MARKDOWN_SYMBOLS: Record<ControlState, string> = { ok: '✅', warn: '⚠️', fail: '❌', na: '–' };

/** Text in a table cell: no line breaks, no column breaks, no accidental markup. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/\r?\n/g, ' ')
    .replace(/([\\`*_{}[\]<>()#+!|~])/g, '\\$1');
}

/** A rule's message: its `code spans` stay code (with `|` escaped for the table), the rest is escaped text. */
export function messageMarkdown(text: string): string {
  const parts = text.replace(/\r?\n/g, ' ').split('`');
  if (parts.length % 2 === 0) return escapeMarkdown(text);
  return parts.map((p, i) => (i % 2 === 1 && p.length > 0 ? `\`${p.replace(/\|/g, '\\|')}\`` : escapeMarkdown(p))).join('');
}

/** Code in backticks: a backtick inside needs a longer fence. */
function code(text: string): string {
  const clean = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const fence = clean.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${clean}${fence.length > 1 ? ' ' : ''}${fence}`;
}

export function renderMarkdown(data: ReportData): string {
  const out: string[] = [];
  const rel = (f: string) => relativePath(data.baseDir, f);
  const link = (fileName: string, range: Range): string => {
    const at = `${rel(fileName)}:${range.start.line + 1}:${range.start.character + 1}`;
    return `[${escapeMarkdown(at)}](${encodeURI(rel(fileName))}#L${range.start.line + 1})`;
  };

  out.push(`# Production readiness: ${VERDICT_LABELS[data.verdict]}`, '');
  const generated = data.generatedAt ? ` Generated ${data.generatedAt}.` : '';
  out.push(
    `${data.filesAudited} ${data.filesAudited === 1 ? 'file' : 'files'} audited, ${data.totals.findings} ${data.totals.findings === 1 ? 'finding' : 'findings'}, ` +
      `${data.matrix.rows.length} HTTP ${data.matrix.rows.length === 1 ? 'endpoint' : 'endpoints'}.${generated}`,
    '',
  );

  out.push('## Summary by category', '', `_${escapeMarkdown(data.verdictRule)}_`, '');
  out.push('| Category | Verdict | Errors | Warnings | Infos | Total |', '| --- | --- | ---: | ---: | ---: | ---: |');
  for (const c of data.categories) {
    out.push(`| ${CATEGORY_LABELS[c.category]} | ${VERDICT_LABELS[c.verdict]} | ${c.counts.error} | ${c.counts.warning} | ${c.counts.info} | ${c.total} |`);
  }
  const s = data.totals.bySeverity;
  out.push(`| **All** | **${VERDICT_LABELS[data.verdict]}** | ${s.error} | ${s.warning} | ${s.info} | ${data.totals.findings} |`, '');

  out.push('## Endpoint matrix', '');
  const controls = data.matrix.controls;
  if (data.matrix.rows.length === 0) {
    out.push('No HTTP route was found (Express, Fastify, Koa, Nest and Next routes are recognised).', '');
  } else {
    out.push(`Legend: ${(['ok', 'warn', 'fail', 'na'] as const).map((st) => `${MARKDOWN_SYMBOLS[st]} ${STATE_LABELS[st]}`).join(' · ')}`, '');
    out.push(`| Endpoint | Handler | ${controls.map((c) => CONTROL_LABELS[c]).join(' | ')} |`, `| --- | --- |${controls.map(() => ' :---: |').join('')}`);
    for (const row of data.matrix.rows) {
      const cells = controls.map((c) => {
        const cell = row.controls[c];
        // The note is the tooltip in HTML; here it is a link title where there is a location.
        const symbol = MARKDOWN_SYMBOLS[cell.state];
        return cell.location
          ? `[${symbol}](${encodeURI(rel(cell.location.fileName))}#L${cell.location.range.start.line + 1} "${cell.note.replace(/["\r\n|]/g, ' ')}")`
          : symbol;
      });
      out.push(`| ${code(row.key)} ${escapeMarkdown(row.framework)} | ${link(row.handler.fileName, row.handler.range)} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }

  out.push('## Top files', '');
  if (data.topFiles.length === 0) out.push('No file has findings.', '');
  else {
    out.push('Ranked by weight: 10 per error, 3 per warning, 1 per info.', '');
    out.push('| File | Errors | Warnings | Infos | Weight |', '| --- | ---: | ---: | ---: | ---: |');
    for (const f of data.topFiles) out.push(`| ${escapeMarkdown(rel(f.fileName))} | ${f.counts.error} | ${f.counts.warning} | ${f.counts.info} | ${f.weight} |`);
    out.push('');
  }

  out.push('## Findings by category', '');
  const groups = findingsByCategory(data.findings);
  if (groups.length === 0) out.push('No findings.', '');
  for (const [category, list] of groups) {
    out.push(`### ${CATEGORY_LABELS[category]} (${list.length})`, '', '| Severity | Rule | Location | Message |', '| --- | --- | --- | --- |');
    for (const f of list) out.push(`| ${f.severity} | ${escapeMarkdown(f.ruleId)} | ${link(f.fileName, f.range)} | ${messageMarkdown(f.message)} |`);
    out.push('');
  }

  if (data.skipped.length > 0) {
    out.push(`## Skipped files (${data.skipped.length})`, '');
    for (const sk of data.skipped) out.push(`- ${escapeMarkdown(rel(sk.fileName))}: ${escapeMarkdown(sk.reason)}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
