// Request data of the server frameworks: Express/Fastify/Next pages (through the shared
// request recognition), Koa's context, Next app-router `Request`s and Nest's decorated
// parameters. Decided by what the value's type or its handler is, never by its name.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { findRouteHandlers, isRequestObject, requestPartOf } from '../../shared/http';
import { shortText } from '../../shared/source-text';
import { hasGlobalValidationPipe, isValidatedDtoClass } from '../../shared/validation-libs';
import type { TaintSource } from '../types';

const NEST_PARTS: Readonly<Record<string, string>> = { Body: 'body', Query: 'query', Param: 'params', Headers: 'headers', UploadedFile: 'files', UploadedFiles: 'files' };
/** Request members that carry what the client sent, beyond the parts (`req.originalUrl`). */
const URL_MEMBERS = new Set(['url', 'originalUrl', 'path', 'querystring', 'search', 'href']);
/** Express/Koa methods that read a header, cookie or parameter. */
const READ_METHODS: Readonly<Record<string, string>> = { get: 'headers', header: 'headers', param: 'params' };
const KOA_PACKAGES = ['koa', '@koa/router', 'koa-router'];
const KOA_PARTS: Readonly<Record<string, string>> = { body: 'body', query: 'query', params: 'params', headers: 'headers', header: 'headers', files: 'files', file: 'files', request: 'request' };
/** Web `Request` members (Next app router) → the part they read. */
const WEB_REQUEST_PARTS: Readonly<Record<string, string>> = { json: 'body', formData: 'body', text: 'body', body: 'body', nextUrl: 'query', url: 'url', headers: 'headers', cookies: 'cookies' };

export function requestSource(ctx: RuleContext, e: ts.Expression): TaintSource | undefined {
  return expressLike(ctx, e) ?? koa(ctx, e) ?? webRequest(ctx, e);
}

function source(ctx: RuleContext, e: ts.Node, part: string, validated = false): TaintSource {
  return { kind: 'request', label: shortText(ctx, e), node: e, part, validated };
}

/** `req.body.x`, `req.query`, `req.get('x-forwarded-host')`, `req.originalUrl`. */
function expressLike(ctx: RuleContext, e: ts.Expression): TaintSource | undefined {
  const { ts } = ctx;
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const part = requestPartOf(ctx, e);
    if (part) return source(ctx, e, part);
    if (ts.isPropertyAccessExpression(e) && URL_MEMBERS.has(e.name.text) && isRequestObject(ctx, e.expression)) return source(ctx, e, 'url');
    return nodeHttp(ctx, e);
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
    const part = READ_METHODS[e.expression.name.text];
    if (part && isRequestObject(ctx, e.expression.expression)) return source(ctx, e, part);
  }
  return undefined;
}

/** node:http's `IncomingMessage` (a plain `createServer` handler): `req.url`, `req.headers.host`. */
function nodeHttp(ctx: RuleContext, e: ts.PropertyAccessExpression | ts.ElementAccessExpression): TaintSource | undefined {
  const { ts } = ctx;
  let x: ts.Expression = e;
  while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) {
    const inner = skipOuter(ts, x.expression);
    if (ts.isPropertyAccessExpression(x) && (x.name.text === 'url' || x.name.text === 'headers' || x.name.text === 'rawHeaders') && isIncomingMessage(ctx, inner)) {
      return source(ctx, e, x.name.text === 'url' ? 'url' : 'headers');
    }
    x = inner;
  }
  return undefined;
}

function isIncomingMessage(ctx: RuleContext, e: ts.Expression): boolean {
  const symbol = ctx.checker.getTypeAtLocation(e).getSymbol();
  return symbol?.name === 'IncomingMessage' && (symbol.declarations ?? []).some((d) => d.getSourceFile().fileName.includes('/@types/node/'));
}

function declaredIn(ctx: RuleContext, type: ts.Type, packages: readonly string[]): boolean {
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  return (symbol?.declarations ?? []).some((d) => {
    const file = d.getSourceFile().fileName;
    return packages.some((p) => file.includes(`/node_modules/${p}/`) || file.includes(`/node_modules/@types/${p.replace('@', '').replace('/', '__')}/`));
  });
}

function isKoaContext(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (!ts.isIdentifier(x) && !ts.isPropertyAccessExpression(x)) return false;
  const type = ctx.checker.getTypeAtLocation(x);
  const parts = type.isIntersection() ? type.types : [type];
  return parts.some((t) => declaredIn(ctx, t, KOA_PACKAGES));
}

/** `ctx.request.body`, `ctx.query.q`, `ctx.params.id`, `ctx.get('host')`, `ctx.cookies.get('sid')`. */
function koa(ctx: RuleContext, e: ts.Expression): TaintSource | undefined {
  const { ts } = ctx;
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
    const recv = skipOuter(ts, e.expression.expression);
    const name = e.expression.name.text;
    if (name === 'get' && isKoaContext(ctx, recv)) return source(ctx, e, 'headers');
    if (name === 'get' && ts.isPropertyAccessExpression(recv) && recv.name.text === 'cookies' && isKoaContext(ctx, recv.expression)) return source(ctx, e, 'cookies');
    return undefined;
  }
  // Walk down to the member read right on the context (or on ctx.request).
  let x: ts.Expression = e;
  while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) {
    const inner = skipOuter(ts, x.expression);
    if (ts.isPropertyAccessExpression(x) && isKoaContext(ctx, inner)) {
      const name = x.name.text;
      if (URL_MEMBERS.has(name)) return source(ctx, e, 'url');
      const part = KOA_PARTS[name];
      // `ctx.request` alone is the whole request object, not data; its members are.
      if (part && part !== 'request') return source(ctx, e, part);
      return undefined;
    }
    x = inner;
  }
  return undefined;
}

/** The app-router handler's `Request`/`NextRequest`: `await request.json()`, `request.nextUrl.searchParams.get('q')`, `request.headers.get('x')`. */
function webRequest(ctx: RuleContext, e: ts.Expression): TaintSource | undefined {
  const { ts } = ctx;
  let x: ts.Expression = e;
  for (;;) {
    if (ts.isCallExpression(x)) x = skipOuter(ts, x.expression);
    else if (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) {
      const inner = skipOuter(ts, x.expression);
      if (ts.isPropertyAccessExpression(x) && isWebRequest(ctx, inner)) {
        const part = WEB_REQUEST_PARTS[x.name.text];
        return part ? source(ctx, e, part) : undefined;
      }
      x = inner;
    } else return undefined;
  }
}

function isWebRequest(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (!ts.isIdentifier(e)) return false;
  const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
  if (decl && ts.isParameter(decl) && findRouteHandlers(ctx).some((h) => h.framework === 'next' && h.request === decl)) return true;
  return declaredIn(ctx, ctx.checker.getTypeAtLocation(e), ['next']) && ctx.checker.typeToString(ctx.checker.getTypeAtLocation(e)) === 'NextRequest';
}

/**
 * A parameter that is request data by itself: Nest's `@Body() dto`, `@Query('q') q`, and the
 * `params` of a Next app-router handler's second argument (`{ params }`).
 */
export function requestParameterSource(ctx: RuleContext, param: ts.ParameterDeclaration | ts.BindingElement): TaintSource | undefined {
  const { ts } = ctx;
  if (ts.isBindingElement(param)) return nextParams(ctx, param);
  for (const decorator of ts.getDecorators(param) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) continue;
    const part = NEST_PARTS[call.expression.text];
    if (!part || resolveCall(ctx, call)?.module !== '@nestjs/common') continue;
    return { kind: 'request', label: `${decorator.getText()} ${param.name.getText()}`, node: param, part, validated: isValidatedDto(ctx, param) };
  }
  return undefined;
}

/** A class-validator DTO that a ValidationPipe checks: its shape and types are enforced. */
function isValidatedDto(ctx: RuleContext, param: ts.ParameterDeclaration): boolean {
  const { ts } = ctx;
  if (!param.type) return false;
  const cls = ctx.checker.getTypeAtLocation(param.type).getSymbol()?.declarations?.find(ts.isClassDeclaration);
  return !!cls && isValidatedDtoClass(ctx, cls) === true && hasGlobalValidationPipe(ctx);
}

/** `export async function GET(req, { params })`: the dynamic segments of the URL. */
function nextParams(ctx: RuleContext, element: ts.BindingElement): TaintSource | undefined {
  const { ts } = ctx;
  const pattern = element.parent;
  const param = pattern.parent;
  if (!ts.isObjectBindingPattern(pattern) || !ts.isParameter(param)) return undefined;
  const key = (element.propertyName ?? element.name).getText();
  if (key !== 'params' && key !== 'searchParams') return undefined;
  const fn = param.parent;
  const handler = findRouteHandlers(ctx).find((h) => h.framework === 'next' && h.fn === fn);
  if (!handler || fn.parameters.indexOf(param) !== 1) return undefined;
  return { kind: 'request', label: element.name.getText(), node: element, part: key === 'params' ? 'params' : 'query' };
}

