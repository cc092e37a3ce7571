// The routes a file registers, as the endpoint inventory sees them (full paths, control
// cells) joined back to their syntax (the registering call or decorator, the handler,
// the route's own middleware or guards, the router or controller it belongs to). The
// inventory answers with plain data for the report; rules need the nodes to report on
// and to fix, so both views are matched here by position.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { collectEndpoints } from '../inventory/endpoints';
import { koaRoutes } from '../inventory/koa';
import { handlerLocation, locationOf } from '../inventory/location';
import { receiverDeclaration } from '../inventory/mounts';
import type { Endpoint, EndpointFramework, SourceLocation } from '../inventory/types';
import { skipOuter } from './callee';
import { findRouteHandlers } from './http';

const FASTIFY_BEFORE_HOOKS = new Set(['onRequest', 'preParsing', 'preValidation', 'preHandler']);
const APP_ROUTE_FILE = /\/app\/(?:.*\/)?route\.[cm]?[jt]sx?$/;

export interface FileRoute {
  readonly framework: EndpointFramework;
  /** Upper case, as the inventory gives it. */
  readonly method: string;
  /** The first endpoint's full path (prefixes applied), or `(dynamic)`. */
  readonly path: string;
  /** The path written at the registration (relative to its router), when literal. */
  readonly localPath?: string;
  /** Every endpoint of this registration and handler (one per mount context). */
  readonly endpoints: readonly Endpoint[];
  /** The registering call, decorator or exported declaration. */
  readonly registration: ts.Node;
  readonly fn: ts.FunctionLikeDeclaration;
  /** Middleware, hooks or guards written on this route itself (not on its router or controller). */
  readonly ownMiddleware: readonly ts.Expression[];
  /** The router/app/plugin instance declaration, or the Nest controller class: routes sharing it are siblings. */
  readonly owner?: ts.Node;
  /** A Next app-router handler (its request is a web Request). */
  readonly webRequest: boolean;
}

const cache = new WeakMap<ts.Program, WeakMap<ts.SourceFile, FileRoute[]>>();

export function routesOfFile(ctx: RuleContext): FileRoute[] {
  let byFile = cache.get(ctx.program);
  if (!byFile) cache.set(ctx.program, (byFile = new WeakMap()));
  let found = byFile.get(ctx.sourceFile);
  if (!found) byFile.set(ctx.sourceFile, (found = build(ctx)));
  return found;
}

interface Candidate {
  readonly registration: ts.Node;
  readonly fn: ts.FunctionLikeDeclaration;
  readonly localPath?: string;
  readonly ownMiddleware: readonly ts.Expression[];
  readonly owner?: ts.Node;
}

function build(ctx: RuleContext): FileRoute[] {
  const endpoints = collectEndpoints(ctx);
  if (!endpoints.length) return [];
  const candidates = [...handlerCandidates(ctx), ...koaCandidates(ctx)];
  const byKey = new Map<string, { c: Candidate; endpoints: Endpoint[] }>();
  for (const c of candidates) byKey.set(key(locationOf(c.registration), handlerLocation(ctx, c.fn)), { c, endpoints: [] });
  const order: { c: Candidate; endpoints: Endpoint[]; method: string }[] = [];
  for (const e of endpoints) {
    if (e.registration.fileName !== ctx.fileName) continue;
    const entry = byKey.get(key(e.registration, e.handler));
    if (!entry) continue;
    // Fastify's `route({ method: ['GET', 'POST'] })` gives one endpoint per method: one route each.
    const same = order.find((o) => o.c === entry.c && o.method === e.method);
    if (same) same.endpoints.push(e);
    else order.push({ c: entry.c, endpoints: [e], method: e.method });
  }
  return order.map(({ c, endpoints: eps, method }) => ({
    framework: eps[0].framework,
    method,
    path: eps[0].path,
    localPath: c.localPath,
    endpoints: eps,
    registration: c.registration,
    fn: c.fn,
    ownMiddleware: c.ownMiddleware,
    owner: c.owner,
    webRequest: eps[0].framework === 'next' && APP_ROUTE_FILE.test(ctx.fileName),
  }));
}

function key(registration: SourceLocation, handler: SourceLocation): string {
  const r = registration.range.start;
  const h = handler.range.start;
  return `${registration.fileName}:${r.line}:${r.character}|${handler.fileName}:${h.line}:${h.character}`;
}

function handlerCandidates(ctx: RuleContext): Candidate[] {
  const { ts } = ctx;
  return findRouteHandlers(ctx).map((h) => {
    if (h.framework === 'nest' && ts.isMethodDeclaration(h.fn)) {
      return { registration: h.registration, fn: h.fn, localPath: h.path, ownMiddleware: nestMethodGuards(ctx, h.fn), owner: h.fn.parent };
    }
    const call = h.registration;
    const owner = ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) ? receiverDeclaration(ctx, call.expression.expression) : undefined;
    const own = [...(h.middleware ?? []), ...fastifyHooks(ctx, h.framework === 'fastify' ? h.routeOptions : undefined)];
    return { registration: h.registration, fn: h.fn, localPath: h.path, ownMiddleware: own, owner };
  });
}

function koaCandidates(ctx: RuleContext): Candidate[] {
  return koaRoutes(ctx).map((r) => ({
    registration: r.call,
    fn: r.fn,
    localPath: r.path,
    ownMiddleware: r.middleware,
    owner: receiverDeclaration(ctx, (r.call.expression as ts.PropertyAccessExpression).expression),
  }));
}

/** `{ onRequest: [fastify.authenticate] }` of a Fastify route's options. */
function fastifyHooks(ctx: RuleContext, options: ts.ObjectLiteralExpression | undefined): ts.Expression[] {
  const { ts } = ctx;
  const out: ts.Expression[] = [];
  for (const p of options?.properties ?? []) {
    if (!ts.isPropertyAssignment(p) || !FASTIFY_BEFORE_HOOKS.has(p.name.getText())) continue;
    const v = skipOuter(ts, p.initializer);
    if (ts.isArrayLiteralExpression(v)) out.push(...v.elements.filter((e) => !ts.isSpreadElement(e)));
    else out.push(p.initializer);
  }
  return out;
}

/** The arguments of `@UseGuards(…)` written on the method itself. */
function nestMethodGuards(ctx: RuleContext, method: ts.MethodDeclaration): ts.Expression[] {
  return nestDecoratorCalls(ctx, method)
    .filter((c) => c.name === 'UseGuards')
    .flatMap((c) => [...(c.call?.arguments ?? [])]);
}

export interface DecoratorCall {
  readonly name: string;
  /** Undefined for a decorator written without a call (`@Public`). */
  readonly call?: ts.CallExpression;
  readonly decorator: ts.Decorator;
}

/** The decorators of a class or method, by the name they are written with (`@UseGuards(…)`, `@Public()`). */
export function nestDecoratorCalls(ctx: RuleContext, node: ts.HasDecorators): DecoratorCall[] {
  const { ts } = ctx;
  const out: DecoratorCall[] = [];
  for (const decorator of ts.getDecorators(node) ?? []) {
    const e = decorator.expression;
    const call = ts.isCallExpression(e) ? e : undefined;
    const callee = call ? skipOuter(ts, call.expression) : e;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (name) out.push({ name, call, decorator });
  }
  return out;
}

/** The node a route finding sits on: the path literal of a call, the decorator, the exported handler's name. */
export function reportNode(ctx: RuleContext, route: FileRoute): ts.Node {
  const { ts } = ctx;
  const r = route.registration;
  if (ts.isCallExpression(r)) {
    const path = r.arguments.find((a) => ts.isStringLiteralLike(skipOuter(ts, a)));
    return path ?? r.expression;
  }
  if ((ts.isFunctionDeclaration(r) && r.name)) return r.name;
  if (ts.isVariableStatement(r)) return r.declarationList.declarations[0]?.name ?? r;
  return r;
}

/** `POST /auth/login`, for messages. */
export function routeLabel(route: FileRoute): string {
  return `${route.method} ${route.path}`;
}
