// error-details-exposure: a caught error's stack, or the message or body of an error a
// library threw (database, HTTP client, file system), sent to the client in a response.
// Offers to answer with a generic message instead.
import type { ts } from 'ts-morph';
import type { Fix, RelatedInput, Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { libraryThrower } from './error-details-exposure/errors';
import { leaksIn, type Leak } from './error-details-exposure/leaks';
import { isUnderDeliberateCondition, responseValueAt, type ResponseValue } from './error-details-exposure/responses';

export const rule: Rule = {
  id: 'error-details-exposure',
  category: 'security',
  cwe: [209],
  defaultSeverity: 'warning',
  description: "A caught error's stack trace or a library error's message is sent to the client.",
  needsTypes: true,
  fixable: true,
  concerns: ['errorHandling'],
  check(ctx) {
    if (isTestModule(ctx)) return;
    const { ts } = ctx;
    const visit = (node: ts.Node): void => {
      if (ctx.isCancellationRequested()) return;
      const response = responseValueAt(ctx, node);
      if (response) for (const leak of leaksIn(ctx, response.value)) check(ctx, response, leak);
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

function check(ctx: RuleContext, response: ResponseValue, leak: Leak): void {
  const errorRef = ctx.ts.isPropertyAccessExpression(leak.node) ? leak.node.expression : leak.node;
  if (isUnderDeliberateCondition(ctx, leak.node, skipOuter(ctx.ts, errorRef)) || isUnderDeliberateCondition(ctx, leak.at, skipOuter(ctx.ts, errorRef))) return;
  if (leak.kind === 'stack') {
    ctx.report({
      node: leak.at,
      related: relatedOf(leak),
      message: `\`${leak.label}\` is sent to the client by \`${response.label}\`: a stack trace shows file paths, library versions and code structure; log it on the server and answer with a generic message.`,
      fixes: () => genericFix(ctx, leak),
    });
    return;
  }
  const thrower = libraryThrower(ctx, leak.origin);
  if (!thrower) return;
  const from = thrower === 'any' ? 'an error from anywhere in the app' : `an error \`${thrower}\` may throw`;
  const what = leak.kind === 'message' ? `The message of ${from} (\`${leak.label}\`)` : `${capitalise(from)} (\`${leak.label}\`, with all its properties)`;
  ctx.report({
    node: leak.at,
    related: relatedOf(leak),
    message: `${what} is sent to the client by \`${response.label}\`: library errors describe tables, queries, hosts and internals; log it on the server and answer with a generic message.`,
    fixes: () => genericFix(ctx, leak),
  });
}

function relatedOf(leak: Leak): RelatedInput[] {
  return leak.at === leak.node ? [] : [{ node: leak.node, message: `\`${leak.at.getText()}\` holds \`${leak.label}\` here`, step: true }];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Replace the leaked value with a fixed text, where it is a value of its own (not inside a template). */
function genericFix(ctx: RuleContext, leak: Leak): Fix[] {
  const { ts } = ctx;
  const p = leak.at.parent;
  const standalone = ts.isPropertyAssignment(p) || ts.isCallExpression(p) || ts.isNewExpression(p) || (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken);
  if (!standalone) return [];
  return [{ title: "Answer with 'Internal Server Error' instead", isPreferred: true, safe: false, edits: [{ fileName: ctx.fileName, start: leak.at.getStart(ctx.sourceFile), end: leak.at.getEnd(), newText: "'Internal Server Error'" }] }];
}
