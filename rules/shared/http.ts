// Where HTTP requests enter the code: route handlers of Express, Fastify, Nest and
// Next, their request parameter, and reads of request data (body, query, params,
// headers, cookies). Shared by every rule that asks "is this reachable from a
// request?" — found through what the registering call resolves to, not names.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, resolveCall, skipOuter } from './callee';

export type Framework = 'express' | 'fastify' | 'nest' | 'next';

export type RequestPart = 'body' | 'query' | 'params' | 'headers' | 'cookies' | 'files';

export interface RouteHandler {
  readonly framework: Framework;
  /** The function that handles the request (its body is where the request is used). */
  readonly fn: ts.FunctionLikeDeclaration;
  /** 'get', 'post', … ('use' for middleware); undefined when not known. */
  readonly method?: string;
  readonly path?: string;
  /** The registering call or decorator. */
  readonly registration: ts.Node;
  readonly request?: ts.ParameterDeclaration;
  readonly response?: ts.ParameterDeclaration;
  readonly next?: ts.ParameterDeclaration;
}

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'all', 'options', 'head'] as const;
const EXPRESS_MODULES = ['express', 'express-serve-static-core'];
const NEST_METHOD_DECORATORS: Record<string, string> = { Get: 'get', Post: 'post', Put: 'put', Patch: 'patch', Delete: 'delete', All: 'all', Options: 'options', Head: 'head' };

const cache = new WeakMap<ts.SourceFile, RouteHandler[]>();

/** Every route handler defined or registered in the file under analysis. */
export function findRouteHandlers(ctx: RuleContext): readonly RouteHandler[] {
  let found = cache.get(ctx.sourceFile);
  if (!found) {
    found = [...expressAndFastifyHandlers(ctx), ...nestHandlers(ctx), ...nextHandlers(ctx)];
    cache.set(ctx.sourceFile, found);
  }
  return found;
}

/** The handler whose body contains `node`, if any. */
export function enclosingHandler(ctx: RuleContext, node: ts.Node): RouteHandler | undefined {
  const handlers = findRouteHandlers(ctx);
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    const h = handlers.find((x) => x.fn === n);
    if (h) return h;
  }
  return undefined;
}

function functionOf(ctx: RuleContext, arg: ts.Expression): ts.FunctionLikeDeclaration | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, arg);
  if (ts.isFunctionExpression(e) || ts.isArrowFunction(e)) return e;
  if (ts.isIdentifier(e)) {
    let symbol = ctx.checker.getSymbolAtLocation(e);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
    const decl = symbol?.declarations?.[0];
    if (decl && ts.isFunctionDeclaration(decl) && decl.body) return decl;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) {
      const init = skipOuter(ts, decl.initializer);
      if (ts.isFunctionExpression(init) || ts.isArrowFunction(init)) return init;
    }
  }
  return undefined;
}

function frameworkOfRegistration(ctx: RuleContext, call: ts.CallExpression): Framework | undefined {
  const target = resolveCall(ctx, call);
  if (target?.module && EXPRESS_MODULES.includes(target.module)) return 'express';
  if (target?.module === 'fastify') return 'fastify';
  if (target) return undefined;
  // No declaration found (plain JS): ask where the receiver came from.
  if (!ctx.ts.isPropertyAccessExpression(call.expression)) return undefined;
  const origin = originOf(ctx, call.expression.expression);
  if (origin?.module === 'express') return 'express';
  if (origin?.module === 'fastify') return 'fastify';
  return undefined;
}

function expressAndFastifyHandlers(ctx: RuleContext): RouteHandler[] {
  const { ts } = ctx;
  const out: RouteHandler[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      if ((HTTP_METHODS as readonly string[]).includes(method) || method === 'use' || method === 'route') {
        const framework = frameworkOfRegistration(ctx, node);
        if (framework) out.push(...handlersOfRegistration(ctx, node, framework, method));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
  return out;
}

function handlersOfRegistration(ctx: RuleContext, call: ts.CallExpression, framework: Framework, method: string): RouteHandler[] {
  const { ts } = ctx;
  const args = call.arguments;
  // fastify.route({ method, url, handler })
  if (method === 'route') {
    const opts = args[0] && skipOuter(ts, args[0]);
    if (framework !== 'fastify' || !opts || !ts.isObjectLiteralExpression(opts)) return [];
    const prop = (name: string) => opts.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === name);
    const handler = prop('handler');
    const fn = handler && functionOf(ctx, handler.initializer);
    if (!fn) return [];
    const m = prop('method')?.initializer;
    const url = prop('url')?.initializer;
    return [makeHandler(ctx, framework, fn, call, m && ts.isStringLiteral(m) ? m.text.toLowerCase() : undefined, url && ts.isStringLiteral(url) ? url.text : undefined)];
  }
  const path = args[0] && ts.isStringLiteralLike(args[0]) ? args[0].text : undefined;
  const out: RouteHandler[] = [];
  for (const arg of args) {
    const fn = functionOf(ctx, arg);
    if (fn) out.push(makeHandler(ctx, framework, fn, call, method, path));
  }
  return out;
}

function makeHandler(ctx: RuleContext, framework: Framework, fn: ts.FunctionLikeDeclaration, registration: ts.Node, method?: string, path?: string): RouteHandler {
  const [request, response, next] = fn.parameters;
  // Express error middleware is (err, req, res, next).
  if (framework === 'express' && fn.parameters.length === 4) {
    return { framework, fn, method, path, registration, request: response, response: next, next: fn.parameters[3] };
  }
  return { framework, fn, method, path, registration, request, response, next };
}

function nestHandlers(ctx: RuleContext): RouteHandler[] {
  const { ts } = ctx;
  const out: RouteHandler[] = [];
  for (const stmt of ctx.sourceFile.statements) {
    if (!ts.isClassDeclaration(stmt)) continue;
    for (const member of stmt.members) {
      if (!ts.isMethodDeclaration(member) || !member.body) continue;
      for (const decorator of ts.getDecorators(member) ?? []) {
        const call = decorator.expression;
        if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) continue;
        const method = NEST_METHOD_DECORATORS[call.expression.text];
        const target = method ? resolveCall(ctx, call) : undefined;
        if (!method || target?.module !== '@nestjs/common') continue;
        const path = call.arguments[0] && ts.isStringLiteralLike(call.arguments[0]) ? call.arguments[0].text : undefined;
        out.push({ framework: 'nest', fn: member, method, path, registration: decorator });
      }
    }
  }
  return out;
}

function nextHandlers(ctx: RuleContext): RouteHandler[] {
  const { ts } = ctx;
  const file = ctx.fileName;
  const appRoute = /\/app\/(?:.*\/)?route\.[cm]?[jt]sx?$/.test(file);
  const pagesApi = /\/pages\/api\//.test(file);
  if (!appRoute && !pagesApi) return [];
  const out: RouteHandler[] = [];
  for (const stmt of ctx.sourceFile.statements) {
    if (!ts.isFunctionDeclaration(stmt) || !stmt.body) continue;
    const mods = ts.getModifiers(stmt) ?? [];
    const exported = mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (!exported) continue;
    const name = stmt.name?.text;
    if (appRoute && name && /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(name)) {
      out.push({ framework: 'next', fn: stmt, method: name.toLowerCase(), registration: stmt, request: stmt.parameters[0] });
    } else if (pagesApi && isDefault) {
      out.push({ framework: 'next', fn: stmt, registration: stmt, request: stmt.parameters[0], response: stmt.parameters[1] });
    }
  }
  return out;
}

/** True when `expr` is the request object of a handler (by its declared type, or as a handler's request parameter). */
export function isRequestObject(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (!ts.isIdentifier(e)) return false;
  const symbol = ctx.checker.getSymbolAtLocation(e);
  const decl = symbol?.valueDeclaration;
  if (decl && ts.isParameter(decl) && findRouteHandlers(ctx).some((h) => h.request === decl)) return true;
  return isRequestType(ctx, ctx.checker.getTypeAtLocation(e));
}

const REQUEST_TYPES: Record<string, readonly string[]> = {
  'express-serve-static-core': ['Request'],
  express: ['Request'],
  fastify: ['FastifyRequest'],
  next: ['NextApiRequest', 'NextRequest'],
};

function isRequestType(ctx: RuleContext, type: ts.Type): boolean {
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  if (!symbol) return false;
  return (symbol.declarations ?? []).some((d) => {
    const file = d.getSourceFile().fileName;
    return Object.entries(REQUEST_TYPES).some(([pkg, names]) => file.includes(`/node_modules/${pkg}/`) || file.includes(`/node_modules/@types/${pkg}/`) ? names.includes(symbol.name) : false);
  });
}

/**
 * `req.body`, `req.query.page`, `req.params['id']` → the part read; undefined when
 * `expr` is not a read of request data.
 */
export function requestPartOf(ctx: RuleContext, expr: ts.Expression): RequestPart | undefined {
  const { ts } = ctx;
  let e = skipOuter(ts, expr);
  // Walk down to the access right on the request object.
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const inner = skipOuter(ts, e.expression);
    if (ts.isPropertyAccessExpression(e) && isRequestObject(ctx, inner)) {
      const name = e.name.text;
      if (name === 'body' || name === 'query' || name === 'params' || name === 'headers' || name === 'cookies') return name;
      if (name === 'file' || name === 'files') return 'files';
      return undefined;
    }
    e = inner;
  }
  return undefined;
}
