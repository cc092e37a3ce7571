// What the Hardening report is built from in the language server: per file, the
// latest findings and endpoints. A workspace audit fills it (and replaces it when
// it completes); edits of open documents mark their entry stale (the report analyses
// it again first) and re-analyses of files changed on disk replace theirs, so the
// report reflects edits; deleted files drop out.
import type { Endpoint } from '../../../rules/inventory/types';
import type { AuditResult, FailedRule, SkippedFile } from '../cli/audit';
import type { FileAnalysis, Finding } from '../engine/finding';
import { isWithin } from '../engine/paths';

interface Entry {
  readonly findings: readonly Finding[];
  readonly endpoints: readonly Endpoint[];
  /** Computed on an older text, or without the endpoints: analysed again before a report. */
  readonly stale: boolean;
  readonly skipped?: string;
  readonly ruleFailures: readonly { readonly ruleId: string; readonly message: string }[];
}

/** The closure of a fix holds its program: the store keeps findings for long, so it drops them. */
function withoutFixes(f: Finding): Finding {
  if (f.fixes === undefined) return f;
  const { fixes: _fixes, ...plain } = f;
  return plain;
}

/** `inventoryAsked`: the analysis was asked for endpoints (none come back when the inventory failed: not retried). */
function entryOf(analysis: FileAnalysis, previous: Entry | undefined, inventoryAsked: boolean): Entry {
  const collected = inventoryAsked || analysis.endpoints !== undefined || analysis.skipped !== undefined;
  return {
    findings: analysis.findings.map(withoutFixes),
    endpoints: analysis.endpoints ?? (analysis.skipped !== undefined ? [] : (previous?.endpoints ?? [])),
    stale: !collected,
    ...(analysis.skipped !== undefined ? { skipped: analysis.skipped } : {}),
    ruleFailures: analysis.ruleFailures.map((r) => ({ ruleId: r.ruleId, message: r.message })),
  };
}

export interface AuditRecording {
  record(analysis: FileAnalysis): void;
  end(completed: boolean): void;
}

export class ReportStore {
  private files = new Map<string, Entry>();
  /** The audit running now; it replaces `files` only when it completes. */
  private pending: Map<string, Entry> | undefined;
  private completedAudit = false;

  /** True once a workspace audit completed (since the folders or settings last changed). */
  get audited(): boolean {
    return this.completedAudit;
  }

  /** Starts recording an audit; a newer audit may start before this one ends (it was cancelled). */
  beginAudit(): AuditRecording {
    const map = new Map<string, Entry>();
    this.pending = map;
    return {
      record: (analysis) => {
        if (!analysis.cancelled) map.set(analysis.fileName, entryOf(analysis, map.get(analysis.fileName), true));
      },
      // A cancelled audit leaves the previous report as it was.
      end: (completed) => {
        // Superseded by a newer audit, or the store was reset: this one describes nothing current.
        if (this.pending !== map) return;
        this.pending = undefined;
        if (completed) {
          this.files = map;
          this.completedAudit = true;
        }
      },
    };
  }

  /** A fresh analysis outside the audit loop (a file closed or changed on disk, an inventory refresh). */
  record(analysis: FileAnalysis, inventoryAsked = false): void {
    if (analysis.cancelled) return;
    for (const map of this.maps()) map.set(analysis.fileName, entryOf(analysis, map.get(analysis.fileName), inventoryAsked));
  }

  /**
   * An open document changed: its entry no longer matches its text. The report analyses
   * it again (with the endpoint inventory, which live analyses skip) before it is built.
   */
  markEdited(fileName: string): void {
    for (const map of this.maps()) {
      const previous = map.get(fileName);
      map.set(fileName, previous ? { ...previous, stale: true } : { findings: [], endpoints: [], stale: true, ruleFailures: [] });
    }
  }

  drop(fileName: string): void {
    for (const map of this.maps()) map.delete(fileName);
  }

  /** Folders or settings changed: nothing recorded describes the workspace any more. */
  reset(): void {
    this.files.clear();
    this.pending = undefined;
    this.completedAudit = false;
  }

  /** Files to analyse again (with the endpoint inventory) before a report. */
  staleFiles(): string[] {
    return [...this.files].filter(([, e]) => e.stale).map(([file]) => file);
  }

  /** The report's input, in the shape of the CLI's audit result (files within `roots` only). */
  auditResult(roots: readonly string[], projectProblems: AuditResult['projectProblems']): AuditResult {
    const files = [...this.files.keys()].filter((f) => roots.some((r) => isWithin(r, f))).sort(compare);
    const findings: Finding[] = [];
    const endpoints: Endpoint[] = [];
    const skipped: SkippedFile[] = [];
    const ruleFailures: FailedRule[] = [];
    for (const file of files) {
      const e = this.files.get(file)!;
      findings.push(...e.findings);
      endpoints.push(...e.endpoints);
      if (e.skipped !== undefined) skipped.push({ file, reason: e.skipped });
      for (const r of e.ruleFailures) ruleFailures.push({ ruleId: r.ruleId, file, message: r.message });
    }
    findings.sort((a, b) => compare(a.fileName, b.fileName) || a.start - b.start || compare(a.ruleId, b.ruleId));
    return { roots, files, findings, skipped, ruleFailures, projectProblems, endpoints };
  }

  private maps(): Map<string, Entry>[] {
    return this.pending ? [this.files, this.pending] : [this.files];
  }
}

/** Byte order, not locale order: reports must not change with the machine's language. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
