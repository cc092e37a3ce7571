// The taint engine's share of an audit: the same files analysed twice in fresh
// workspaces, once with every rule and once without the rules built on the engine
// (rules/taint), so the difference is what following data from sources to sinks adds
// per file. In-process, so program building is the same in both and cancels out.
import { performance } from 'node:perf_hooks';
import { ALL_RULES } from '../rules/index';
import { Workspace } from '../server/src/engine/workspace';

/** Rules that find their sinks with the taint engine (findTaintedSinks/flowsOf), by id. */
export const TAINT_RULE_IDS = new Set([
  'sql-injection', 'command-injection', 'code-injection', 'path-traversal', 'ssrf', 'xss', 'open-redirect', 'nosql-injection',
  'mass-assignment', 'prototype-pollution', 'redos', 'unsafe-deserialization', 'header-injection', 'log-injection',
]);

export interface TaintCost {
  readonly files: number;
  readonly withTaintMs: number;
  readonly withoutTaintMs: number;
  readonly taintRules: number;
}

function auditMs(root: string, withTaint: boolean): { ms: number; files: number } {
  const rules = withTaint ? ALL_RULES : ALL_RULES.filter((r) => !TAINT_RULE_IDS.has(r.id));
  const ws = new Workspace({ roots: [root], rules });
  try {
    const files = ws.listFiles();
    const started = performance.now();
    for (const f of files) ws.analyzeFile(f, { budgetScale: 20 });
    return { ms: performance.now() - started, files: files.length };
  } finally {
    ws.dispose();
  }
}

export function taintCost(root: string): TaintCost {
  const without = auditMs(root, false);
  const withTaint = auditMs(root, true);
  return { files: withTaint.files, withTaintMs: withTaint.ms, withoutTaintMs: without.ms, taintRules: ALL_RULES.filter((r) => TAINT_RULE_IDS.has(r.id)).length };
}
