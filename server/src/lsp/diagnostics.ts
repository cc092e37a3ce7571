// Engine findings and configuration problems as LSP diagnostics. The finding's
// fingerprint rides along in `data`, so a code action request can find the finding
// (and its fixes) again even after the lines around it moved.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import type { ConfigProblem } from '../engine/config';
import type { Finding } from '../engine/finding';
import { LineIndex } from '../engine/line-index';
import { pathToUri } from '../engine/paths';
import { DIAGNOSTIC_SOURCE } from './protocol';

export { DIAGNOSTIC_SOURCE };

/** What a diagnostic of ours carries in `data`. */
export interface DiagnosticData {
  readonly fingerprint: string;
  /** The document version (or disk generation) the finding was computed on. */
  readonly version: string;
}

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function messageWithCwe(message: string, cwe: readonly number[]): string {
  return cwe.length === 0 ? message : `${message} (${cwe.map((n) => `CWE-${n}`).join(', ')})`;
}

export function findingToDiagnostic(finding: Finding, version: string): Diagnostic {
  const related: DiagnosticRelatedInformation[] = finding.related.map((r) => ({
    location: { uri: pathToUri(r.fileName), range: r.range },
    message: r.message,
  }));
  const data: DiagnosticData = { fingerprint: finding.fingerprint, version };
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: finding.docsUrl },
    source: DIAGNOSTIC_SOURCE,
    message: messageWithCwe(finding.message, finding.cwe),
    ...(related.length > 0 ? { relatedInformation: related } : {}),
    data,
  };
}

export function isOurDiagnostic(d: Diagnostic): d is Diagnostic & { data: DiagnosticData } {
  const data = d.data as Partial<DiagnosticData> | undefined;
  return d.source === DIAGNOSTIC_SOURCE && typeof data?.fingerprint === 'string';
}

/** Diagnostics on a `.hardening.json`, positioned where the parser or schema check found the problem. */
export function configProblemDiagnostics(problems: readonly ConfigProblem[], text: string | undefined): Diagnostic[] {
  const index = new LineIndex(text ?? '');
  const firstLineLength = (text ?? '').split(/\r?\n/, 1)[0].length;
  return problems.map((p) => {
    const start = index.position(p.offset ?? 0);
    // Without an offset, underline the first line rather than nothing.
    const end = p.offset === undefined ? { line: 0, character: firstLineLength } : start;
    return {
      range: { start, end },
      severity: DiagnosticSeverity.Error,
      code: 'invalid-config',
      source: DIAGNOSTIC_SOURCE,
      message: p.message,
    };
  });
}
