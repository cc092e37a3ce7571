// The taint engine's share of the work: the same files analysed in fresh workspaces with
// every rule and without the rules built on the engine (rules/taint), alternating and
// taking medians so warm-up and noise do not land on one side; then the same for the
// type-aware analysis of one file after each edit. In-process, so program building is
// the same in both and cancels out of the difference.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ALL_RULES } from '../rules/index';
import { Workspace } from '../server/src/engine/workspace';

/** Rules that find their sinks with the taint engine (findTaintedSinks/flowsOf), by id. */
export const TAINT_RULE_IDS = new Set([
  'sql-injection', 'command-injection', 'code-injection', 'path-traversal', 'ssrf', 'xss', 'open-redirect', 'nosql-injection',
  'mass-assignment', 'prototype-pollution', 'redos', 'unsafe-deserialization', 'header-injection', 'log-injection',
]);

const ROUNDS = 3;
const EDITS = 20;

export interface TaintCost {
  readonly files: number;
  readonly taintRules: number;
  /** Whole-audit milliseconds (median of rounds). */
  readonly auditWith: number;
  readonly auditWithout: number;
  /** Analysis of the edited file after each edit: p50 in ms. */
  readonly editWith: number;
  readonly editWithout: number;
}

function rulesFor(withTaint: boolean) {
  return withTaint ? ALL_RULES : ALL_RULES.filter((r) => !TAINT_RULE_IDS.has(r.id));
}

function auditMs(root: string, withTaint: boolean): { ms: number; files: number } {
  const ws = new Workspace({ roots: [root], rules: rulesFor(withTaint) });
  try {
    const files = ws.listFiles();
    const started = performance.now();
    for (const f of files) ws.analyzeFile(f, { budgetScale: 20 });
    return { ms: performance.now() - started, files: files.length };
  } finally {
    ws.dispose();
  }
}

/** p50 of the analysis time of `file` after each of EDITS one-character edits (warm program). */
function editMs(root: string, file: string, withTaint: boolean): number {
  const ws = new Workspace({ roots: [root], rules: rulesFor(withTaint) });
  try {
    const text = fs.readFileSync(file, 'utf8');
    ws.analyzeFile(file, { budgetScale: 20 });
    const times: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      ws.changeDocument(file, `${text}\n// edit ${i}\n`, i + 2);
      const started = performance.now();
      ws.analyzeFile(file, { budgetScale: 20 });
      times.push(performance.now() - started);
    }
    return median(times);
  } finally {
    ws.dispose();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function taintCost(root: string, editTarget: string): TaintCost {
  const file = path.join(root, editTarget).replace(/\\/g, '/');
  auditMs(root, true); // warm-up: JIT and lib files, paid by neither side
  const audits = { with: [] as number[], without: [] as number[] };
  const edits = { with: [] as number[], without: [] as number[] };
  let files = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const a = auditMs(root, false);
    const b = auditMs(root, true);
    audits.without.push(a.ms);
    audits.with.push(b.ms);
    files = b.files;
    edits.without.push(editMs(root, file, false));
    edits.with.push(editMs(root, file, true));
  }
  return {
    files,
    taintRules: ALL_RULES.filter((r) => TAINT_RULE_IDS.has(r.id)).length,
    auditWith: median(audits.with),
    auditWithout: median(audits.without),
    editWith: median(edits.with),
    editWithout: median(edits.without),
  };
}
