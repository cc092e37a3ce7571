// Server responses whose body a browser renders as HTML: Express/Node `send`/`write`/`end`,
// Fastify `reply.send`, Koa `ctx.body = …`, a Nest handler's returned string and a web
// `new Response(body, { headers })`. A body counts only when the response is HTML: an HTML
// content type set on it, or markup in the text it is built from where the framework then
// serves it as HTML (Express strings, Koa strings that begin with `<`).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { isLibFile, packageOfFile, resolveCall, skipOuter } from '../../shared/callee';
import { isKoaContext, rootOf, serverOf } from '../../shared/responses';
import type { Sink } from '../../taint';
import { contentTypeInObject, contentTypeOf, hasMarkup, startsWithMarkup, type ContentType } from './html-text';

export interface XssSinkData {
  readonly side: 'server' | 'dom';
  /** The assignment to `innerHTML` (for the textContent fix). */
  readonly innerHtml?: ts.BinaryExpression;
}

const SERVER: XssSinkData = { side: 'server' };
const BODY_METHODS = new Set(['send', 'write', 'end']);
const HEADER_METHODS = new Set(['type', 'contentType', 'set', 'header', 'setHeader', 'writeHead']);
const NEST_ROUTES = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All']);

export function serverSinksAt(ctx: RuleContext, node: ts.Node): Sink[] {
  const { ts } = ctx;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && BODY_METHODS.has(node.expression.name.text) && node.arguments.length > 0) return bodyCallSinks(ctx, node);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && node.left.name.text === 'body') return koaBodySinks(ctx, node);
  if (ts.isReturnStatement(node) && node.expression) return nestReturnSinks(ctx, node.expression);
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && (node.expression.text === 'Response' || node.expression.text === 'NextResponse')) return webResponseSinks(ctx, node);
  return [];
}

function bodyCallSinks(ctx: RuleContext, call: ts.CallExpression): Sink[] {
  const { ts } = ctx;
  const callee = call.expression as ts.PropertyAccessExpression;
  const method = callee.name.text;
  const body = call.arguments[0];
  if (ts.isFunctionLike(skipOuter(ts, body))) return [];
  const server = serverOf(ctx, callee.expression);
  if (!server) return [];
  const type = contentTypeBefore(ctx, callee.expression, call);
  const label = `${rootText(ctx, callee.expression)}.${method}`;
  const sink = (): Sink[] => [{ expr: body, label, data: SERVER }];
  if (type === 'html') return sink();
  if (type !== 'none') return [];
  // Fastify serves strings as text/plain unless told otherwise.
  if (server === 'fastify') return [];
  if (hasMarkup(ctx, body)) return sink();
  // Express sends a string body as text/html when no type was set.
  return server === 'express' && method === 'send' && mayBeString(ctx, body) ? sink() : [];
}

/** Koa: `ctx.body = html` is served as text/html when it starts with `<` or `ctx.type` says html. */
function koaBodySinks(ctx: RuleContext, assign: ts.BinaryExpression): Sink[] {
  const left = assign.left as ts.PropertyAccessExpression;
  const owner = skipOuter(ctx.ts, left.expression);
  const context = ctx.ts.isPropertyAccessExpression(owner) && owner.name.text === 'response' ? owner.expression : owner;
  if (!isKoaContext(ctx, context)) return [];
  const type = contentTypeBefore(ctx, context, assign);
  const label = `${rootText(ctx, context)}.body`;
  if (type === 'html' || (type === 'none' && startsWithMarkup(ctx, assign.right))) return [{ expr: assign.right, label, data: SERVER }];
  return [];
}

/** A Nest handler (without `@Res()`) returning markup, or declaring `@Header('Content-Type', 'text/html')`. */
function nestReturnSinks(ctx: RuleContext, value: ts.Expression): Sink[] {
  const { ts } = ctx;
  let fn: ts.Node | undefined = value.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn || !ts.isMethodDeclaration(fn)) return [];
  const decorators = (ts.getDecorators(fn) ?? []).map((d) => d.expression).filter(ts.isCallExpression);
  const named = (name: string) => decorators.find((c) => ts.isIdentifier(c.expression) && c.expression.text === name && resolveCall(ctx, c)?.module === '@nestjs/common');
  if (![...NEST_ROUTES].some(named) || named('Render') || named('Redirect')) return [];
  if (fn.parameters.some((p) => (ts.getDecorators(p) ?? []).some((d) => ts.isCallExpression(d.expression) && ts.isIdentifier(d.expression.expression) && d.expression.expression.text === 'Res'))) return [];
  const header = named('Header');
  const name = header?.arguments[0] && ts.isStringLiteralLike(header.arguments[0]) ? header.arguments[0].text.toLowerCase() : undefined;
  const type: ContentType | 'none' = name === 'content-type' ? contentTypeOf(ctx, header!.arguments[1]) : 'none';
  if (type === 'html' || (type === 'none' && hasMarkup(ctx, value))) return [{ expr: value, label: `return from ${fn.name.getText()}`, data: SERVER }];
  return [];
}

/** `new Response(html, { headers: { 'Content-Type': 'text/html' } })` (the web standard, Next route handlers). */
function webResponseSinks(ctx: RuleContext, call: ts.NewExpression): Sink[] {
  const { ts } = ctx;
  const [body, init] = call.arguments ?? [];
  if (!body) return [];
  const callee = call.expression as ts.Identifier;
  const decl = ctx.checker.getSymbolAtLocation(callee)?.declarations?.[0];
  const file = decl?.getSourceFile().fileName ?? '';
  const known = isLibFile(file) || packageOfFile(file) === 'next' || packageOfFile(file) === 'undici-types' || (!decl && callee.text === 'Response');
  if (!known || contentTypeInObject(ctx, init) !== 'html') return [];
  return ts.isFunctionLike(body) ? [] : [{ expr: body, label: `new ${callee.text}`, data: SERVER }];
}

/**
 * The content type set on the response before `at`: in the call chain (`res.type('html').send(…)`)
 * or by an earlier statement of the same function on the same object. 'none' when nothing sets it.
 */
function contentTypeBefore(ctx: RuleContext, receiver: ts.Expression, at: ts.Node): ContentType | 'none' {
  const { ts } = ctx;
  const found: ContentType[] = [];
  for (let e = skipOuter(ts, receiver); ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression); e = skipOuter(ts, e.expression.expression)) {
    const t = headerCallType(ctx, e);
    if (t) found.push(t);
  }
  const root = rootOf(ctx, receiver);
  const symbol = root && ctx.checker.getSymbolAtLocation(root);
  let fn: ts.Node | undefined = at.parent;
  while (fn && !ts.isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
  const sameObject = (e: ts.Expression) => {
    const r = rootOf(ctx, e);
    return !!r && !!symbol && ctx.checker.getSymbolAtLocation(r) === symbol;
  };
  const visit = (n: ts.Node): void => {
    if (n.pos >= at.pos) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && sameObject(n.expression.expression)) {
      const t = headerCallType(ctx, n);
      if (t) found.push(t);
    }
    // Koa: `ctx.type = 'html'`, `ctx.response.type = …`.
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && n.left.name.text === 'type' && sameObject(n.left.expression)) found.push(contentTypeOf(ctx, n.right));
    ts.forEachChild(n, visit);
  };
  if (fn && symbol) visit(fn);
  if (found.includes('html')) return 'html';
  if (found.includes('unknown')) return 'unknown';
  return found.includes('other') ? 'other' : 'none';
}

/** What a `type`/`set`/`setHeader`/`header`/`writeHead` call sets the content type to, if it does. */
function headerCallType(ctx: RuleContext, call: ts.CallExpression): ContentType | undefined {
  const { ts } = ctx;
  const method = (call.expression as ts.PropertyAccessExpression).name.text;
  if (!HEADER_METHODS.has(method)) return undefined;
  const args = call.arguments;
  if (method === 'type' || method === 'contentType') return contentTypeOf(ctx, args[0]);
  if (method === 'writeHead') return contentTypeInObject(ctx, args[args.length - 1]);
  const name = args[0] && ts.isStringLiteralLike(skipOuter(ts, args[0])) ? (skipOuter(ts, args[0]) as ts.StringLiteral).text.toLowerCase() : undefined;
  if (name === 'content-type') return contentTypeOf(ctx, args[1]);
  return args.length === 1 ? contentTypeInObject(ctx, args[0]) : undefined;
}

function rootText(ctx: RuleContext, e: ts.Expression): string {
  return rootOf(ctx, e)?.text ?? 'res';
}

/** The checker says the value is, or may be, a string (not `any`: a parsed JSON body is sent as JSON). */
function mayBeString(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const type = ctx.checker.getTypeAtLocation(e);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
  return (type.isUnion() ? type.types : [type]).some((t) => !!(t.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral | ts.TypeFlags.TemplateLiteral)));
}
