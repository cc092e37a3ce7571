// unbounded-body-read's stream half: the request's own stream read into memory chunk by
// chunk — `req.on('data', c => body += c)`, `chunks.push(c)`, `for await (const c of req)` —
// with no comparison in the reading code that could stop it at a byte count.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { resolveCall, skipOuter } from './callee';
import { isRequestObject } from './http';

export interface StreamAccumulation {
  /** What to underline: the `on('data')` call or the `for await` head. */
  readonly node: ts.Node;
  /** The request expression read (`req`). */
  readonly request: ts.Expression;
  /** The accumulating statement (`body += chunk`). */
  readonly accumulation: ts.Node;
}

const LISTEN_METHODS = new Set(['on', 'addListener', 'once', 'prependListener']);

export function streamAccumulationAt(ctx: RuleContext, node: ts.Node): StreamAccumulation | undefined {
  const { ts } = ctx;
  if (ts.isCallExpression(node)) return dataListener(ctx, node);
  if (ts.isForOfStatement(node) && node.awaitModifier && isIncomingRequest(ctx, node.expression)) {
    const decl = node.initializer;
    const chunk = ts.isVariableDeclarationList(decl) && decl.declarations.length === 1 && ts.isIdentifier(decl.declarations[0].name) ? decl.declarations[0].name : undefined;
    if (!chunk) return undefined;
    const acc = accumulationOf(ctx, node.statement, chunk);
    return acc && !hasByteCheck(ctx, node.statement) ? { node: node.expression, request: node.expression, accumulation: acc } : undefined;
  }
  return undefined;
}

function dataListener(ctx: RuleContext, call: ts.CallExpression): StreamAccumulation | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !LISTEN_METHODS.has(callee.name.text)) return undefined;
  const [event, listener] = call.arguments;
  if (!event || !ts.isStringLiteralLike(event) || event.text !== 'data' || !listener) return undefined;
  const fn = skipOuter(ts, listener);
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.parameters.length === 0 || !ts.isIdentifier(fn.parameters[0].name)) return undefined;
  if (!isIncomingRequest(ctx, callee.expression)) return undefined;
  const acc = accumulationOf(ctx, fn.body, fn.parameters[0].name);
  return acc && !hasByteCheck(ctx, fn.body) ? { node: call, request: callee.expression, accumulation: acc } : undefined;
}

/** A handler's request (Express, Fastify's `request.raw`, Next) or node:http's `IncomingMessage`. */
function isIncomingRequest(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (isRequestObject(ctx, e)) return true;
  return ts.isIdentifier(e) && isServerRequestParameter(ctx, e);
}

/**
 * The first parameter of a function given to node's `createServer` (http, https, http2): the
 * incoming request. An `IncomingMessage` is also what an outbound `http.get` answers with, which
 * is not the request this rule is about.
 */
function isServerRequestParameter(ctx: RuleContext, id: ts.Identifier): boolean {
  const { ts } = ctx;
  const decl = ctx.checker.getSymbolAtLocation(id)?.valueDeclaration;
  if (!decl || !ts.isParameter(decl) || decl.parent.parameters[0] !== decl) return false;
  const fn = decl.parent;
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return false;
  const target = resolveCall(ctx, call);
  return !!target && ['http', 'https', 'http2'].includes(target.module ?? '') && (target.name === 'createServer' || target.name === 'createSecureServer');
}

/** `body += chunk`, `chunks.push(chunk)`, `buf = Buffer.concat([buf, chunk])` in the reading code. */
function accumulationOf(ctx: RuleContext, body: ts.Node, chunk: ts.Identifier): ts.Node | undefined {
  const { ts } = ctx;
  const chunkSymbol = ctx.checker.getSymbolAtLocation(chunk);
  const mentionsChunk = (n: ts.Node): boolean => {
    if (ts.isIdentifier(n) && ctx.checker.getSymbolAtLocation(n) === chunkSymbol) return true;
    return !!ts.forEachChild(n, (c) => (mentionsChunk(c) ? true : undefined));
  };
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken && mentionsChunk(n.right)) found = n;
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(skipOuter(ts, n.left)) && isConcatOf(ctx, n.right, skipOuter(ts, n.left) as ts.Identifier) && mentionsChunk(n.right)) found = n;
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'push' && n.arguments.some(mentionsChunk)) found = n;
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/** `Buffer.concat([buf, chunk])` / `buf + chunk`: the variable grows by the chunk. */
function isConcatOf(ctx: RuleContext, e: ts.Expression, target: ts.Identifier): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  const symbol = ctx.checker.getSymbolAtLocation(target);
  const mentions = (n: ts.Node): boolean => (ts.isIdentifier(n) && ctx.checker.getSymbolAtLocation(n) === symbol) || !!ts.forEachChild(n, (c) => (mentions(c) ? true : undefined));
  return (ts.isCallExpression(x) || ts.isBinaryExpression(x)) && mentions(x);
}

/** Any ordering comparison (`received > MAX`, `body.length >= LIMIT`) may stop the read: trust it. */
function hasByteCheck(ctx: RuleContext, body: ts.Node): boolean {
  const { ts } = ctx;
  const ordering = new Set([ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken]);
  const visit = (n: ts.Node): boolean => (ts.isBinaryExpression(n) && ordering.has(n.operatorToken.kind)) || !!ts.forEachChild(n, (c) => (visit(c) ? true : undefined));
  return visit(body);
}
