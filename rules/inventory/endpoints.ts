// The endpoint inventory of one file: every HTTP route whose registration is in it
// (Express, Fastify, Koa, Nest, Next), with its method, full path, where it is
// registered and handled, and the controls the inventory can see. The engine runs
// it after the rules of an audit; the report's endpoint matrix is built from it.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { findRouteHandlers, HTTP_METHODS, type RouteHandler } from '../shared/http';
import { appWide } from './app-wide';
import { controlsOf, HandlerCells, type RouteEntry } from './controls';
import { koaRoutes } from './koa';
import { handlerLocation, locationOf } from './location';
import { receiverDeclaration, routeContexts, routerPrefix } from './mounts';
import { nestFacts } from './nest';
import { DYNAMIC_PATH, joinPaths, nextRoutePath } from './route-path';
import type { Endpoint } from './types';

const FASTIFY_HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'];
const ROUTE_CALLS = new Set<string>([...HTTP_METHODS, 'del', 'route']);
const APP_ROUTE_FILE = /\/app\/(?:.*\/)?route\.[cm]?[jt]sx?$/;
const PAGES_API_FILE = /\/pages\/api\//;
const cache = new WeakMap<ts.Program, WeakMap<ts.SourceFile, Endpoint[]>>();

export function collectEndpoints(ctx: RuleContext): Endpoint[] {
  if (!mayRegisterRoutes(ctx)) return [];
  let byFile = cache.get(ctx.program);
  if (!byFile) cache.set(ctx.program, (byFile = new WeakMap()));
  let found = byFile.get(ctx.sourceFile);
  if (!found) {
    found = build(ctx);
    byFile.set(ctx.sourceFile, found);
  }
  return found;
}

function build(ctx: RuleContext): Endpoint[] {
  const handlers = findRouteHandlers(ctx);
  const entries = [...expressAndFastify(ctx, handlers), ...nest(ctx, handlers), ...next(ctx, handlers), ...koa(ctx)];
  const cells = new HandlerCells(ctx);
  return entries.map((e) => {
    if (ctx.isCancellationRequested()) throw new ctx.ts.OperationCanceledException();
    return {
      framework: e.framework,
      method: e.method,
      path: e.path,
      registration: locationOf(e.registration),
      handler: handlerLocation(ctx, e.fn),
      controls: controlsOf(ctx, e, cells.of(e)),
    };
  });
}

/** A syntactic first look: a route method call, a decorated class or a Next route file. */
function mayRegisterRoutes(ctx: RuleContext): boolean {
  const { ts } = ctx;
  if (APP_ROUTE_FILE.test(ctx.fileName) || PAGES_API_FILE.test(ctx.fileName)) return true;
  const visit = (n: ts.Node): boolean => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ROUTE_CALLS.has(n.expression.name.text)) return true;
    if (ts.isClassDeclaration(n) && ts.getDecorators(n)?.length) return true;
    return ts.forEachChild(n, visit) ?? false;
  };
  return visit(ctx.sourceFile);
}

/** The function answers requests itself: not a middleware, an app-wide `use` or an Express error handler. */
function isEndpoint(h: RouteHandler): boolean {
  if (h.method === 'use' || h.terminal === false) return false;
  return !(h.framework === 'express' && h.fn.parameters.length === 4);
}

function expressAndFastify(ctx: RuleContext, handlers: readonly RouteHandler[]): RouteEntry[] {
  const { ts } = ctx;
  const out: RouteEntry[] = [];
  for (const h of handlers) {
    if ((h.framework !== 'express' && h.framework !== 'fastify') || !isEndpoint(h) || !ts.isCallExpression(h.registration)) continue;
    const call = h.registration;
    const receiver = ts.isPropertyAccessExpression(call.expression) ? receiverDeclaration(ctx, call.expression.expression) : undefined;
    const local = h.path ?? DYNAMIC_PATH;
    const own = [...(h.middleware ?? []), ...fastifyHooks(ctx, h.routeOptions)];
    const limit = h.routeOptions && configRateLimit(ctx, h.routeOptions);
    for (const c of routeContexts(ctx, receiver, call, local)) {
      for (const method of methodsOf(ctx, h)) {
        out.push({ framework: h.framework, method, path: joinPaths(c.prefix, local), registration: call, fn: h.fn, webRequest: false, before: [...c.before, ...own], fastifyRouteLimit: limit });
      }
    }
  }
  return out;
}

/** GET for `app.get`; Fastify's `route({ method: ['GET', 'HEAD'] })` gives one per method. */
function methodsOf(ctx: RuleContext, h: RouteHandler): string[] {
  const { ts } = ctx;
  if (h.method && h.method !== 'route') return [h.method.toUpperCase()];
  const prop = h.routeOptions?.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'method');
  const value = prop && skipOuter(ts, prop.initializer);
  if (value && ts.isArrayLiteralExpression(value) && value.elements.every(ts.isStringLiteralLike)) return value.elements.map((e) => (e as ts.StringLiteralLike).text.toUpperCase());
  return ['ALL'];
}

/** Fastify route options' hooks that run before the handler: `{ preHandler: [auth] }`. */
function fastifyHooks(ctx: RuleContext, options: ts.ObjectLiteralExpression | undefined): ts.Expression[] {
  const { ts } = ctx;
  if (!options) return [];
  const out: ts.Expression[] = [];
  for (const p of options.properties) {
    if (!ts.isPropertyAssignment(p) || !FASTIFY_HOOKS.includes(p.name.getText())) continue;
    const v = skipOuter(ts, p.initializer);
    if (ts.isArrayLiteralExpression(v)) out.push(...v.elements.filter((e) => !ts.isSpreadElement(e)));
    else out.push(p.initializer);
  }
  return out;
}

/** `config: { rateLimit: { max: 5 } }` of a Fastify route. */
function configRateLimit(ctx: RuleContext, options: ts.ObjectLiteralExpression): ts.Node | undefined {
  const { ts } = ctx;
  const config = options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'config');
  const o = config && skipOuter(ts, config.initializer);
  if (!o || !ts.isObjectLiteralExpression(o)) return undefined;
  const limit = o.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'rateLimit');
  return limit && skipOuter(ts, limit.initializer).kind !== ts.SyntaxKind.FalseKeyword ? limit : undefined;
}

function nest(ctx: RuleContext, handlers: readonly RouteHandler[]): RouteEntry[] {
  const { ts } = ctx;
  const out: RouteEntry[] = [];
  for (const h of handlers) {
    if (h.framework !== 'nest' || !ts.isMethodDeclaration(h.fn)) continue;
    const facts = nestFacts(ctx, h.fn);
    const path = joinPaths(appWide(ctx).nestGlobalPrefix ?? '', facts.prefix, h.path ?? '');
    out.push({ framework: 'nest', method: (h.method ?? 'all').toUpperCase(), path, registration: h.registration, fn: h.fn, webRequest: false, before: facts.guards, nest: facts });
  }
  return out;
}

function next(ctx: RuleContext, handlers: readonly RouteHandler[]): RouteEntry[] {
  const routes = handlers.filter((h) => h.framework === 'next');
  if (!routes.length) return [];
  const path = nextRoutePath(ctx, ctx.fileName) ?? DYNAMIC_PATH;
  // App-router handlers take a web Request; pages-router ones Node's request and response.
  const webRequest = APP_ROUTE_FILE.test(ctx.fileName);
  return routes.map((h) => ({ framework: 'next', method: (h.method ?? 'all').toUpperCase(), path, registration: h.registration, fn: h.fn, webRequest, before: [] }));
}

function koa(ctx: RuleContext): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const r of koaRoutes(ctx)) {
    const receiver = receiverDeclaration(ctx, (r.call.expression as ts.PropertyAccessExpression).expression);
    const own = routerPrefix(ctx, receiver);
    for (const c of routeContexts(ctx, receiver, r.call, r.path)) {
      out.push({ framework: 'koa', method: r.method, path: joinPaths(c.prefix, own, r.path), registration: r.call, fn: r.fn, webRequest: false, before: [...c.before, ...r.middleware] });
    }
  }
  return out;
}
