// Where a URL decides where the browser goes next: server redirects (Express `res.redirect`
// and `res.location`, Koa `ctx.redirect`, Fastify `reply.redirect`, Next `redirect()` and
// `NextResponse.redirect`, `Response.redirect`), a `Location` header, and in the browser
// `location.href = …`, `location.assign/replace`, `window.open`. A target whose constant
// beginning already fixes the origin (`/users/${id}`, `https://app.example.com/${path}`) is
// no sink at all.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { constantNumber, constantString } from '../../shared/constant-values';
import type { Sink } from '../../taint';
import { isKoaContext, rootOf, serverOf } from '../../shared/responses';
import { keepsOrigin } from './targets';

const REDIRECT_MODULES = new Set(['express', 'express-serve-static-core', 'koa', '@koa/router', 'fastify', 'next']);
const HEADER_METHODS = new Set(['setHeader', 'set', 'header', 'append']);
const BROWSER_METHODS = new Set(['assign', 'replace', 'open']);

export function redirectSinksAt(ctx: RuleContext, node: ts.Node): Sink[] {
  const { ts } = ctx;
  if (ts.isCallExpression(node)) return callSinks(ctx, node);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && isLocationTarget(ctx, node.left)) {
    return sink(ctx, node.right, skipOuter(ts, node.left).getText());
  }
  return [];
}

function sink(ctx: RuleContext, expr: ts.Expression | undefined, label: string): Sink[] {
  if (!expr || ctx.ts.isSpreadElement(expr) || keepsOrigin(ctx, expr)) return [];
  return [{ expr, label }];
}

function callSinks(ctx: RuleContext, call: ts.CallExpression): Sink[] {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  const args = call.arguments;
  if (!name || args.length === 0) return [];
  const receiver = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
  const label = receiver ? `${rootOf(ctx, receiver)?.text ?? receiver.getText()}.${name}` : name;
  if (name === 'redirect' || name === 'permanentRedirect') {
    if (receiver && ts.isIdentifier(skipOuter(ts, receiver)) && (skipOuter(ts, receiver) as ts.Identifier).text === 'Response' && resolveCall(ctx, call)?.isGlobal) return sink(ctx, args[0], 'Response.redirect');
    if (!isFrameworkCall(ctx, call, receiver)) return [];
    // Express `res.redirect(301, url)`, Fastify 4 `reply.redirect(302, url)`: the URL is the argument that is not a status code.
    const target = [...args].reverse().find((a) => constantNumber(ctx, a) === undefined && !isNumberTyped(ctx, a));
    return sink(ctx, target, label);
  }
  if (name === 'location' && receiver && isFrameworkCall(ctx, call, receiver)) return sink(ctx, args[0], label);
  if (HEADER_METHODS.has(name) && receiver && args.length >= 2 && constantString(ctx, args[0])?.toLowerCase() === 'location' && isResponse(ctx, receiver)) return sink(ctx, args[1], label);
  if (name === 'writeHead' && receiver && isResponse(ctx, receiver)) {
    const headers = skipOuter(ts, args[args.length - 1]);
    if (!ts.isObjectLiteralExpression(headers)) return [];
    const location = headers.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) && p.name.text.toLowerCase() === 'location');
    return location ? sink(ctx, location.initializer, `${label} Location`) : [];
  }
  if (BROWSER_METHODS.has(name) && isDomMethod(ctx, call, name)) return sink(ctx, args[0], receiver ? label : `window.${name}`);
  return [];
}

/** A redirect of a server framework: by the declaration it resolves to, or (plain JS) on a route handler's response. */
function isFrameworkCall(ctx: RuleContext, call: ts.CallExpression, receiver: ts.Expression | undefined): boolean {
  const target = resolveCall(ctx, call);
  if (target?.module && REDIRECT_MODULES.has(target.module)) return true;
  return !!receiver && (serverOf(ctx, receiver) !== undefined || isKoaContext(ctx, receiver));
}

function isResponse(ctx: RuleContext, receiver: ts.Expression): boolean {
  return serverOf(ctx, receiver) !== undefined || isKoaContext(ctx, receiver);
}

function isNumberTyped(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  return !!(ctx.checker.getTypeAtLocation(e).flags & ts.TypeFlags.NumberLike);
}

/** `location.assign(x)`, `window.location.replace(x)`, `window.open(x)`, `open(x)`: members the DOM lib declares. */
function isDomMethod(ctx: RuleContext, call: ts.CallExpression, name: string): boolean {
  const target = resolveCall(ctx, call);
  if (!target?.isGlobal || !target.declaration) return false;
  const owner = target.owner ?? (name === 'open' ? 'Window' : undefined);
  return (name === 'open' ? owner === 'Window' : owner === 'Location') && /\/lib\.dom\.d\.ts$/.test(target.declaration.getSourceFile().fileName);
}

/** `location = x`, `window.location = x`, `location.href = x`, `document.location.href = x`. */
function isLocationTarget(ctx: RuleContext, left: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, left);
  const isLocation = (x: ts.Expression) => {
    const symbol = ctx.checker.getTypeAtLocation(x).getSymbol();
    return symbol?.name === 'Location' && (symbol.declarations ?? []).some((d) => /\/lib\.dom\.d\.ts$/.test(d.getSourceFile().fileName));
  };
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'href') return isLocation(e.expression);
  if ((ts.isIdentifier(e) && e.text === 'location') || (ts.isPropertyAccessExpression(e) && e.name.text === 'location')) return isLocation(e);
  return false;
}
