// The code a request runs: the handler and the project's functions it calls directly
// (one level: a controller's `this.users.findAll()` reaches the service method that
// holds the query or the outgoing call). Each with the context of its own file.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { contextFor } from './location';
import { calledFunction } from './values';

const MAX_CALLEES = 25;

export interface ScopedFunction {
  readonly fn: ts.FunctionLikeDeclaration;
  /** The context of the file `fn` is in. */
  readonly ctx: RuleContext;
}

export function handlerAndCallees(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): ScopedFunction[] {
  const { ts } = ctx;
  const out: ScopedFunction[] = [{ fn, ctx: contextFor(ctx, fn.getSourceFile()) }];
  const seen = new Set<ts.Node>([fn]);
  const params = parameterNames(ts, fn);
  const visit = (n: ts.Node): void => {
    if (out.length > MAX_CALLEES) return;
    // `res.status(…).json(…)`, `req.get(…)`: calls on the handler's own parameters are the
    // framework's, and asking the checker about them is the costly part.
    if (ts.isCallExpression(n) && !params.has(rootName(ts, n.expression) ?? '')) {
      const callee = calledFunction(ctx, n);
      if (callee && !seen.has(callee) && !(callee.pos >= fn.pos && callee.end <= fn.end)) {
        seen.add(callee);
        out.push({ fn: callee, ctx: contextFor(ctx, callee.getSourceFile()) });
      }
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return out;
}

export function parameterNames(ts: RuleContext['ts'], fn: ts.FunctionLikeDeclaration): Set<string> {
  return new Set(fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
}

/** `res` in `res.status(404).json(x)`. */
export function rootName(ts: RuleContext['ts'], e: ts.Expression): string | undefined {
  let x = e;
  while (ts.isPropertyAccessExpression(x) || ts.isCallExpression(x) || ts.isElementAccessExpression(x) || ts.isParenthesizedExpression(x) || ts.isNonNullExpression(x)) x = x.expression;
  return ts.isIdentifier(x) ? x.text : undefined;
}

/**
 * The call expressions in the body of `fn` (nested callbacks included). For a handler,
 * `onParameters: false` leaves out the calls on its own parameters (`res.json()`): they
 * are the framework's, never a query or an outgoing request.
 */
export function callsIn(ts: RuleContext['ts'], fn: ts.FunctionLikeDeclaration, onParameters = true): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const params = onParameters ? undefined : parameterNames(ts, fn);
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && !params?.has(rootName(ts, n.expression) ?? '')) out.push(n);
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return out;
}
