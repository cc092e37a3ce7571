// Values that belong to a failed upstream response: the HTTP status of a caught
// axios/got error (`err.response.status`, `err.response.statusCode`) or of an AWS SDK
// error (`err.$metadata.httpStatusCode`) in a catch around such a call, and the status
// and body of a `fetch` response in the branch where it is not ok. A value that only
// tests, maps or looks up the upstream status (`=== 404`, `toStatus(s)`, `MAP[s]`) is
// the app's own decision and does not count.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { outboundCall, type OutboundCall } from '../../shared/outbound-http';
import { sdkCall } from '../../shared/outbound-http/sdk-clients';

export interface UpstreamRead {
  /** The expression that reads the upstream's status or body (what the finding underlines). */
  readonly node: ts.Expression;
  readonly part: 'status' | 'body';
  /** Where it came from: a caught client error, or a `fetch` response. */
  readonly via: 'caught' | 'response';
}

const CAUGHT_STATUS_PATHS = ['response.status', 'response.statusCode', '$metadata.httpStatusCode'];
const BODY_READERS = new Set(['json', 'text', 'arrayBuffer', 'blob']);
const MAX_HOPS = 3;

function chainOf(ctx: RuleContext, e: ts.Expression): { root: ts.Identifier; path: string[] } | undefined {
  const { ts } = ctx;
  const path: string[] = [];
  let x = skipOuter(ts, e);
  while (ts.isPropertyAccessExpression(x)) {
    path.unshift(x.name.text);
    x = skipOuter(ts, x.expression);
  }
  return ts.isIdentifier(x) ? { root: x, path } : undefined;
}

function declarationOf(ctx: RuleContext, id: ts.Identifier): ts.Declaration | undefined {
  const p = id.parent;
  if (ctx.ts.isShorthandPropertyAssignment(p) && p.name === id) return ctx.checker.getShorthandAssignmentValueSymbol(p)?.valueDeclaration;
  return ctx.checker.getSymbolAtLocation(id)?.valueDeclaration;
}

const wrapsCache = new WeakMap<ts.Block, boolean>();

/** True when the try block makes an axios/got request or an AWS SDK call (directly, or through one function of the project). */
function tryCallsUpstream(ctx: RuleContext, block: ts.Block): boolean {
  const hit = wrapsCache.get(block);
  if (hit !== undefined) return hit;
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node, depth: number): void => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      const out = outboundCall(ctx, n);
      if ((out && isErrorThrowingClient(out)) || sdkCall(ctx, n)?.sdk === 'aws') {
        found = true;
        return;
      }
      const decl = depth === 0 ? ctx.checker.getSymbolAtLocation(n.expression.kind === ts.SyntaxKind.PropertyAccessExpression ? (n.expression as ts.PropertyAccessExpression).name : n.expression)?.valueDeclaration : undefined;
      const body = decl && (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) && !decl.getSourceFile().isDeclarationFile ? decl.body : undefined;
      if (body) visit(body, depth + 1);
    }
    if (!ts.isFunctionLike(n) || depth > 0) ts.forEachChild(n, (c) => visit(c, depth));
  };
  ts.forEachChild(block, (c) => visit(c, 0));
  wrapsCache.set(block, found);
  return found;
}

/** axios and got reject on an error status and put the response on the error; fetch does not. */
function isErrorThrowingClient(out: OutboundCall): boolean {
  return out.client === 'axios' || out.client === 'got';
}

/** `await fetch(...)` (or undici's) that a `const` holds. */
function fetchResponseOf(ctx: RuleContext, id: ts.Identifier): ts.VariableDeclaration | undefined {
  const { ts } = ctx;
  const decl = declarationOf(ctx, id);
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return undefined;
  const init = skipOuter(ts, decl.initializer);
  const call = ts.isAwaitExpression(init) ? skipOuter(ts, init.expression) : undefined;
  if (!call || !ts.isCallExpression(call)) return undefined;
  const out = outboundCall(ctx, call);
  return out && (out.client === 'fetch' || out.client === 'undici') ? decl : undefined;
}

/** `!r.ok`, `r.ok === false`, `r.status >= 400`, `r.status !== 200`: the branch where `r` failed. */
function failedCondition(ctx: RuleContext, cond: ts.Expression, response: ts.Symbol): boolean {
  const { ts } = ctx;
  const c = skipOuter(ts, cond);
  const isMember = (e: ts.Expression, name: string) => {
    const ch = chainOf(ctx, e);
    return !!ch && ch.path.length === 1 && ch.path[0] === name && ctx.checker.getSymbolAtLocation(ch.root) === response;
  };
  if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) return isMember(c.operand, 'ok');
  if (ts.isBinaryExpression(c)) {
    const op = c.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken) return failedCondition(ctx, c.left, response) || failedCondition(ctx, c.right, response);
    const num = ts.isNumericLiteral(skipOuter(ts, c.right)) ? Number((skipOuter(ts, c.right) as ts.NumericLiteral).text) : undefined;
    if (isMember(c.left, 'ok')) return (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) && skipOuter(ts, c.right).kind === ts.SyntaxKind.FalseKeyword;
    if (isMember(c.left, 'status') && num !== undefined) {
      if (op === ts.SyntaxKind.GreaterThanEqualsToken) return num >= 300;
      if (op === ts.SyntaxKind.GreaterThanToken) return num >= 299;
      return op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    }
  }
  return false;
}

/** True when `node` runs only where the fetch response held by `response` failed. */
function inFailedBranch(ctx: RuleContext, node: ts.Node, response: ts.Symbol): boolean {
  const { ts } = ctx;
  for (let n: ts.Node = node; n.parent && !ts.isFunctionLike(n); n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && p.thenStatement === n && failedCondition(ctx, p.expression, response)) return true;
  }
  return false;
}

/** What of a failed upstream response `value` carries (the first found), following `const`s. */
export function upstreamReadIn(ctx: RuleContext, value: ts.Expression, part: 'status' | 'body', sink: ts.Node, hops = 0): UpstreamRead | undefined {
  const { ts } = ctx;
  let found: UpstreamRead | undefined;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    // Tests and look-ups decide with the upstream's status; they do not send it.
    if (ts.isConditionalExpression(n)) return [n.whenTrue, n.whenFalse].forEach(visit);
    if (ts.isBinaryExpression(n) && isTest(ts, n.operatorToken.kind)) return;
    if (ts.isElementAccessExpression(n)) return visit(n.expression);
    if (ts.isCallExpression(n) && !isBodyRead(ctx, n)) return;
    const e = ts.isExpression(n) ? readOf(ctx, n, part, sink) : undefined;
    if (e) {
      found = e;
      return;
    }
    if (ts.isIdentifier(n) && hops < MAX_HOPS) {
      const decl = declarationOf(ctx, n);
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const && !ts.isCatchClause(decl.parent)) {
        found = upstreamReadIn(ctx, decl.initializer, part, sink, hops + 1);
        if (found) found = { ...found, node: n };
      }
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(value);
  return found;
}

function isTest(ts: RuleContext['ts'], kind: ts.SyntaxKind): boolean {
  const K = ts.SyntaxKind;
  return [K.EqualsEqualsEqualsToken, K.ExclamationEqualsEqualsToken, K.EqualsEqualsToken, K.ExclamationEqualsToken, K.LessThanToken, K.LessThanEqualsToken, K.GreaterThanToken, K.GreaterThanEqualsToken, K.InstanceOfKeyword, K.InKeyword].includes(kind);
}

/** `r.json()` / `r.text()` on a fetch response (awaited or not). */
function isBodyRead(ctx: RuleContext, call: ts.CallExpression): boolean {
  const callee = skipOuter(ctx.ts, call.expression);
  return ctx.ts.isPropertyAccessExpression(callee) && BODY_READERS.has(callee.name.text) && ctx.ts.isIdentifier(skipOuter(ctx.ts, callee.expression));
}

function readOf(ctx: RuleContext, e: ts.Expression, part: 'status' | 'body', sink: ts.Node): UpstreamRead | undefined {
  const { ts } = ctx;
  const target = ts.isCallExpression(e) ? skipOuter(ts, e.expression) : e;
  const ch = chainOf(ctx, target);
  if (!ch || ch.path.length === 0) return undefined;
  const decl = declarationOf(ctx, ch.root);
  const path = ch.path.join('.');
  if (part === 'status' && decl && ts.isVariableDeclaration(decl) && ts.isCatchClause(decl.parent)) {
    return CAUGHT_STATUS_PATHS.includes(path) && tryCallsUpstream(ctx, decl.parent.parent.tryBlock) ? { node: e, part, via: 'caught' } : undefined;
  }
  const response = fetchResponseOf(ctx, ch.root);
  const symbol = response && ctx.checker.getSymbolAtLocation(ch.root);
  if (!response || !symbol || !inFailedBranch(ctx, sink, symbol)) return undefined;
  if (part === 'status' && path === 'status') return { node: e, part, via: 'response' };
  if (part === 'body' && ((ts.isCallExpression(e) && BODY_READERS.has(path)) || path === 'statusText')) return { node: e, part, via: 'response' };
  return undefined;
}
