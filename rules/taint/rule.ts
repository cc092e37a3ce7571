// The shape every injection rule shares: its sinks' spec, a message per tainted sink,
// and nothing in test files (fixtures and mocks feed attacker-looking data on purpose).
import type { Rule, RuleContext } from '../api';
import { isTestModule } from '../shared/module-imports';
import { findTaintedSinks } from './sinks';
import type { SinkSpec, TaintedSink } from './types';

export type TaintRuleMeta = Omit<Rule, 'check' | 'needsTypes'>;

/** A rule that reports, through `report`, each sink of `spec` that untrusted data reaches. */
export function taintRule(meta: TaintRuleMeta, spec: SinkSpec, report: (ctx: RuleContext, found: TaintedSink) => void): Rule {
  return {
    ...meta,
    needsTypes: true,
    check(ctx) {
      if (isTestModule(ctx)) return;
      for (const found of findTaintedSinks(ctx, spec)) report(ctx, found);
    },
  };
}

/** ` through \`helper\`` when the sink is inside a project function the file calls; '' otherwise. */
export function throughHelper(found: TaintedSink): string {
  return found.viaHelper ? ` through \`${found.viaHelper.name}\`` : '';
}
