// Which parts of the request a handler reads — the validation column only applies
// when it reads some. Express/Fastify/Next pages: `req.body`, `req.query.page`,
// destructuring, `req.get('x')`. Next app router: `await request.json()`,
// `request.nextUrl.searchParams`, the `params` of its context, `headers()`/`cookies()`
// of next/headers. Koa: `ctx.request.body`, `ctx.query`, `ctx.params`. Nest: the
// parameter decorators (`@Body()`, `@Query()`, …).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, skipOuter } from '../shared/callee';
import { requestPartNamed, requestPartOf, type RequestPart } from '../shared/http';
import type { EndpointFramework } from './types';

const PART_ORDER: readonly RequestPart[] = ['body', 'query', 'params', 'headers', 'cookies', 'files'];
const NEST_PARTS: Readonly<Record<string, RequestPart>> = { Body: 'body', Query: 'query', Param: 'params', Headers: 'headers', UploadedFile: 'files', UploadedFiles: 'files' };
const WEB_BODY_READERS = new Set(['json', 'formData', 'text', 'arrayBuffer', 'blob']);
const KOA_PARTS: Readonly<Record<string, RequestPart>> = { query: 'query', querystring: 'query', params: 'params', headers: 'headers', header: 'headers', cookies: 'cookies', get: 'headers' };
const KOA_REQUEST_PARTS: Readonly<Record<string, RequestPart>> = { body: 'body', query: 'query', querystring: 'query', headers: 'headers', header: 'headers', files: 'files', file: 'files', get: 'headers' };

export interface HandlerShape {
  readonly framework: EndpointFramework;
  readonly fn: ts.FunctionLikeDeclaration;
  /** True for a Next app-router handler (a web Request), false for a pages-router one. */
  readonly webRequest: boolean;
}

/** The request parts `fn` reads, in a stable order. */
export function requestPartsRead(ctx: RuleContext, h: HandlerShape): RequestPart[] {
  const parts = new Set<RequestPart>();
  if (h.framework === 'nest') nestParts(ctx, h.fn, parts);
  else if (h.framework === 'koa') koaParts(ctx, h.fn, parts);
  else if (h.webRequest) webParts(ctx, h.fn, parts);
  else nodeParts(ctx, h.fn, parts);
  return PART_ORDER.filter((p) => parts.has(p));
}

function symbolOfParam(ctx: RuleContext, p: ts.ParameterDeclaration | undefined): ts.Symbol | undefined {
  return p && ctx.ts.isIdentifier(p.name) ? ctx.checker.getSymbolAtLocation(p.name) : undefined;
}

/** Keys of `{ body, query: { page } }` binding patterns. */
function bindingKeys(ts: RuleContext['ts'], pattern: ts.BindingName): string[] {
  if (!ts.isObjectBindingPattern(pattern)) return [];
  return pattern.elements.map((el) => (el.propertyName ?? el.name).getText().replace(/^['"]|['"]$/g, ''));
}

/** Walks `fn`, calling `onUse` for each use of `target` (member name or undefined) and each destructuring of it. */
function usesOf(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, target: ts.Symbol, onUse: (member: string | undefined, node: ts.Node) => void): void {
  const { ts } = ctx;
  const name = target.getName();
  const visit = (n: ts.Node): void => {
    // The name first: asking the checker about every identifier of a handler is what costs.
    if (ts.isIdentifier(n) && n.text === name && ctx.checker.getSymbolAtLocation(n) === target) {
      let outer: ts.Node = n;
      while (ts.isParenthesizedExpression(outer.parent) || ts.isNonNullExpression(outer.parent) || ts.isAsExpression(outer.parent)) outer = outer.parent;
      const p = outer.parent;
      if (ts.isPropertyAccessExpression(p) && p.expression === outer) onUse(p.name.text, p);
      else if (ts.isElementAccessExpression(p) && p.expression === outer && ts.isStringLiteralLike(p.argumentExpression)) onUse(p.argumentExpression.text, p);
      else if (ts.isVariableDeclaration(p) && p.initializer === outer) bindingKeys(ts, p.name).forEach((k) => onUse(k, p));
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
}

function nodeParts(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, parts: Set<RequestPart>): void {
  const { ts } = ctx;
  const req = fn.parameters.length === 4 ? fn.parameters[1] : fn.parameters[0];
  if (!req) return;
  if (ts.isObjectBindingPattern(req.name)) {
    for (const k of bindingKeys(ts, req.name)) addPart(parts, requestPartNamed(k));
    return;
  }
  const symbol = symbolOfParam(ctx, req);
  if (!symbol) return;
  usesOf(ctx, fn, symbol, (member, node) => {
    if (member === 'get' || member === 'header') parts.add('headers');
    // requestPartOf confirms the object is a request (by its handler or its declared type).
    else if (ts.isPropertyAccessExpression(node)) addPart(parts, requestPartOf(ctx, node));
    else addPart(parts, requestPartNamed(member ?? ''));
  });
}

function koaParts(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, parts: Set<RequestPart>): void {
  const { ts } = ctx;
  const symbol = symbolOfParam(ctx, fn.parameters[0]);
  if (!symbol) return;
  usesOf(ctx, fn, symbol, (member, node) => {
    if (member !== 'request') return addPart(parts, member ? KOA_PARTS[member] : undefined);
    // ctx.request.body, const { body } = ctx.request
    const p = node.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === node) addPart(parts, KOA_REQUEST_PARTS[p.name.text]);
    else if (ts.isVariableDeclaration(p) && p.initializer === node) bindingKeys(ts, p.name).forEach((k) => addPart(parts, KOA_REQUEST_PARTS[k]));
  });
}

function webParts(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, parts: Set<RequestPart>): void {
  const { ts } = ctx;
  const [request, context] = fn.parameters;
  const requestSymbol = symbolOfParam(ctx, request);
  if (requestSymbol) {
    usesOf(ctx, fn, requestSymbol, (member) => {
      if (member && WEB_BODY_READERS.has(member)) parts.add('body');
      else if (member === 'nextUrl' || member === 'url') parts.add('query');
      else if (member === 'headers') parts.add('headers');
      else if (member === 'cookies') parts.add('cookies');
    });
  }
  // (request, { params }) or (request, context) → context.params
  if (context && ts.isObjectBindingPattern(context.name)) {
    if (bindingKeys(ts, context.name).includes('params')) parts.add('params');
  } else {
    const contextSymbol = symbolOfParam(ctx, context);
    if (contextSymbol) usesOf(ctx, fn, contextSymbol, (member) => member === 'params' && parts.add('params'));
  }
  // headers() / cookies() of next/headers
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(skipOuter(ts, n.expression))) {
      const origin = originOf(ctx, n.expression);
      const name = origin?.exportPath[origin.exportPath.length - 1];
      if (origin?.module === 'next' && (name === 'headers' || name === 'cookies')) parts.add(name);
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
}

function nestParts(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, parts: Set<RequestPart>): void {
  const { ts } = ctx;
  for (const param of fn.parameters) {
    for (const decorator of ts.getDecorators(param) ?? []) {
      const call = decorator.expression;
      if (!ts.isCallExpression(call)) continue;
      const origin = originOf(ctx, call.expression);
      if (origin?.module !== '@nestjs/common') continue;
      const name = origin.exportPath[origin.exportPath.length - 1] ?? '';
      if (NEST_PARTS[name]) parts.add(NEST_PARTS[name]);
      // @Req() req: whatever the method reads of it.
      if ((name === 'Req' || name === 'Request') && ts.isIdentifier(param.name)) {
        const symbol = ctx.checker.getSymbolAtLocation(param.name);
        if (symbol) usesOf(ctx, fn, symbol, (member) => addPart(parts, requestPartNamed(member ?? '')));
      }
    }
  }
}

function addPart(parts: Set<RequestPart>, part: RequestPart | undefined): void {
  if (part) parts.add(part);
}
