// Where a route handler's promise can reject: an awaited or returned promise, a
// `throw` and a `JSON.parse` (in an async function a synchronous throw rejects too),
// outside any try whose catch takes the failure. Outgoing HTTP calls are left to
// unguarded-external-call, which reports their escaping failure with its own fix.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { outboundCall } from '../../shared/outbound-http';
import { destinationOf } from '../unguarded-external-call/destination';
import { endsInHandler, promisenessOf } from '../floating-promise/thenable';

export interface Rejection {
  readonly node: ts.Node;
  readonly kind: 'await' | 'return' | 'throw' | 'parse';
}

const CHAIN = ['then', 'finally'];
const BODY_READS = ['json', 'text', 'arrayBuffer', 'blob', 'formData', 'buffer'];

export function isAsyncFunction(ts: RuleContext['ts'], fn: ts.FunctionLikeDeclaration): boolean {
  return (ts.getModifiers(fn as ts.FunctionLikeDeclaration & ts.HasModifiers) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** The rejection points of `fn`'s own body (nested functions reject their own promises). */
export function rejectionsOf(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, serviceDepth = 0): Rejection[] {
  const { ts } = ctx;
  const body = fn.body;
  if (!body) return [];
  const isAsync = isAsyncFunction(ts, fn);
  const out: Rejection[] = [];
  const returned = (expr: ts.Expression, at: ts.Node): void => {
    const e = skipOuter(ts, expr);
    // `return await p` is the await's business.
    if (ts.isAwaitExpression(e)) return;
    // A non-async handler returning `any` (plain JS) is usually returning `res.json(…)`: unknown is not enough.
    const promiseness = promisenessOf(ctx, ctx.checker.getTypeAtLocation(e));
    if (promiseness === 'not-promise' || promiseness === 'unknown') return;
    if (!endsInHandler(ctx, e) && !isOutboundOnly(ctx, e, serviceDepth)) out.push({ node: at, kind: 'return' });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (isAsync && ts.isAwaitExpression(node)) {
      const operand = skipOuter(ts, node.expression);
      if (!endsInHandler(ctx, operand) && promisenessOf(ctx, ctx.checker.getTypeAtLocation(operand)) !== 'not-promise' && !isOutboundOnly(ctx, operand, serviceDepth) && !insideTry(ctx, node, fn)) {
        out.push({ node, kind: 'await' });
      }
    } else if (isAsync && ts.isThrowStatement(node) && !insideTry(ctx, node, fn)) {
      out.push({ node, kind: 'throw' });
    } else if (isAsync && ts.isCallExpression(node) && isJsonParse(ctx, node) && !insideTry(ctx, node, fn)) {
      out.push({ node, kind: 'parse' });
    } else if (ts.isReturnStatement(node) && node.expression) {
      // A returned promise is not caught by an enclosing try, awaited or not by the caller.
      returned(node.expression, node);
    }
    ts.forEachChild(node, visit);
  };
  if (ts.isBlock(body)) visit(body);
  else {
    returned(body, body);
    visit(body);
  }
  return out;
}

/** Inside the try block of a try with a catch clause, within `fn`. A rethrow from the catch is its own rejection. */
function insideTry(ctx: RuleContext, node: ts.Node, fn: ts.Node): boolean {
  const { ts } = ctx;
  for (let n: ts.Node = node; n.parent && n !== fn; n = n.parent) {
    const p = n.parent;
    if (ts.isTryStatement(p) && p.tryBlock === n && p.catchClause) return true;
  }
  return false;
}

function isJsonParse(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'parse' || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'JSON') return false;
  const target = resolveCall(ctx, call);
  return !!target?.isGlobal;
}

/**
 * The promise is an outgoing request to another host (or reads its response body), or a
 * call of a function of this file whose only rejections are such requests: their escaping
 * failure is what unguarded-external-call reports.
 */
function isOutboundOnly(ctx: RuleContext, expr: ts.Expression, serviceDepth: number): boolean {
  const { ts } = ctx;
  let e = skipOuter(ts, expr);
  for (let i = 0; i < 6; i++) {
    if (ts.isAwaitExpression(e)) e = skipOuter(ts, e.expression);
    if (ts.isIdentifier(e)) {
      const init = constInitializer(ctx, e);
      if (!init) return false;
      e = skipOuter(ts, init);
      continue;
    }
    if (!ts.isCallExpression(e)) return false;
    if (isExternalRequest(ctx, e)) return true;
    const callee = skipOuter(ts, e.expression);
    if (ts.isPropertyAccessExpression(callee) && (CHAIN.includes(callee.name.text) || BODY_READS.includes(callee.name.text))) {
      e = skipOuter(ts, callee.expression);
      continue;
    }
    return serviceDepth === 0 && isOutboundService(ctx, e);
  }
  return false;
}

function isExternalRequest(ctx: RuleContext, call: ts.CallExpression): boolean {
  const out = outboundCall(ctx, call);
  return !!out && destinationOf(ctx, out) !== 'local';
}

function constInitializer(ctx: RuleContext, id: ts.Identifier): ts.Expression | undefined {
  const { ts } = ctx;
  const decl = ctx.checker.getSymbolAtLocation(id)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !ts.isVariableDeclarationList(decl.parent)) return undefined;
  return decl.parent.flags & ts.NodeFlags.Const ? decl.initializer : undefined;
}

/** A function of this file that makes an outgoing request and can reject in no other way. */
function isOutboundService(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
  let symbol = name && ctx.checker.getSymbolAtLocation(name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  let fn: ts.FunctionLikeDeclaration | undefined;
  if (decl && (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl))) fn = decl;
  else if (decl && (ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl)) && decl.initializer) {
    const init = skipOuter(ts, decl.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) fn = init;
  }
  if (!fn?.body || fn.getSourceFile() !== ctx.sourceFile) return false;
  return rejectionsOf(ctx, fn, 1).length === 0 && makesExternalRequest(ctx, fn);
}

function makesExternalRequest(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && isExternalRequest(ctx, n)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(fn.body!);
  return found;
}
