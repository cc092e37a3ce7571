// Runs the engine over the rule fixtures under test/fixtures (one shared workspace,
// so the fixture program is built once) and compares findings with the
// annotations written in each fixture.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { applyFix } from '../../server/src/engine/apply-edits';
import type { Finding } from '../../server/src/engine/finding';
import { packageFile } from '../../server/src/engine/package-root';
import { normalizePath } from '../../server/src/engine/paths';
import { Workspace } from '../../server/src/engine/workspace';
import { readAnnotations } from './annotations';

export const FIXTURES_ROOT = normalizePath(packageFile('test/fixtures'));

let shared: Workspace | undefined;

/** The one workspace over test/fixtures, with every rule at its default severity. */
export function fixtureWorkspace(): Workspace {
  shared ??= new Workspace({ roots: [FIXTURES_ROOT] });
  return shared;
}

/** Fixture files of a rule directory (not the *.fixed.* expectations). */
export function fixtureFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = normalizePath(path.join(dir, entry.name));
    if (entry.isDirectory()) out.push(...fixtureFiles(full));
    else if (/\.(?:[cm]?[jt]sx?)$/.test(entry.name) && !/\.fixed\./.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

export interface Mismatch {
  readonly unexpected: string[];
  readonly missing: string[];
}

function describe(f: Finding): string {
  return `${path.basename(f.fileName)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId}: ${f.message}`;
}

/**
 * Findings compared with the fixture's `expect:` / `ok:` annotations. With `focus` (the rule the
 * fixture belongs to), only that rule's findings and those of rules the file annotates count, as
 * in ESLint's RuleTester: a fixture written for one rule does not break when another rule is added
 * (an app-level rule would otherwise fire in every fixture that creates an app). Cross-rule
 * expectations still hold wherever a fixture states them.
 */
export function compareWithAnnotations(file: string, all: readonly Finding[], focus?: string): Mismatch {
  const text = fs.readFileSync(file, 'utf8');
  const { expectations, oks } = readAnnotations(text);
  const relevant = focus ? focusRules(file, focus) : undefined;
  const findings = relevant ? all.filter((f) => relevant.has(f.ruleId)) : all;
  const remaining = [...findings];
  const missing: string[] = [];
  for (const exp of expectations) {
    const i = remaining.findIndex(
      (f) => f.ruleId === exp.ruleId && f.range.start.line === exp.line && (!exp.messageIncludes || f.message.includes(exp.messageIncludes)),
    );
    if (i === -1) missing.push(`${path.basename(file)}:${exp.line + 1} expected ${exp.ruleId}${exp.messageIncludes ? ` {{${exp.messageIncludes}}}` : ''}`);
    else remaining.splice(i, 1);
  }
  const unexpected = remaining.map(describe);
  for (const ok of oks) {
    const hit = findings.find((f) => f.ruleId === ok.ruleId && f.range.start.line === ok.line);
    if (hit) unexpected.push(`${describe(hit)} (marked ok)`);
  }
  return { unexpected, missing };
}

/** TypeScript's syntactic and semantic errors for a file, as "code:line: message" strings. */
export function typeErrors(ws: Workspace, file: string): string[] {
  const program = ws.programFor(file);
  const sf = program.getSourceFile(file);
  if (!sf) return [`${file}: not in program`];
  return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => `TS${d.code}:${d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start).line + 1 : 0}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

export interface FixOutcome {
  /** Final text of every file the fixes touched, by path. */
  readonly files: Map<string, string>;
  readonly applied: string[];
}

/** The rule a fixture is written for plus every rule its annotations name. */
export function focusRules(file: string, focus: string): Set<string> {
  const { expectations, oks } = readAnnotations(fs.readFileSync(file, 'utf8'));
  return new Set([focus, ...expectations.map((e) => e.ruleId), ...oks.map((o) => o.ruleId)]);
}

/**
 * Applies the preferred fix of each fixable finding (of the rules in `only`, when given), one at a
 * time and re-analysing in between (as a user clicking lightbulbs would), all in memory.
 */
export function applyAllFixes(ws: Workspace, file: string, maxPasses = 20, only?: ReadonlySet<string>): FixOutcome {
  const touched = new Map<string, string>();
  const applied: string[] = [];
  const attempted = new Set<string>();
  let version = 1000;
  for (let pass = 0; pass < maxPasses; pass++) {
    const analysis = ws.analyzeFile(file);
    let progressed = false;
    for (const f of analysis.findings) {
      if (!f.fixes || attempted.has(f.fingerprint) || (only && !only.has(f.ruleId))) continue;
      attempted.add(f.fingerprint);
      const fixes = f.fixes();
      const fix = fixes.find((x) => x.isPreferred) ?? fixes[0];
      if (!fix) continue;
      const results = applyFix(fix, (p) => ws.readText(p));
      for (const [p, text] of results) {
        ws.changeDocument(p, text, ++version);
        touched.set(p, text);
      }
      applied.push(`${f.ruleId}: ${fix.title}`);
      // Fingerprints count equal snippets in order: once the first is fixed, the second takes its
      // fingerprint, so what was tried only holds for the text it was tried on.
      attempted.clear();
      progressed = true;
      break;
    }
    if (!progressed) break;
  }
  return { files: touched, applied };
}

/** Puts back the on-disk state after an in-memory fix run. */
export function restore(ws: Workspace, files: Iterable<string>): void {
  for (const f of files) ws.closeDocument(f);
}
