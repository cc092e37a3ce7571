// What makes a failing catch "seen": a logger or console call, an error tracker's call,
// a rethrow, `next(err)` or any other call that receives the caught error (a project
// helper such as `handleError(res, err)` may log it; we give it the benefit of the
// doubt), or Fastify's `reply.send(err)` (its error handler logs it).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { loggerLibraryOf } from '../../shared/logger';
import { isTrackerModule } from '../../shared/missing-error-tracking-vendors';
import { isResponseCall } from './answers';

/** True when something in `body` logs, reports, rethrows or hands on the error bound to `errorSymbols`. */
export function errorIsSeen(ctx: RuleContext, body: ts.Node, errorSymbols: ReadonlySet<ts.Symbol>): boolean {
  const { ts } = ctx;
  let seen = false;
  const visit = (node: ts.Node): void => {
    if (seen) return;
    if (ts.isThrowStatement(node)) {
      seen = true;
      return;
    }
    if (ts.isCallExpression(node)) {
      if (isLogOrTrackCall(ctx, node) || receivesError(ctx, node, errorSymbols)) {
        seen = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return seen;
}

function isLogOrTrackCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    const receiver = skipOuter(ts, callee.expression);
    if (isGlobalConsole(ctx, receiver)) return true;
    if (loggerLibraryOf(ctx, receiver)) return true;
  }
  const target = resolveCall(ctx, call);
  return !!target?.module && isTrackerModule(target.module);
}

function isGlobalConsole(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (!ts.isIdentifier(e) || e.text !== 'console') return false;
  const decl = ctx.checker.getSymbolAtLocation(e)?.declarations?.[0];
  return !decl || decl.getSourceFile().isDeclarationFile;
}

/**
 * A call that is given the error (or something made from it): `next(err)`, `handleError(err)`,
 * `metrics.fail(err)`. A response call is not: sending `err.message` to the client logs nothing.
 * Fastify's `reply.send(err)` is, since Fastify's error handler logs what it is sent.
 */
function receivesError(ctx: RuleContext, call: ts.CallExpression, errorSymbols: ReadonlySet<ts.Symbol>): boolean {
  if (errorSymbols.size === 0) return false;
  const server = isResponseCall(ctx, call);
  if (server === 'fastify') return call.arguments.some((a) => isErrorItself(ctx, a, errorSymbols));
  if (server || insideResponse(ctx, call)) return false;
  const target = resolveCall(ctx, call);
  // String(err), JSON.stringify(err), Object.assign(…): standard library, no one sees them.
  if (target?.isGlobal && !target.module) return false;
  return call.arguments.some((a) => mentions(ctx, a, errorSymbols));
}

/** Inside the arguments of a response call: `res.json({ error: String(err) })`. */
function insideResponse(ctx: RuleContext, node: ts.Node): boolean {
  const { ts } = ctx;
  for (let n = node.parent; n && !ts.isBlock(n) && !ts.isFunctionLike(n); n = n.parent) {
    if (ts.isCallExpression(n) && isResponseCall(ctx, n)) return true;
  }
  return false;
}

function isErrorItself(ctx: RuleContext, e: ts.Expression, errorSymbols: ReadonlySet<ts.Symbol>): boolean {
  const x = skipOuter(ctx.ts, e);
  return ctx.ts.isIdentifier(x) && errorSymbols.has(ctx.checker.getSymbolAtLocation(x)!);
}

function mentions(ctx: RuleContext, node: ts.Node, errorSymbols: ReadonlySet<ts.Symbol>): boolean {
  const { ts } = ctx;
  if (ts.isIdentifier(node)) {
    const symbol = ctx.checker.getSymbolAtLocation(node);
    return !!symbol && errorSymbols.has(symbol);
  }
  return !!ts.forEachChild(node, (c) => mentions(ctx, c, errorSymbols) || undefined);
}

/** The symbols a catch binding or handler parameter introduces (`e`, or `message` of `({ message })`). */
export function boundSymbols(ctx: RuleContext, name: ts.BindingName | undefined): Set<ts.Symbol> {
  const { ts } = ctx;
  const out = new Set<ts.Symbol>();
  const collect = (n: ts.BindingName): void => {
    if (ts.isIdentifier(n)) {
      const s = ctx.checker.getSymbolAtLocation(n);
      if (s) out.add(s);
    } else for (const el of n.elements) if (!ts.isOmittedExpression(el)) collect(el.name);
  };
  if (name) collect(name);
  return out;
}
