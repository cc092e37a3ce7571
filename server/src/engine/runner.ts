// Runs the enabled rules over one parsed file. Each rule is isolated (a throw is
// recorded, the others still run), the file has a time budget, and findings are
// turned into positioned, fingerprinted Findings with suppressions applied.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { createWrappedNode, ts } from 'ts-morph';
import type { FindingInput, Fix, ProjectFacts, Rule, RuleContext, Severity } from '../../../rules/api';
import type { Endpoint } from '../../../rules/inventory/types';
import { INVALID_SUPPRESSION, SKIPPED_FILE, UNUSED_SUPPRESSION } from '../../../rules/meta';
import { docsUrl } from './docs-url';
import type { Finding, Range, RelatedLocation, RuleFailure } from './finding';
import { LineIndex } from './line-index';
import { coveringSuppression, findSuppressions } from './suppressions';

export interface EnabledRule {
  readonly rule: Rule;
  readonly severity: Severity;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface RunInput {
  readonly sourceFile: ts.SourceFile;
  readonly fileName: string;
  readonly program: () => ts.Program;
  readonly facts: ProjectFacts;
  readonly rules: readonly EnabledRule[];
  /** Severity of the meta-rules, or 'off'. */
  readonly metaSeverity: (id: string) => Severity | 'off';
  readonly isKnownRule: (id: string) => boolean;
  readonly budgetMs: number;
  readonly isCancelled: () => boolean;
  /** For fingerprints: paths are made relative to the workspace root. */
  readonly root: string;
  /** Reads another file's text, for positions of related locations and fixes. */
  readonly readText: (file: string) => string | undefined;
  /** When given, collects the file's endpoint inventory after the rules (the engine passes collectEndpoints). */
  readonly inventory?: (ctx: RuleContext) => readonly Endpoint[];
}

/** The ruleId a failing inventory is recorded under. */
export const INVENTORY_FAILURE_ID = 'endpoint-inventory';

export interface RunOutput {
  readonly findings: Finding[];
  readonly failures: RuleFailure[];
  readonly budgetSkipped: string[];
  /** Rules that stopped early because they saw the budget run out (their findings may be incomplete). */
  readonly cutShort: string[];
  readonly cancelled: boolean;
  /** Present when the inventory was asked for and completed. */
  readonly endpoints?: readonly Endpoint[];
}

interface RawFinding {
  readonly rule: EnabledRule;
  readonly input: FindingInput;
}

export function runRules(input: RunInput): RunOutput {
  const { sourceFile } = input;
  const raw: RawFinding[] = [];
  const failures: RuleFailure[] = [];
  const budgetSkipped: string[] = [];
  const cutShort = new Set<string>();
  const startedAt = performance.now();
  const overBudget = () => performance.now() - startedAt > input.budgetMs;
  let cancelled = false;

  let program: ts.Program | undefined;
  let checker: ts.TypeChecker | undefined;
  const getProgram = () => (program ??= input.program());
  const getChecker = () => (checker ??= getProgram().getTypeChecker());
  const contextFor = (options: RuleContext['options'], report: RuleContext['report'], isCancellationRequested: () => boolean): RuleContext => ({
    ts,
    sourceFile,
    fileName: input.fileName,
    get program() {
      return getProgram();
    },
    get checker() {
      return getChecker();
    },
    project: input.facts,
    options,
    report,
    wrap: (node) => createWrappedNode(node, { sourceFile, typeChecker: getChecker() }),
    isCancellationRequested,
  });

  for (const enabled of input.rules) {
    if (input.isCancelled()) {
      cancelled = true;
      break;
    }
    if (overBudget()) {
      budgetSkipped.push(enabled.rule.id);
      continue;
    }
    const ctx = contextFor(enabled.options, (finding) => raw.push({ rule: enabled, input: finding }), () => {
      if (input.isCancelled()) return true;
      if (!overBudget()) return false;
      cutShort.add(enabled.rule.id);
      return true;
    });
    try {
      enabled.rule.check(ctx);
    } catch (e) {
      if (e instanceof ts.OperationCanceledException || input.isCancelled()) {
        cancelled = true;
        break;
      }
      const err = e instanceof Error ? e : new Error(String(e));
      failures.push({ ruleId: enabled.rule.id, message: err.message, stack: err.stack });
    }
  }

  let endpoints: readonly Endpoint[] | undefined;
  if (input.inventory && !cancelled && !input.isCancelled()) {
    // The same view of the file the rules had; the inventory reports nothing, it returns data.
    const ctx = contextFor({}, () => undefined, input.isCancelled);
    try {
      endpoints = input.inventory(ctx);
    } catch (e) {
      if (e instanceof ts.OperationCanceledException || input.isCancelled()) cancelled = true;
      else {
        const err = e instanceof Error ? e : new Error(String(e));
        failures.push({ ruleId: INVENTORY_FAILURE_ID, message: err.message, stack: err.stack });
      }
    }
  }

  const findings = positionFindings(input, raw);
  return { findings: applySuppressions(input, findings), failures, budgetSkipped, cutShort: [...cutShort], cancelled, endpoints };
}

function positionFindings(input: RunInput, raw: readonly RawFinding[]): Finding[] {
  const { sourceFile } = input;
  const rel = path.posix.relative(input.root, input.fileName);
  const seen = new Map<string, number>();
  const out: Finding[] = [];
  for (const { rule, input: f } of raw) {
    const start = f.node ? f.node.getStart(sourceFile) : (f.start ?? 0);
    const end = f.node ? f.node.getEnd() : (f.end ?? start);
    const range = rangeIn(sourceFile, start, end);
    const lineText = sourceFile.text.slice(start, end).replace(/\s+/g, ' ').slice(0, 200);
    // The enclosing declarations make equal snippets in different functions distinct, so a
    // fingerprint survives edits elsewhere in the file.
    const key = `${rule.rule.id}|${rel}|${enclosingNames(sourceFile, start)}|${lineText}`;
    const ordinal = seen.get(key) ?? 0;
    seen.set(key, ordinal + 1);
    out.push({
      ruleId: rule.rule.id,
      category: rule.rule.category,
      severity: rule.severity,
      message: f.message,
      fileName: input.fileName,
      start,
      end,
      range,
      cwe: rule.rule.cwe,
      docsUrl: docsUrl(rule.rule),
      related: (f.related ?? []).map((r) => relatedLocation(input, r)).filter((r): r is RelatedLocation => !!r),
      fingerprint: createHash('sha256').update(`${key}|${ordinal}`).digest('hex').slice(0, 32),
      fixes: f.fixes ? guardFixes(f.fixes) : undefined,
      concerns: f.concerns ?? rule.rule.concerns ?? [],
    });
  }
  return out.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
}

/** `UserService.create` for an offset inside that method: the named declarations around it. */
function enclosingNames(sf: ts.SourceFile, offset: number): string {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (offset < node.getFullStart() || offset >= node.getEnd()) return;
    const name = declarationName(node);
    if (name) names.push(name);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return names.join('.');
}

function declarationName(node: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isMethodDeclaration(node) || ts.isInterfaceDeclaration(node)) && node.name) {
    return node.name.getText();
  }
  if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
    return node.name.text;
  }
  return undefined;
}

/** A fix that throws must not take the code-action request down with it. */
function guardFixes(fixes: () => Fix[]): () => Fix[] {
  return () => {
    try {
      return fixes();
    } catch {
      return [];
    }
  };
}

function relatedLocation(input: RunInput, r: NonNullable<FindingInput['related']>[number]): RelatedLocation | undefined {
  const fileName = r.fileName ?? input.fileName;
  if (fileName === input.fileName || (r.node && r.node.getSourceFile().fileName === fileName)) {
    const sf = r.node ? r.node.getSourceFile() : input.sourceFile;
    const start = r.node ? r.node.getStart(sf) : (r.start ?? 0);
    const end = r.node ? r.node.getEnd() : (r.end ?? start);
    return { fileName: sf.fileName, range: rangeIn(sf, start, end), message: r.message, step: r.step === true };
  }
  if (r.node) {
    const sf = r.node.getSourceFile();
    return { fileName: sf.fileName, range: rangeIn(sf, r.node.getStart(sf), r.node.getEnd()), message: r.message, step: r.step === true };
  }
  const text = input.readText(fileName);
  if (text === undefined) return undefined;
  const index = new LineIndex(text);
  return { fileName, range: { start: index.position(r.start ?? 0), end: index.position(r.end ?? r.start ?? 0) }, message: r.message, step: r.step === true };
}

export function rangeIn(sf: ts.SourceFile, start: number, end: number): Range {
  const s = sf.getLineAndCharacterOfPosition(start);
  const e = sf.getLineAndCharacterOfPosition(end);
  return { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } };
}

function applySuppressions(input: RunInput, findings: Finding[]): Finding[] {
  const { suppressions, malformed } = findSuppressions(input.sourceFile.text, input.isKnownRule);
  if (suppressions.length === 0 && malformed.length === 0) return findings;
  const used = new Set<number>();
  const kept = findings.filter((f) => {
    const s = coveringSuppression(suppressions, f.ruleId, f.range.start.line);
    if (!s) return true;
    used.add(s.start);
    return false;
  });
  const ran = new Set(input.rules.map((r) => r.rule.id));
  const meta: Finding[] = [];
  const invalidSeverity = input.metaSeverity(INVALID_SUPPRESSION.id);
  if (invalidSeverity !== 'off') {
    for (const m of malformed) meta.push(metaFinding(input, INVALID_SUPPRESSION.id, invalidSeverity, m.start, m.end, m.message));
  }
  const unusedSeverity = input.metaSeverity(UNUSED_SUPPRESSION.id);
  if (unusedSeverity !== 'off') {
    for (const s of suppressions) {
      // Only a rule that actually ran can prove a suppression unused.
      if (used.has(s.start) || !s.ruleIds.every((id) => ran.has(id))) continue;
      meta.push(
        metaFinding(input, UNUSED_SUPPRESSION.id, unusedSeverity, s.start, s.end, `Suppression of ${s.ruleIds.map((id) => `\`${id}\``).join(', ')} matches no finding: remove it.`, () => [
          { title: 'Remove the unused suppression', safe: true, isPreferred: true, edits: [removeLineEdit(input, s.start, s.end)] },
        ]),
      );
    }
  }
  return [...kept, ...meta].sort((a, b) => a.start - b.start);
}

function removeLineEdit(input: RunInput, start: number, end: number) {
  const text = input.sourceFile.text;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const onlyComment = text.slice(lineStart, start).trim() === '';
  const lineEnd = text.indexOf('\n', end);
  return onlyComment
    ? { fileName: input.fileName, start: lineStart, end: lineEnd === -1 ? text.length : lineEnd + 1, newText: '' }
    : { fileName: input.fileName, start, end, newText: '' };
}

export function metaFinding(
  input: Pick<RunInput, 'sourceFile' | 'fileName' | 'root'>,
  ruleId: string,
  severity: Severity,
  start: number,
  end: number,
  message: string,
  fixes?: () => Fix[],
): Finding {
  const descriptor = [INVALID_SUPPRESSION, UNUSED_SUPPRESSION, SKIPPED_FILE].find((d) => d.id === ruleId)!;
  const rel = path.posix.relative(input.root, input.fileName);
  return {
    ruleId,
    category: 'meta',
    severity,
    message,
    fileName: input.fileName,
    start,
    end,
    range: rangeIn(input.sourceFile, start, end),
    cwe: [],
    docsUrl: docsUrl(descriptor),
    related: [],
    fingerprint: createHash('sha256').update(`${ruleId}|${rel}|${message}`).digest('hex').slice(0, 32),
    fixes,
  };
}
