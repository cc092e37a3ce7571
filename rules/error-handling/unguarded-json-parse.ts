// unguarded-json-parse: JSON.parse of request, message or response text with no try/catch around it.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { enclosingHandler } from '../shared/http';
import { externalInputOf, isJsonParse } from '../shared/json-parse-input';
import { jsonParseFix } from '../shared/json-parse-fix';
import { isTestModule } from '../shared/module-imports';
import { forEachCall } from '../shared/walk';

export const rule: Rule = {
  id: 'unguarded-json-parse',
  category: 'error-handling',
  cwe: [755],
  defaultSeverity: 'warning',
  description: 'JSON.parse of request, message or response text that no try/catch guards: malformed input throws.',
  needsTypes: true,
  fixable: true,
  // Malformed client JSON answered with a 500 is an endpoint's error handling gap.
  concerns: ['errorHandling'],
  check(ctx) {
    if (isTestModule(ctx)) return;
    forEachCall(ctx, (call) => {
      const text = call.arguments[0];
      if (!text || !isJsonParse(ctx, call) || isInsideTry(ctx, call)) return;
      const input = externalInputOf(ctx, text);
      if (!input) return;
      const handler = enclosingHandler(ctx, call);
      ctx.report({
        node: call,
        message: `\`JSON.parse\` of ${input.label} throws on malformed input and nothing here catches it: wrap it in try/catch and ${handler ? 'answer 400 Bad Request' : 'reject or drop the malformed input'}.`,
        related: input.node.getSourceFile() === ctx.sourceFile && input.node !== call ? [{ node: input.node, message: 'the text comes from here', step: true }] : undefined,
        fixes: () => {
          const fix = handler && jsonParseFix(ctx, call, handler);
          return fix ? [fix] : [];
        },
      });
    });
  },
};

/** Inside the try block (not the catch or finally) of a try statement of the same function. */
function isInsideTry(ctx: RuleContext, node: ts.Node): boolean {
  const { ts } = ctx;
  for (let n: ts.Node = node; n.parent; n = n.parent) {
    if (ts.isFunctionLike(n.parent)) return false;
    if (ts.isTryStatement(n.parent) && n.parent.tryBlock === n && n.parent.catchClause) return true;
  }
  return false;
}
