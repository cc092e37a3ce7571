// `hardening/report`: the Hardening report of the workspace from the ReportStore, in
// the format asked for. Files edited since the audit are first analysed again, with
// the endpoint inventory, so the report matches the text the user sees.
import { ALL_RULES } from '../../../rules/index';
import { formatSarif } from '../cli/formats/sarif';
import { reportBase } from '../cli/formats/paths';
import { isWithin } from '../engine/paths';
import type { Workspace } from '../engine/workspace';
import { reportOfAudit } from '../report/from-audit';
import { renderHtml } from '../report/html';
import { renderMarkdown } from '../report/markdown';
import type { ServerLog } from './log';
import type { ReportParams, ReportResponse } from './protocol';
import type { ReportStore } from './report-store';
import { yieldToEventLoop } from './scheduler';

export interface ReportHost {
  currentWorkspace(): Workspace;
  readonly reports: ReportStore;
  readonly log: ServerLog;
}

/** Batch work the user waits for, like the audit: more room than a keystroke's analysis. */
const BUDGET_SCALE = 10;

export async function reportRequest(host: ReportHost, params: ReportParams | undefined): Promise<ReportResponse> {
  const workspace = host.currentWorkspace();
  await refreshStale(host, workspace);
  const roots = workspace.roots;
  const result = host.reports.auditResult(roots, workspace.projectProblems());
  // Paths relative to the workspace folder (or the folder holding all of them).
  const baseDir = reportBase(roots[0] ?? '/', roots, []);
  const data = reportOfAudit(result, baseDir, ALL_RULES);
  const format = params?.format ?? 'data';
  const text =
    format === 'html' ? renderHtml(data, { mode: 'export' }) : format === 'markdown' ? renderMarkdown(data) : format === 'sarif' ? formatSarif(result, baseDir) : undefined;
  return { data, ...(text !== undefined ? { text } : {}), audited: host.reports.audited };
}

async function refreshStale(host: ReportHost, workspace: Workspace): Promise<void> {
  const roots = workspace.roots;
  for (const file of host.reports.staleFiles()) {
    if (!roots.some((r) => isWithin(r, file))) continue;
    await yieldToEventLoop();
    // The workspace may have been replaced meanwhile (folders changed): the store was reset with it.
    if (host.currentWorkspace() !== workspace) return;
    if (workspace.isExcluded(file)) {
      host.reports.drop(file);
      continue;
    }
    try {
      host.reports.record(workspace.analyzeFile(file, { inventory: true, budgetScale: BUDGET_SCALE }), true);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      host.log.error(`Report: analysis of ${file} failed: ${err.stack ?? err.message}`);
    }
  }
}
