// The quick fix: `await` when the statement is in an async function (its caller then
// sees the failure), else `.catch(...)` logging through the project's logger (or
// console). Both are one insertion; nothing else of the statement changes.
import type { ts } from 'ts-morph';
import type { Fix, RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { projectLogger } from '../../shared/logger';
import type { Promiseness } from './thenable';

export function buildFix(ctx: RuleContext, statement: ts.ExpressionStatement, call: ts.CallExpression, promiseness: Promiseness, label: string): Fix | undefined {
  const { ts } = ctx;
  const fn = enclosingFunction(ts, statement);
  if (fn && isAsync(ts, fn)) {
    const at = statement.expression.getStart(ctx.sourceFile);
    return { title: 'Await the promise', isPreferred: true, safe: false, edits: [{ fileName: ctx.fileName, start: at, end: at, newText: 'await ' }] };
  }
  // `maybe()?.then(…)` may be undefined: a `.catch` on it would throw.
  if (promiseness !== 'promise') return undefined;
  const logger = projectLogger(ctx, statement);
  const handler = `.catch((err) => ${logger.callFor('error', 'err', `${label} failed`)})`;
  const at = statement.expression.getEnd();
  return { title: `Catch and log the rejection (${logger.expression})`, isPreferred: true, safe: false, edits: [{ fileName: ctx.fileName, start: at, end: at, newText: handler }] };
}

function enclosingFunction(ts: RuleContext['ts'], node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) return n;
    if (ts.isClassStaticBlockDeclaration(n) || ts.isSourceFile(n)) return undefined;
  }
  return undefined;
}

function isAsync(ts: RuleContext['ts'], fn: ts.SignatureDeclaration): boolean {
  return !!ts.canHaveModifiers(fn) && !!ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** How the message names the call: `sendWelcomeEmail`, `this.audit.record` (for `….then(f)` too), `main`. */
export function calleeLabel(ctx: RuleContext, call: ts.CallExpression): string {
  const { ts } = ctx;
  let callee = skipOuter(ts, call.expression);
  // `audit.record(…).then(log)`: the promise is the one `record` made.
  while (ts.isPropertyAccessExpression(callee) && ['then', 'finally'].includes(callee.name.text) && ts.isCallExpression(skipOuter(ts, callee.expression))) {
    callee = skipOuter(ts, (skipOuter(ts, callee.expression) as ts.CallExpression).expression);
  }
  if (ts.isArrowFunction(callee) || ts.isFunctionExpression(callee)) return 'the async IIFE';
  if (ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee)) {
    const text = callee.getText(ctx.sourceFile).replace(/\s+/g, '');
    if (text.length <= 60) return text;
    if (ts.isPropertyAccessExpression(callee)) return `…${callee.name.text}`;
  }
  return 'the call';
}
