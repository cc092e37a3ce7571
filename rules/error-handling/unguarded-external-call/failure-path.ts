// Where the rejection of an outgoing request goes: caught on the way (try/catch,
// `.catch`), or out of an Express 4 route handler that nobody awaits — directly, or
// through one service function of the same file the handler calls. Only a path we
// can see end to end counts as unhandled.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { calleeNameNode, skipOuter } from '../../shared/callee';
import { findRouteHandlers, type RouteHandler } from '../../shared/http';
import { expressForwardsRejections } from './express-version';

export interface UnhandledFailure {
  readonly handler: RouteHandler;
  /** How the message names the handler: "`getWeather`" or "the `GET /weather` handler". */
  readonly handlerLabel: string;
  /** The `await` in the handler's own body where the rejection surfaces, when it is one. */
  readonly surfacesAt: ts.AwaitExpression | undefined;
  /** Else the promise the handler returns (`return fetch(url).then(...)`), which a `.catch` can end. */
  readonly returned: ts.Expression | undefined;
  /** The service function between the call and the handler, when there is one. */
  readonly via?: { readonly name: string; readonly fn: ts.FunctionLikeDeclaration };
}

type Propagation =
  | { readonly kind: 'handled' | 'unknown' }
  | { readonly kind: 'escapes'; readonly fn: ts.FunctionLikeDeclaration; readonly at: ts.Node; readonly awaited: boolean };

/** Members of a pending request that give another promise of the same request (got's `.json()`). */
export const PROMISE_CHAIN = ['then', 'finally'];

/**
 * The Express 4 handler the rejection of `promise` reaches uncaught, or undefined
 * when it is handled, forwarded by the framework, or goes where we cannot follow.
 */
export function unhandledFailure(ctx: RuleContext, promise: ts.Expression, chainMembers: readonly string[]): UnhandledFailure | undefined {
  const first = propagation(ctx, promise, chainMembers);
  if (first.kind !== 'escapes') return undefined;
  const direct = handlerOf(ctx, first.fn);
  if (direct) {
    return rejectionIsLost(ctx, direct) ? { handler: direct, handlerLabel: handlerLabel(ctx, direct), surfacesAt: awaitAt(ctx, first), returned: returnedAt(ctx, first) } : undefined;
  }
  // One level up: a service function of this file that a handler calls without guarding.
  const name = functionName(ctx, first.fn);
  if (!name) return undefined;
  for (const site of callSitesOf(ctx, first.fn, name.node)) {
    const second = propagation(ctx, site, PROMISE_CHAIN);
    if (second.kind !== 'escapes') continue;
    const handler = handlerOf(ctx, second.fn);
    if (handler && rejectionIsLost(ctx, handler)) {
      return { handler, handlerLabel: handlerLabel(ctx, handler), surfacesAt: awaitAt(ctx, second), returned: returnedAt(ctx, second), via: { name: name.text, fn: first.fn } };
    }
  }
  return undefined;
}

function awaitAt(ctx: RuleContext, p: Propagation): ts.AwaitExpression | undefined {
  return p.kind === 'escapes' && p.awaited && ctx.ts.isAwaitExpression(p.at) ? p.at : undefined;
}

function returnedAt(ctx: RuleContext, p: Propagation): ts.Expression | undefined {
  if (p.kind !== 'escapes' || p.awaited) return undefined;
  if (ctx.ts.isReturnStatement(p.at)) return p.at.expression;
  return ctx.ts.isExpression(p.at) ? p.at : undefined;
}

function handlerOf(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): RouteHandler | undefined {
  return findRouteHandlers(ctx).find((h) => h.fn === fn);
}

/** Express 4 ignores the promise a handler returns: its rejection answers nobody. */
function rejectionIsLost(ctx: RuleContext, handler: RouteHandler): boolean {
  return handler.framework === 'express' && expressForwardsRejections(ctx) === false;
}

/** Follows the promise up through chains and parentheses to where it is caught, awaited or returned. */
function propagation(ctx: RuleContext, promise: ts.Expression, chainMembers: readonly string[]): Propagation {
  const { ts } = ctx;
  let n: ts.Node = promise;
  for (;;) {
    const p: ts.Node = n.parent;
    if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isSatisfiesExpression(p) || ts.isTypeAssertionExpression(p)) {
      n = p;
      continue;
    }
    if (ts.isPropertyAccessExpression(p) && p.expression === n && ts.isCallExpression(p.parent) && p.parent.expression === p) {
      const member = p.name.text;
      if (member === 'catch' || (member === 'then' && p.parent.arguments.length >= 2)) return { kind: 'handled' };
      if (!chainMembers.includes(member)) return { kind: 'unknown' };
      n = p.parent;
      continue;
    }
    if (ts.isAwaitExpression(p)) return throwsFrom(ctx, p);
    if (ts.isReturnStatement(p)) {
      const fn = enclosingFunction(ts, p);
      return fn ? { kind: 'escapes', fn, at: p, awaited: false } : { kind: 'unknown' };
    }
    if (ts.isArrowFunction(p) && p.body === n) return { kind: 'escapes', fn: p, at: n, awaited: false };
    return { kind: 'unknown' };
  }
}

/** An awaited rejection throws: it is caught by an enclosing try/catch or leaves the async function. */
function throwsFrom(ctx: RuleContext, awaitExpr: ts.AwaitExpression): Propagation {
  const { ts } = ctx;
  for (let n: ts.Node = awaitExpr; n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isTryStatement(p) && p.tryBlock === n && p.catchClause && !rethrows(ts, p.catchClause)) return { kind: 'handled' };
    if (isFunction(ts, p)) {
      const isAsync = (ts.getModifiers(p as ts.FunctionLikeDeclaration & ts.HasModifiers) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
      return isAsync ? { kind: 'escapes', fn: p, at: awaitExpr, awaited: true } : { kind: 'unknown' };
    }
    if (ts.isSourceFile(p)) return { kind: 'unknown' };
  }
  return { kind: 'unknown' };
}

/** A catch whose block throws unconditionally passes the failure on. */
function rethrows(ts: RuleContext['ts'], clause: ts.CatchClause): boolean {
  return clause.block.statements.some((s) => ts.isThrowStatement(s));
}

function isFunction(ts: RuleContext['ts'], n: ts.Node): n is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n);
}

function enclosingFunction(ts: RuleContext['ts'], node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunction(ts, n)) return n;
  return undefined;
}

/** The name a function is called by in this file, with the node whose symbol identifies it. */
function functionName(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): { text: string; node: ts.Node } | undefined {
  const { ts } = ctx;
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return { text: fn.name.text, node: fn.name };
  const parent = fn.parent;
  if ((ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return { text: parent.name.text, node: parent.name };
  if ((ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) && (ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name)) {
    return { text: parent.name.text, node: parent.name };
  }
  return undefined;
}

function callSitesOf(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, nameNode: ts.Node): ts.CallExpression[] {
  const { ts } = ctx;
  const symbol = ctx.checker.getSymbolAtLocation(nameNode);
  if (!symbol) return [];
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && !isWithin(n, fn)) {
      const name = calleeNameNode(ts, skipOuter(ts, n.expression));
      if (name && ctx.checker.getSymbolAtLocation(name) === symbol) out.push(n);
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  return out;
}

function isWithin(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

/** "`getWeather`" for a named handler, "the `GET /weather` handler" for an inline one. */
export function handlerLabel(ctx: RuleContext, handler: RouteHandler): string {
  const { ts } = ctx;
  const name = ts.isFunctionExpression(handler.fn) && handler.fn.name ? handler.fn.name.text : functionName(ctx, handler.fn)?.text;
  if (name) return `\`${name}\``;
  if (handler.method === 'use') return 'the middleware';
  if (handler.method && handler.path !== undefined) return `the \`${handler.method.toUpperCase()} ${handler.path}\` handler`;
  return 'the route handler';
}
