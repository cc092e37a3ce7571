// Runs the engine over the files of an audit and collects what the reports need.
// No output here: the formats turn an AuditResult into text, JSON or SARIF.
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import type { Rule } from '../../../rules/api';
import type { Endpoint } from '../../../rules/inventory/types';
import { CONFIG_FILE_NAME } from '../engine/config';
import { SOURCE_GLOB } from '../engine/discovery';
import type { Finding } from '../engine/finding';
import { isAnalysable, normalizePath } from '../engine/paths';
import { Workspace } from '../engine/workspace';
import { UsageError } from './exit-codes';
import { resolveTargets } from './targets';

export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

export interface FailedRule {
  readonly ruleId: string;
  readonly file: string;
  readonly message: string;
}

export interface AuditResult {
  readonly roots: readonly string[];
  /** Every file the audit covered (analysed or skipped), absolute, sorted. */
  readonly files: readonly string[];
  /** Sorted by file, then position. */
  readonly findings: readonly Finding[];
  readonly skipped: readonly SkippedFile[];
  readonly ruleFailures: readonly FailedRule[];
  /** tsconfig/jsconfig files TypeScript could not read (the files still got default options). */
  readonly projectProblems: readonly { readonly file: string; readonly message: string }[];
  /** The HTTP endpoints of the files, when the request asked for the inventory. */
  readonly endpoints?: readonly Endpoint[];
}

export interface AuditRequest {
  readonly paths: readonly string[];
  readonly cwd: string;
  /** The rules to run; all of them when absent. */
  readonly rules?: readonly Rule[];
  /** Rule ids whose findings are kept (meta-rules included); all when absent. */
  readonly onlyRuleIds?: ReadonlySet<string>;
  readonly onProgress?: (done: number, total: number, file: string) => void;
  /** Also collect the endpoint inventory (the HTML and Markdown reports' endpoint matrix). */
  readonly inventory?: boolean;
}

const NEVER_SOURCES = ['**/node_modules/**', '**/.git/**'];

function sourcesUnder(dir: string, ws: Workspace): string[] {
  return globSync([SOURCE_GLOB], { cwd: dir, ignore: NEVER_SOURCES, absolute: true, dot: false, followSymbolicLinks: false })
    .map(normalizePath)
    .filter((f) => isAnalysable(f) && !ws.isExcluded(f));
}

function configurationError(ws: Workspace, cwd: string): UsageError | undefined {
  const problems = ws.configProblems();
  if (problems.length === 0) return undefined;
  const lines = problems.map((p) => {
    // The engine's messages are written for the editor, which falls back to the defaults;
    // the CLI stops instead, so drop that part and name the file by its path.
    const file = path.relative(cwd, p.file) || p.file;
    const text = p.message.replace(/;\s*using the defaults\.?$/, '.');
    const named = text.startsWith(CONFIG_FILE_NAME) ? file + text.slice(CONFIG_FILE_NAME.length) : `${file}: ${text}`;
    return `invalid configuration: ${named}`;
  });
  return new UsageError(lines[0], lines.slice(1));
}

export function runAudit(request: AuditRequest): AuditResult {
  const targets = resolveTargets(request.paths, request.cwd);
  const ws = new Workspace({ roots: targets.roots, rules: request.rules });
  try {
    const problem = configurationError(ws, request.cwd);
    if (problem) throw problem;

    const skipped: SkippedFile[] = [];
    const toAnalyse = new Set<string>();
    for (const dir of targets.directories) for (const f of sourcesUnder(dir, ws)) toAnalyse.add(f);
    for (const file of targets.files) {
      if (!isAnalysable(file)) skipped.push({ file, reason: 'not a TypeScript or JavaScript source file' });
      else if (ws.isExcluded(file)) skipped.push({ file, reason: 'excluded by .gitignore or "exclude" in .hardening.json' });
      else toAnalyse.add(file);
    }
    const files = [...toAnalyse].sort();
    ws.prepare(files);

    const findings: Finding[] = [];
    const ruleFailures: FailedRule[] = [];
    const endpoints: Endpoint[] = [];
    files.forEach((file, i) => {
      request.onProgress?.(i, files.length, file);
      const analysis = ws.analyzeFile(file, { budgetScale: 10, inventory: request.inventory });
      endpoints.push(...(analysis.endpoints ?? []));
      const keep = request.onlyRuleIds;
      findings.push(...(keep ? analysis.findings.filter((f) => keep.has(f.ruleId)) : analysis.findings));
      if (analysis.skipped) skipped.push({ file, reason: analysis.skipped });
      else if (analysis.budgetSkipped.length > 0) {
        skipped.push({ file, reason: `partly analysed: the time budget ran out before ${analysis.budgetSkipped.join(', ')}` });
      }
      for (const failure of analysis.ruleFailures) ruleFailures.push({ ruleId: failure.ruleId, file, message: failure.message });
    });
    request.onProgress?.(files.length, files.length, '');

    findings.sort(
      (a, b) =>
        compare(a.fileName, b.fileName) ||
        a.range.start.line - b.range.start.line ||
        a.range.start.character - b.range.start.character ||
        compare(a.ruleId, b.ruleId),
    );
    return {
      roots: targets.roots,
      files: [...new Set([...files, ...skipped.map((s) => s.file)])].sort(),
      findings,
      skipped: skipped.sort((a, b) => compare(a.file, b.file)),
      ruleFailures,
      projectProblems: ws.projectProblems(),
      endpoints,
    };
  } finally {
    ws.dispose();
  }
}

/** Byte order, not locale order: reports must not change with the machine's language. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
