// The JSON report: a stable, documented shape for scripts and dashboards.
// `version` is the version of this shape; it changes only when a field changes meaning.
import type { SourceLocation } from '../../../../rules/inventory/types';
import { reportOfAudit } from '../../report/from-audit';
import type { AuditResult } from '../audit';
import { countBySeverity } from '../severity';
import { TOOL_NAME, toolVersion } from '../manifest';
import { relativePath } from './paths';

export const JSON_REPORT_VERSION = 1;

/** 1-based line and column (UTF-16 code units), end exclusive. */
export interface JsonSpan {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface JsonRelated extends JsonSpan {
  readonly message: string;
  /** A step of the data's path (in order, source first) rather than evidence. */
  readonly step: boolean;
}

export interface JsonFinding extends JsonSpan {
  readonly ruleId: string;
  readonly category: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly cwe: readonly string[];
  readonly docsUrl: string;
  /** Stable across line shifts; the same value as SARIF's partialFingerprints. */
  readonly fingerprint: string;
  /** True when the editor (or a future `--fix`) can fix it. */
  readonly fixable: boolean;
  /** The path of the data or the evidence, e.g. where a tainted value entered. */
  readonly related: readonly JsonRelated[];
  /** The endpoint protections it says are missing (columns of the endpoint matrix); often empty. */
  readonly concerns: readonly string[];
}

/** One cell of the endpoint matrix: ok (in place), warn (not found), fail (a finding), na. */
export interface JsonControl {
  readonly state: 'ok' | 'warn' | 'fail' | 'na';
  readonly note: string;
  /** Where the protection is, or the finding that says it is missing. */
  readonly at?: JsonSpan;
  /** The findings behind a `fail`. */
  readonly fingerprints?: readonly string[];
}

/** An HTTP route of the workspace and what protects it. */
export interface JsonEndpoint {
  readonly method: string;
  readonly path: string;
  readonly framework: string;
  readonly registration: JsonSpan;
  readonly handler: JsonSpan;
  readonly controls: Readonly<Record<string, JsonControl>>;
}

export interface JsonReport {
  readonly version: number;
  readonly tool: { readonly name: string; readonly version: string };
  /** Absolute directory every `file` below is relative to. */
  readonly baseDir: string;
  /** Workspace folders, relative to baseDir ("" for baseDir itself). */
  readonly roots: readonly string[];
  /** Every file the audit covered, relative to baseDir. */
  readonly files: readonly string[];
  readonly findings: readonly JsonFinding[];
  /** Every HTTP route found (Express, Fastify, Koa, Nest, Next), with the endpoint matrix's cells. */
  readonly endpoints: readonly JsonEndpoint[];
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
  readonly ruleFailures: readonly { readonly ruleId: string; readonly file: string; readonly message: string }[];
  readonly projectProblems: readonly { readonly file: string; readonly message: string }[];
  readonly summary: {
    readonly files: number;
    readonly findings: number;
    readonly errors: number;
    readonly warnings: number;
    readonly infos: number;
    readonly skipped: number;
    readonly ruleFailures: number;
  };
}

export function jsonReport(result: AuditResult, baseDir: string): JsonReport {
  const rel = (f: string) => relativePath(baseDir, f);
  const spanOf = (l: SourceLocation): JsonSpan => ({
    file: rel(l.fileName),
    line: l.range.start.line + 1,
    column: l.range.start.character + 1,
    endLine: l.range.end.line + 1,
    endColumn: l.range.end.character + 1,
  });
  const counts = countBySeverity(result.findings);
  return {
    version: JSON_REPORT_VERSION,
    tool: { name: TOOL_NAME, version: toolVersion() },
    baseDir,
    roots: result.roots.map((r) => (r === baseDir ? '' : rel(r))),
    files: result.files.map(rel),
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      category: f.category,
      severity: f.severity,
      message: f.message,
      file: rel(f.fileName),
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      cwe: f.cwe.map((n) => `CWE-${n}`),
      docsUrl: f.docsUrl,
      fingerprint: f.fingerprint,
      fixable: f.fixes !== undefined,
      related: f.related.map((r) => ({
        file: rel(r.fileName),
        line: r.range.start.line + 1,
        column: r.range.start.character + 1,
        endLine: r.range.end.line + 1,
        endColumn: r.range.end.character + 1,
        message: r.message,
        step: r.step,
      })),
      concerns: f.concerns ?? [],
    })),
    endpoints: reportOfAudit(result, baseDir, []).matrix.rows.map((row) => ({
      method: row.method,
      path: row.path,
      framework: row.framework,
      registration: spanOf(row.registration),
      handler: spanOf(row.handler),
      controls: Object.fromEntries(
        Object.entries(row.controls).map(([id, cell]) => [
          id,
          { state: cell.state, note: cell.note, ...(cell.location ? { at: spanOf(cell.location) } : {}), ...(cell.fingerprints ? { fingerprints: cell.fingerprints } : {}) },
        ]),
      ),
    })),
    skipped: result.skipped.map((s) => ({ file: rel(s.file), reason: s.reason })),
    ruleFailures: result.ruleFailures.map((r) => ({ ruleId: r.ruleId, file: rel(r.file), message: r.message })),
    projectProblems: result.projectProblems.map((p) => ({ file: rel(p.file), message: p.message })),
    summary: {
      files: result.files.length,
      findings: result.findings.length,
      errors: counts.error,
      warnings: counts.warning,
      infos: counts.info,
      skipped: result.skipped.length,
      ruleFailures: result.ruleFailures.length,
    },
  };
}

export function formatJson(result: AuditResult, baseDir: string): string {
  return `${JSON.stringify(jsonReport(result, baseDir), null, 2)}\n`;
}
