// floating-promise: a promise-valued call used as a statement in server code, with no
// await, return, `void`, `.catch` or rejection handler — its rejection is unhandled,
// which since Node 15 crashes the process (and every request in flight with it).
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { isClientModule } from './unguarded-external-call/module-kind';
import { endsInHandler, promisenessOf, type Promiseness } from './floating-promise/thenable';
import { buildFix, calleeLabel } from './floating-promise/fix';
import { isScriptModule } from './floating-promise/module-role';

export const rule: Rule = {
  id: 'floating-promise',
  category: 'error-handling',
  cwe: [755],
  defaultSeverity: 'warning',
  description: 'A promise nobody awaits or catches: its rejection is unhandled and, on Node 15+, crashes the server.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx) || isScriptModule(ctx) || isClientModule(ctx)) return;
    const { ts } = ctx;
    const visit = (node: ts.Node): void => {
      if (ts.isExpressionStatement(node)) checkStatement(ctx, node);
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

function checkStatement(ctx: RuleContext, statement: ts.ExpressionStatement): void {
  const { ts } = ctx;
  const expr = skipOuter(ts, statement.expression);
  if (!ts.isCallExpression(expr) || endsInHandler(ctx, expr)) return;
  const promiseness: Promiseness = promisenessOf(ctx, ctx.checker.getTypeAtLocation(expr));
  if (promiseness !== 'promise' && promiseness !== 'maybe-promise') return;
  const label = calleeLabel(ctx, expr);
  ctx.report({
    start: expr.getStart(ctx.sourceFile),
    end: firstLineEnd(ctx, expr),
    message: `The promise of ${label.startsWith('the ') ? label : `\`${label}\``} is neither awaited nor caught: await it (or end it with \`.catch\`), or a rejection is unhandled and crashes the process.`,
    fixes: () => {
      const fix = buildFix(ctx, statement, expr, promiseness, label);
      return fix ? [fix] : [];
    },
  });
}

/** The call up to the end of its first line: enough to tell two statements apart. */
function firstLineEnd(ctx: RuleContext, expr: ts.Expression): number {
  const text = ctx.sourceFile.text;
  const start = expr.getStart(ctx.sourceFile);
  const newline = text.indexOf('\n', start);
  const end = newline === -1 || newline > expr.getEnd() ? expr.getEnd() : newline;
  return text.slice(start, end).trimEnd().length + start;
}
