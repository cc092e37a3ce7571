// CORS written by hand: response headers set through Node's `setHeader`/`writeHead`,
// Express's `res.set`/`res.header` or Fastify's `reply.header(s)`, and whether the
// `Access-Control-Allow-Origin` value echoes the request's own `Origin` header
// unchecked. The receiver is known by the declaration it resolves to, or untyped as the
// response parameter of a route handler.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { resolveCall, skipOuter } from './callee';
import { constantString, unchangedConstInitializer } from './constant-values';
import { optionValue, resolveObject } from './cookie-options';
import { findRouteHandlers, isRequestObject, requestPartOf } from './http';

export interface HeaderWrite {
  /** Lower-cased header name. */
  readonly name: string;
  readonly value: ts.Expression;
  readonly call: ts.CallExpression;
}

const SETTERS: Record<string, readonly string[]> = {
  http: ['setHeader', 'appendHeader', 'writeHead'],
  express: ['set', 'header', 'append'],
  'express-serve-static-core': ['set', 'header', 'append'],
  fastify: ['header', 'headers'],
};
const SETTER_NAMES = new Set(Object.values(SETTERS).flat());

/** The headers a call sets, or [] when it is not a response header setter. */
export function headerWrites(ctx: RuleContext, call: ts.CallExpression): HeaderWrite[] {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !SETTER_NAMES.has(callee.name.text) || !call.arguments.length) return [];
  if (!isResponseSetter(ctx, call, callee)) return [];
  const method = callee.name.text;
  const [first, second] = call.arguments;
  if (method !== 'writeHead' && method !== 'headers' && second) {
    const name = constantString(ctx, first);
    return name ? [{ name: name.toLowerCase(), value: second, call }] : [];
  }
  // res.set({ … }), reply.headers({ … }), res.writeHead(200, [message,] { … })
  const object = method === 'writeHead' ? call.arguments[call.arguments.length - 1] : first;
  const resolved = call.arguments.length > (method === 'writeHead' ? 1 : 0) ? resolveObject(ctx, object) : undefined;
  const out: HeaderWrite[] = [];
  for (const [name, value] of resolved?.props ?? []) if (ts.isExpression(value)) out.push({ name: name.toLowerCase(), value, call });
  return out;
}

function isResponseSetter(ctx: RuleContext, call: ts.CallExpression, callee: ts.PropertyAccessExpression): boolean {
  const { ts } = ctx;
  const target = resolveCall(ctx, call);
  if (target) return !!target.module && (SETTERS[target.module] ?? []).includes(callee.name.text);
  const receiver = skipOuter(ts, callee.expression);
  const decl = ts.isIdentifier(receiver) ? ctx.checker.getSymbolAtLocation(receiver)?.valueDeclaration : undefined;
  return !!decl && ts.isParameter(decl) && findRouteHandlers(ctx).some((h) => h.response === decl);
}

/** `'true'` or `true`: the value that lets the browser send cookies and credentials. */
export function allowsCredentials(ctx: RuleContext, write: HeaderWrite): boolean {
  return write.name === 'access-control-allow-credentials' && (constantString(ctx, write.value) === 'true' || optionValue(ctx, write.value) === 'true');
}

export interface ReflectedOrigin {
  /** The read of the request's `Origin` header. */
  readonly read: ts.Expression;
  /** The `const` holding it, when the value goes through one. */
  readonly binding?: ts.Symbol;
}

/** The request's own Origin header, echoed as is (`req.headers.origin`, `req.get('origin')`, a `const` holding it, `origin || '*'`). */
export function reflectedOrigin(ctx: RuleContext, expr: ts.Expression, depth = 0): ReflectedOrigin | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (depth > 4) return undefined;
  if (isOriginRead(ctx, e)) return { read: e };
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    return reflectedOrigin(ctx, e.left, depth + 1);
  }
  if (ts.isIdentifier(e)) {
    const init = unchangedConstInitializer(ctx, e);
    const inner = init && reflectedOrigin(ctx, init, depth + 1);
    return inner && { read: inner.read, binding: ctx.checker.getSymbolAtLocation(e) };
  }
  return undefined;
}

/** `req.headers.origin`, `req.headers['origin']`, `req.get('Origin')`, `req.header('origin')`. */
export function isOriginRead(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (ts.isPropertyAccessExpression(e)) return e.name.text === 'origin' && requestPartOf(ctx, e.expression) === 'headers';
  if (ts.isElementAccessExpression(e)) return constantString(ctx, e.argumentExpression)?.toLowerCase() === 'origin' && requestPartOf(ctx, e.expression) === 'headers';
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ['get', 'header'].includes(e.expression.name.text) && e.arguments.length === 1) {
    return constantString(ctx, e.arguments[0])?.toLowerCase() === 'origin' && isRequestObject(ctx, e.expression.expression);
  }
  return false;
}

/**
 * True when `fn` compares the origin with something before trusting it: the origin (its
 * `const` or a fresh read) passed to a call (`allowed.includes(origin)`, `isTrusted(origin)`),
 * a method called on it (`origin.endsWith(…)`), compared with `===`, used as a key or in a
 * `switch`. A bare truthiness test (`if (origin)`) checks nothing.
 */
export function checksOrigin(ctx: RuleContext, fn: ts.Node, origin: ReflectedOrigin, writes: ReadonlySet<ts.CallExpression>): boolean {
  const { ts } = ctx;
  let checked = false;
  const isOrigin = (n: ts.Node): boolean =>
    ts.isExpression(n) && ((!!origin.binding && ts.isIdentifier(n) && ctx.checker.getSymbolAtLocation(n) === origin.binding) || (!ts.isIdentifier(n) && isOriginRead(ctx, n)));
  const visit = (node: ts.Node): void => {
    if (checked) return;
    if (isOrigin(node) && node !== origin.read && inCheckingPosition(ts, node as ts.Expression, writes)) {
      checked = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return checked;
}

function inCheckingPosition(ts: RuleContext['ts'], ref: ts.Expression, writes: ReadonlySet<ts.CallExpression>): boolean {
  let n: ts.Node = ref;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isCallExpression(p)) return p.arguments.includes(n as ts.Expression) && !writes.has(p);
  if (ts.isPropertyAccessExpression(p) && p.expression === n) return ts.isCallExpression(p.parent) && p.parent.expression === p;
  if (ts.isElementAccessExpression(p)) return p.argumentExpression === n;
  if (ts.isSwitchStatement(p) || ts.isCaseClause(p)) return true;
  if (ts.isBinaryExpression(p)) {
    const k = p.operatorToken.kind;
    return k === ts.SyntaxKind.EqualsEqualsEqualsToken || k === ts.SyntaxKind.ExclamationEqualsEqualsToken || k === ts.SyntaxKind.EqualsEqualsToken || k === ts.SyntaxKind.ExclamationEqualsToken || k === ts.SyntaxKind.InKeyword;
  }
  return false;
}
