// Whether code runs while a request is being served: it sits in a route handler, or in
// a function that a handler calls (directly or through a few calls, in any file of the
// program — a Nest controller calling its service). Callers are found through a
// per-program index of called names, each confirmed by the checker.
import type { ts } from 'ts-morph';
import { contextFor } from '../inventory/location';
import type { RuleContext } from '../api';
import { findRouteHandlers, registrationsOf, type RouteHandler } from './http';

const MAX_CALL_DEPTH = 3;

export interface RequestPath {
  /** The handler the code is reached from. */
  readonly handler: RouteHandler;
  /** True when the code is in the handler's own body (its request parameter is in scope). */
  readonly direct: boolean;
}

/** The route handler `node` runs under, if any. */
export function requestPathOf(ctx: RuleContext, node: ts.Node): RequestPath | undefined {
  const seen = new Set<ts.Node>();
  for (const fn of enclosingFunctions(ctx.ts, node)) {
    const handler = handlerOf(ctx, ctx.sourceFile, fn);
    if (handler) return { handler, direct: true };
  }
  for (const fn of enclosingFunctions(ctx.ts, node)) {
    const handler = calledFromHandler(ctx, fn, 0, seen);
    if (handler) return { handler, direct: false };
  }
  return undefined;
}

function enclosingFunctions(ts: RuleContext['ts'], node: ts.Node): ts.FunctionLikeDeclaration[] {
  const out: ts.FunctionLikeDeclaration[] = [];
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isFunctionLike(n) && 'body' in n && n.body) out.push(n as ts.FunctionLikeDeclaration);
  return out;
}

function handlerOf(ctx: RuleContext, sf: ts.SourceFile, fn: ts.FunctionLikeDeclaration): RouteHandler | undefined {
  const c = contextFor(ctx, sf);
  return findRouteHandlers(c).find((h) => h.fn === fn && h.terminal !== false) ?? registrationsOf(c, fn).find((h) => h.terminal !== false);
}

function calledFromHandler(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, depth: number, seen: Set<ts.Node>): RouteHandler | undefined {
  const { ts } = ctx;
  if (depth >= MAX_CALL_DEPTH || seen.has(fn)) return undefined;
  seen.add(fn);
  const name = nameOf(ts, fn);
  if (!name) return undefined;
  for (const call of callIndex(ctx).get(name) ?? []) {
    if (!callsFunction(ctx, call, fn)) continue;
    const sf = call.getSourceFile();
    for (const caller of enclosingFunctions(ts, call)) {
      const handler = handlerOf(ctx, sf, caller) ?? calledFromHandler(ctx, caller, depth + 1, seen);
      if (handler) return handler;
    }
  }
  return undefined;
}

function nameOf(ts: RuleContext['ts'], fn: ts.FunctionLikeDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const p = fn.parent;
  if ((ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && ts.isIdentifier(p.name)) return p.name.text;
  return undefined;
}

function callsFunction(ctx: RuleContext, call: ts.CallExpression, fn: ts.FunctionLikeDeclaration): boolean {
  const { ts } = ctx;
  const callee = ts.isPropertyAccessExpression(call.expression) ? call.expression.name : call.expression;
  let symbol = ctx.checker.getSymbolAtLocation(callee);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  return !!symbol?.declarations?.some((d) => d === fn || ((ts.isVariableDeclaration(d) || ts.isPropertyAssignment(d) || ts.isPropertyDeclaration(d)) && d.initializer === fn));
}

const indexCache = new WeakMap<ts.Program, Map<string, ts.CallExpression[]>>();

/** Called name → call sites, over the program's own files. Syntactic; the checker confirms each use. */
function callIndex(ctx: RuleContext): Map<string, ts.CallExpression[]> {
  const { ts } = ctx;
  let index = indexCache.get(ctx.program);
  if (index) return index;
  const built = new Map<string, ts.CallExpression[]>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const e = node.expression;
      const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
      if (name) {
        const list = built.get(name);
        if (list) list.push(node);
        else built.set(name, [node]);
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const sf of ctx.program.getSourceFiles()) if (!sf.isDeclarationFile && !sf.fileName.includes('/node_modules/')) visit(sf);
  index = built;
  indexCache.set(ctx.program, index);
  return index;
}
