// A `catch` around a Stripe money movement that answers every error with 500: a declined
// card (a StripeCardError — the customer's problem, a 402) is reported as a server
// failure, alerts fire, and the customer gets no reason. Looking at the error at all
// (`err.type`, `err.code`, `instanceof`, a `switch`) counts as telling them apart.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { isLibFile, originOf, skipOuter } from '../../shared/callee';
import { constantNumber } from '../../shared/constant-values';
import { serverOf } from '../../shared/responses';
import { stripeMoneyCall } from './stripe-calls';

export interface UntoldDecline {
  readonly clause: ts.CatchClause;
  readonly stripeCall: ts.CallExpression;
  readonly answer: ts.CallExpression | ts.NewExpression;
}

export function untoldDecline(ctx: RuleContext, tryStatement: ts.TryStatement): UntoldDecline | undefined {
  const { ts } = ctx;
  const clause = tryStatement.catchClause;
  if (!clause) return undefined;
  const stripeCall = firstNode(ts, tryStatement.tryBlock, (n): n is ts.CallExpression => ts.isCallExpression(n) && !!stripeMoneyCall(ctx, n));
  if (!stripeCall) return undefined;
  if (inspectsError(ctx, clause)) return undefined;
  const answer = firstNode(ts, clause.block, (n): n is ts.CallExpression | ts.NewExpression => (ts.isCallExpression(n) || ts.isNewExpression(n)) && answers500(ctx, n));
  return answer && { clause, stripeCall, answer };
}

/** Reads a property of the caught error other than its text, tests its class, or branches on it. */
function inspectsError(ctx: RuleContext, clause: ts.CatchClause): boolean {
  const { ts } = ctx;
  const binding = clause.variableDeclaration?.name;
  if (!binding) return false;
  if (!ts.isIdentifier(binding)) return true; // `catch ({ type })`: it reads the error's fields
  const symbol = ctx.checker.getSymbolAtLocation(binding);
  return !!firstNode(ts, clause.block, (n): n is ts.Identifier => {
    if (!ts.isIdentifier(n) || ctx.checker.getSymbolAtLocation(n) !== symbol) return false;
    const p = n.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === n) return !['message', 'stack', 'name'].includes(p.name.text);
    if (ts.isElementAccessExpression(p) && p.expression === n) return true;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) return true;
    return ts.isSwitchStatement(p);
  });
}

/** `res.status(500)`, `res.sendStatus(500)` on an Express/node response; `Response.json(x, { status: 500 })`. */
function answers500(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const args = call.arguments ?? [];
  if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(callee) && ['status', 'sendStatus', 'writeHead'].includes(callee.name.text)) {
    return constantNumber(ctx, args[0]) === 500 && !!serverOf(ctx, callee.expression);
  }
  const isWebResponse = (e: ts.Expression): boolean => isGlobalResponse(ctx, e) || originOf(ctx, e)?.module === 'next';
  const init = ts.isNewExpression(call) && isWebResponse(callee) ? args[1] : ts.isPropertyAccessExpression(callee) && callee.name.text === 'json' && isWebResponse(skipOuter(ts, callee.expression)) ? args[1] : undefined;
  const options = init && skipOuter(ts, init);
  if (!options || !ts.isObjectLiteralExpression(options)) return false;
  return options.properties.some((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'status' && constantNumber(ctx, p.initializer) === 500);
}

function isGlobalResponse(ctx: RuleContext, e: ts.Expression): boolean {
  if (!ctx.ts.isIdentifier(e) || e.text !== 'Response') return false;
  const decl = ctx.checker.getSymbolAtLocation(e)?.declarations?.[0];
  return !!decl && isLibFile(decl.getSourceFile().fileName);
}

function firstNode<T extends ts.Node>(ts: RuleContext['ts'], root: ts.Node, test: (n: ts.Node) => n is T): T | undefined {
  let found: T | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (test(n)) found = n;
    // A nested function is another code path (a callback run later).
    else if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(root, visit);
  return found;
}
