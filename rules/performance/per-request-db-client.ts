// per-request-db-client: a database client, pool or connection made anew on every request.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { isRequestObject } from '../shared/http';
import { isTestModule } from '../shared/module-imports';
import { dbClientFactoryOf } from '../shared/per-request-db-client-factories';
import { hoistClientFix } from '../shared/per-request-db-client-fix';
import { requestPathOf, type RequestPath } from '../shared/unbounded-query-request-path';

export const rule: Rule = {
  id: 'per-request-db-client',
  category: 'performance',
  cwe: [400, 772],
  defaultSeverity: 'warning',
  description: 'A database client, pool or connection is created on every request instead of once per process.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    const { ts } = ctx;
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) || ts.isCallExpression(node)) inspect(ctx, node);
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

function inspect(ctx: RuleContext, node: ts.NewExpression | ts.CallExpression): void {
  const fn = enclosingFunction(ctx.ts, node);
  // Module scope runs once per process.
  if (!fn) return;
  const factory = dbClientFactoryOf(ctx, node);
  if (!factory || isKeptBeyondTheCall(ctx, node, fn)) return;
  const path = requestPathOf(ctx, node);
  if (!path || (!path.direct && returnsClient(ctx, node, fn) && !madePerCall(ctx, fn, path))) return;
  const label = factory.label;
  ctx.report({
    node,
    message: `${label} opens a new database connection on every request ${where(path)}, paying a connect and auth handshake each time and exhausting the server's connections under load: ${factory.advice}.`,
    related: path.direct ? undefined : [{ fileName: path.handler.fn.getSourceFile().fileName, node: path.handler.fn, message: 'the request handler this code runs under' }],
    fixes: factory.closers ? hoistClientFix(ctx, node, fn, factory.closers) : undefined,
  });
}

/** `return new Pool()` / `const p = new Pool(); …; return p`: the caller decides how often it is made. */
function returnsClient(ctx: RuleContext, node: ts.Expression, fn: ts.FunctionLikeDeclaration): boolean {
  const { ts } = ctx;
  const e = outermost(ts, node);
  if (ts.isReturnStatement(e.parent) || (ts.isArrowFunction(e.parent) && e.parent.body === e)) return true;
  if (!ts.isVariableDeclaration(e.parent) || !ts.isIdentifier(e.parent.name)) return false;
  const symbol = ctx.checker.getSymbolAtLocation(e.parent.name);
  let returned = false;
  const visit = (n: ts.Node): void => {
    if (returned) return;
    if (ts.isReturnStatement(n) && n.expression && ts.isIdentifier(skipOuter(ts, n.expression)) && ctx.checker.getSymbolAtLocation(skipOuter(ts, n.expression)) === symbol) returned = true;
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return returned;
}

/** A helper that returns a new client: the handler calls it without caching the result. */
function madePerCall(ctx: RuleContext, helper: ts.FunctionLikeDeclaration, path: RequestPath): boolean {
  const { ts } = ctx;
  const handler = path.handler.fn;
  let perCall = false;
  const visit = (n: ts.Node): void => {
    if (perCall) return;
    if (ts.isCallExpression(n) && calls(ctx, n, helper) && !isKeptBeyondTheCall(ctx, n, handler)) perCall = true;
    ts.forEachChild(n, visit);
  };
  if (handler.body) visit(handler.body);
  return perCall;
}

function calls(ctx: RuleContext, call: ts.CallExpression, fn: ts.FunctionLikeDeclaration): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
  let symbol = ctx.checker.getSymbolAtLocation(nameNode);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  return !!symbol?.declarations?.some((d) => d === fn || ((ts.isVariableDeclaration(d) || ts.isPropertyAssignment(d) || ts.isPropertyDeclaration(d)) && d.initializer === fn));
}

function outermost(ts: RuleContext['ts'], node: ts.Node): ts.Node {
  let e = node;
  while (ts.isParenthesizedExpression(e.parent) || ts.isAwaitExpression(e.parent) || ts.isAsExpression(e.parent) || ts.isNonNullExpression(e.parent)) e = e.parent;
  return e;
}

function where(path: RequestPath): string {
  const h = path.handler;
  const route = h.method && h.method !== 'use' ? `${h.method.toUpperCase()}${h.path ? ` ${h.path}` : ''}` : undefined;
  return route ? `to \`${route}\`` : 'it serves';
}

function enclosingFunction(ts: RuleContext['ts'], node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n) && 'body' in n && n.body) return n as ts.FunctionLikeDeclaration;
    // A class field initializer runs once per instance (services are made once), not per call.
    if (ts.isPropertyDeclaration(n) || ts.isClassStaticBlockDeclaration(n)) return undefined;
  }
  return undefined;
}

/**
 * A lazily made singleton or a cache: the client goes into something that outlives the call
 * (`pool ??= new Pool()`, `if (!pool) pool = new Pool()`, `globalThis.prisma ?? new PrismaClient()`,
 * `pools.set(tenant, pool)`), so it is made once, not per request. Attaching it to the request
 * (`req.db = new PrismaClient()`) is still per request.
 */
function isKeptBeyondTheCall(ctx: RuleContext, node: ts.Expression, fn: ts.FunctionLikeDeclaration): boolean {
  const { ts } = ctx;
  const e = outermost(ts, node);
  const parent = e.parent;
  if (ts.isBinaryExpression(parent) && parent.right === e) {
    const op = parent.operatorToken.kind;
    // `cached ?? new Pool()`: a fallback when nothing is cached yet.
    if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) return true;
    if (op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken) {
      const target = skipOuter(ts, parent.left);
      return outlivesCall(ctx, target, fn) || (ts.isIdentifier(target) && storedLater(ctx, target, fn));
    }
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === e && ts.isIdentifier(parent.name)) return storedLater(ctx, parent.name, fn);
  if (ts.isReturnStatement(parent) || ts.isArrowFunction(parent)) return false;
  // Handed straight to a cache: `pools.set(key, new Pool())`.
  return ts.isCallExpression(parent) && isSetCall(ts, parent) && parent.arguments[1] === e;
}

/** The assignment target is not a local of `fn` nor a property of the request. */
function outlivesCall(ctx: RuleContext, target: ts.Expression, fn: ts.FunctionLikeDeclaration): boolean {
  const { ts } = ctx;
  const t = skipOuter(ts, target);
  if (ts.isIdentifier(t)) {
    const decl = ctx.checker.getSymbolAtLocation(t)?.valueDeclaration;
    return !!decl && !isInside(decl, fn);
  }
  if (ts.isPropertyAccessExpression(t) || ts.isElementAccessExpression(t)) {
    let base: ts.Expression = skipOuter(ts, t.expression);
    while (ts.isPropertyAccessExpression(base) || ts.isElementAccessExpression(base)) base = skipOuter(ts, base.expression);
    if (isRequestObject(ctx, base)) return false;
    if (ts.isIdentifier(base)) {
      const decl = ctx.checker.getSymbolAtLocation(base)?.valueDeclaration;
      // A property of a local object made in this call dies with it.
      if (decl && isInside(decl, fn) && ts.isVariableDeclaration(decl)) return false;
    }
    return true;
  }
  return false;
}

/** `const p = new PrismaClient(); globalThis.prisma = p;` or `cache.set(key, p)` later in the function. */
function storedLater(ctx: RuleContext, name: ts.Identifier, fn: ts.FunctionLikeDeclaration): boolean {
  const { ts } = ctx;
  const symbol = ctx.checker.getSymbolAtLocation(name);
  let stored = false;
  const visit = (n: ts.Node): void => {
    if (stored) return;
    if (ts.isIdentifier(n) && n !== name && ctx.checker.getSymbolAtLocation(n) === symbol) {
      const p = n.parent;
      if (ts.isBinaryExpression(p) && p.right === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && outlivesCall(ctx, p.left, fn)) stored = true;
      if (ts.isCallExpression(p) && isSetCall(ts, p) && p.arguments[1] === n) stored = true;
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return stored;
}

function isSetCall(ts: RuleContext['ts'], call: ts.CallExpression): boolean {
  return ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'set' && call.arguments.length === 2;
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end && node.getSourceFile() === container.getSourceFile();
}
