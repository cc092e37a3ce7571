// `hardening/auditWorkspace`: analyses every file of the workspace folders,
// publishing each file's diagnostics as soon as it is done, reporting progress and
// yielding between files so edits and cancellation are still served meanwhile.
import type { CancellationToken } from 'vscode-languageserver/node';
import { SKIPPED_FILE } from '../../../rules/meta';
import type { FileAnalysis } from '../engine/finding';
import type { Workspace } from '../engine/workspace';
import type { ServerLog } from './log';
import type { AuditProgress, AuditResult, SkippedFile } from './protocol';
import type { ReportStore } from './report-store';
import { yieldToEventLoop } from './scheduler';

export interface AuditHost {
  currentWorkspace(): Workspace;
  /** Changes when folders or settings change. */
  epoch(): number;
  isOpen(file: string): boolean;
  /** Publishes the diagnostics of a file that is not open in the editor. */
  publishAnalysis(analysis: FileAnalysis): void;
  /** Logs rule failures of a file that is open (its live diagnostics are left alone). */
  logAnalysis(analysis: FileAnalysis): void;
  retainAudited(files: ReadonlySet<string>): void;
  /** What the Hardening report is built from; replaced when this audit completes. */
  readonly reports: ReportStore;
  readonly log: ServerLog;
}

export interface AuditReporter {
  begin(total: number): void;
  report(progress: AuditProgress): void;
  end(result: AuditResult): void;
}

const PROGRESS_INTERVAL_MS = 100;

class Tally {
  files = 0;
  findings = 0;
  readonly bySeverity: AuditResult['bySeverity'] = { error: 0, warning: 0, info: 0 };
  readonly byCategory: Record<string, number> = {};
  readonly skipped: SkippedFile[] = [];

  add(analysis: FileAnalysis): void {
    this.files++;
    if (analysis.skipped) this.skipped.push({ file: analysis.fileName, reason: analysis.skipped });
    for (const f of analysis.findings) {
      // A skipped file is counted in `skipped`, not as a finding.
      if (f.ruleId === SKIPPED_FILE.id) continue;
      this.findings++;
      this.bySeverity[f.severity]++;
      this.byCategory[f.category] = (this.byCategory[f.category] ?? 0) + 1;
    }
  }
}

export async function auditWorkspace(host: AuditHost, token: CancellationToken, reporter: AuditReporter): Promise<AuditResult> {
  const startedAt = performance.now();
  const workspace = host.currentWorkspace();
  const epoch = host.epoch();
  const tally = new Tally();
  // Also stop when settings or folders changed: the results would describe a workspace that is gone.
  const cancelled = () => token.isCancellationRequested || host.epoch() !== epoch;
  const result = (): AuditResult => ({
    files: tally.files,
    findings: tally.findings,
    bySeverity: tally.bySeverity,
    byCategory: tally.byCategory,
    skipped: tally.skipped,
    durationMs: Math.round(performance.now() - startedAt),
    cancelled: cancelled(),
  });

  const files = workspace.listFiles();
  reporter.begin(files.length);
  const recording = host.reports.beginAudit();
  workspace.prepare(files);
  let lastReport = 0;
  for (const file of files) {
    await yieldToEventLoop();
    if (cancelled()) break;
    let analysis: FileAnalysis;
    try {
      analysis = workspace.analyzeFile(file, { isCancelled: cancelled, budgetScale: 10, inventory: true });
    } catch (e) {
      // One file the engine chokes on must not end the audit of the others.
      const err = e instanceof Error ? e : new Error(String(e));
      host.log.error(`Audit: analysis of ${file} failed: ${err.stack ?? err.message}`);
      analysis = { fileName: file, version: '', findings: [], ruleFailures: [], budgetSkipped: [], budgetCutShort: [], cancelled: false, skipped: `analysis failed: ${err.message}` };
    }
    if (analysis.cancelled || cancelled()) break;
    tally.add(analysis);
    recording.record(analysis);
    if (host.isOpen(file)) host.logAnalysis(analysis);
    else host.publishAnalysis(analysis);
    const now = performance.now();
    if (now - lastReport >= PROGRESS_INTERVAL_MS || tally.files === files.length) {
      lastReport = now;
      reporter.report({ done: tally.files, total: files.length, file });
    }
  }
  if (!cancelled()) host.retainAudited(new Set(files));
  recording.end(!cancelled());
  const done = result();
  reporter.end(done);
  return done;
}
