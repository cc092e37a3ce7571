// The one walk most rules start with: every call expression of the file, outer calls
// before the calls in their arguments, so a rule's check reads as "for each call…".
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';

export function forEachCall(ctx: RuleContext, visit: (call: ts.CallExpression) => void): void {
  const { ts } = ctx;
  const walk = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) visit(node);
    ts.forEachChild(node, walk);
  };
  walk(ctx.sourceFile);
}
