// The messages the Production Hardening server speaks beyond standard LSP, shared by
// the server, the VS Code client and the protocol tests. Plain types only: no LSP
// library import, so the client bundle does not pull in server code.
import type { ReportData } from '../report/model';

/** The `source` of every diagnostic the server publishes (clients count and filter by it). */
export const DIAGNOSTIC_SOURCE = 'hardening';

/** Request `hardening/auditWorkspace`: analyse every file of the workspace folders. */
export const AUDIT_WORKSPACE_METHOD = 'hardening/auditWorkspace';

/** Notification `hardening/auditProgress`, sent when the audit request carries no `workDoneToken`. */
export const AUDIT_PROGRESS_METHOD = 'hardening/auditProgress';

export interface AuditParams {
  /** A client-created token: progress is then reported with `$/progress` on it. */
  readonly workDoneToken?: string | number;
}

export interface AuditProgress {
  readonly done: number;
  readonly total: number;
  /** The file just finished (absolute path). */
  readonly file?: string;
}

export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

export interface AuditResult {
  /** Files analysed. */
  readonly files: number;
  readonly findings: number;
  readonly bySeverity: Record<'error' | 'warning' | 'info', number>;
  readonly byCategory: Record<string, number>;
  readonly skipped: SkippedFile[];
  readonly durationMs: number;
  /** True when the client cancelled: the numbers cover the files done so far. */
  readonly cancelled: boolean;
}

/** Request `hardening/report`: the Hardening report of the last workspace audit, kept up to date with edits. */
export const REPORT_METHOD = 'hardening/report';

/** Notification `hardening/reportUpdated`, sent when a workspace audit completes (a report view refreshes). */
export const REPORT_UPDATED_METHOD = 'hardening/reportUpdated';

/** `data`: only the data; `html`: a self-contained file for export (vscode:// links); `markdown`; `sarif`. */
export type ReportTextFormat = 'data' | 'html' | 'markdown' | 'sarif';

export interface ReportParams {
  readonly format?: ReportTextFormat;
}

export interface ReportResponse {
  readonly data: ReportData;
  /** The report in the requested format (absent for `data`). */
  readonly text?: string;
  /** False until a workspace audit completed: the client runs one first. */
  readonly audited: boolean;
}

/** `initializationOptions` a client may send. */
export interface HardeningInitializationOptions {
  /**
   * A client command that asks the user for a suppression reason, called with
   * `SuppressWithReasonArgs`. Without it the server offers an edit with a placeholder reason.
   */
  readonly suppressWithReasonCommand?: string;
  /** The client watches the files in WATCHED_FILE_GLOBS itself; the server then registers no watcher. */
  readonly clientWatchesFiles?: boolean;
  /** Settings for clients that support neither `workspace/configuration` nor `didChangeConfiguration`. */
  readonly settings?: unknown;
}

export interface SuppressWithReasonArgs {
  readonly uri: string;
  /** 0-based line the comment goes above. */
  readonly line: number;
  readonly ruleId: string;
}

/** Kind of the code action that applies every safe fix of a file. */
export const FIX_ALL_KIND = 'source.fixAll.hardening';

/** Files whose change on disk can change findings: config, project files, schemas, sources. */
export const WATCHED_FILE_GLOBS: readonly string[] = [
  '**/{.hardening.json,tsconfig*.json,jsconfig.json,package.json,.gitignore,*.prisma,*.sql}',
  '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}',
];

/** The text of an inline suppression (the reason must say why the code is safe). */
export function suppressionComment(indent: string, ruleId: string, reason: string): string {
  return `${indent}// hardening-ignore-next-line ${ruleId} -- ${reason.replace(/\s+/g, ' ').trim()}`;
}

/** The reason inserted by editors that cannot ask for one. */
export const PLACEHOLDER_REASON = '<why this is safe>';
