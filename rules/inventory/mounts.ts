// How routers and plugins are put together, program-wide: `app.use('/api', auth, router)`,
// `app.use(router.routes())`, `app.register(plugin, { prefix })`, `fastify.addHook(…)`,
// `router.prefix('/v1')`. Indexed once per program by the declaration of the router
// (or the plugin's instance parameter), so a route learns its prefixes and the
// middleware that runs before it, also when the router is mounted in another file.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, skipOuter } from '../shared/callee';
import { functionOf } from '../shared/http';
import { contextFor } from './location';
import { DYNAMIC_PATH, joinPaths, pathCovers } from './route-path';
import { declarationOf } from './values';

interface UseEntry {
  readonly call: ts.CallExpression;
  /** The paths the middleware is scoped to; undefined: every path. */
  readonly paths?: readonly string[];
  readonly middleware: readonly ts.Expression[];
  /** Express/Koa middleware runs for routes registered after it; Fastify hooks for the whole context. */
  readonly ordered: boolean;
}

interface Mount {
  readonly call: ts.CallExpression;
  readonly prefixes: readonly string[];
  /** The router/app/instance it is mounted on. */
  readonly parent?: ts.Node;
  /** Middleware of the mounting call that runs before the router: `app.use('/admin', auth, adminRouter)`. */
  readonly before: readonly ts.Expression[];
}

interface MountIndex {
  readonly uses: Map<ts.Node, UseEntry[]>;
  readonly mounts: Map<ts.Node, Mount[]>;
  readonly routerPrefixes: Map<ts.Node, string>;
  /** Every route of a router shares the contexts it is mounted in. */
  readonly contexts: Map<ts.Node, RouteContext[]>;
}

export interface RouteContext {
  readonly prefix: string;
  /** What runs before the route's own middleware, outermost first. */
  readonly before: readonly ts.Expression[];
}

const BEFORE_HANDLER_HOOKS = new Set(['onRequest', 'preParsing', 'preValidation', 'preHandler']);
const MAX_CONTEXTS = 4;
const MAX_MOUNT_DEPTH = 5;
const cache = new WeakMap<ts.Program, MountIndex>();

/** The declaration of what a call is made on: `router` in `router.route('/x').get(…)`, `this.router`, a plugin's `fastify`. */
export function receiverDeclaration(ctx: RuleContext, expr: ts.Expression): ts.Node | undefined {
  const { ts } = ctx;
  let e = skipOuter(ts, expr);
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(skipOuter(ts, e.expression))) e = skipOuter(ts, (skipOuter(ts, e.expression) as ts.PropertyAccessExpression).expression);
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return undefined;
  const decl = declarationOf(ctx, e);
  return decl && !decl.getSourceFile().isDeclarationFile ? decl : undefined;
}

/**
 * The prefixes a router's routes are reached under and what runs before them there:
 * one context per way it is mounted (a router mounted nowhere known has one, at '/').
 */
export function routeContexts(ctx: RuleContext, receiver: ts.Node | undefined, anchor: ts.Node, localPath: string | undefined): RouteContext[] {
  if (!receiver) return [{ prefix: '', before: [] }];
  const index = mountIndex(ctx);
  const own = usesBefore(index, receiver, anchor, localPath);
  let mounted = index.contexts.get(receiver);
  if (!mounted) index.contexts.set(receiver, (mounted = mountContexts(ctx, index, receiver, 0, new Set())));
  return mounted.map((c) => ({ prefix: c.prefix, before: [...c.before, ...own] }));
}

/** A Koa router's own prefix: `new Router({ prefix: '/api' })` or `router.prefix('/api')`. */
export function routerPrefix(ctx: RuleContext, receiver: ts.Node | undefined): string {
  const { ts } = ctx;
  if (!receiver) return '';
  const set = mountIndex(ctx).routerPrefixes.get(receiver);
  if (set !== undefined) return set;
  const init = (ts.isVariableDeclaration(receiver) || ts.isPropertyDeclaration(receiver)) && receiver.initializer ? skipOuter(ts, receiver.initializer) : undefined;
  const options = init && ts.isNewExpression(init) ? init.arguments?.[0] : undefined;
  const o = options && skipOuter(ts, options);
  if (!o || !ts.isObjectLiteralExpression(o)) return '';
  const prop = o.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'prefix');
  if (!prop) return '';
  const value = skipOuter(ts, prop.initializer);
  return ts.isStringLiteralLike(value) ? value.text : DYNAMIC_PATH;
}

function mountContexts(ctx: RuleContext, index: MountIndex, decl: ts.Node, depth: number, seen: Set<ts.Node>): RouteContext[] {
  const mounts = index.mounts.get(decl);
  if (!mounts?.length || depth > MAX_MOUNT_DEPTH || seen.has(decl)) return [{ prefix: '', before: [] }];
  seen.add(decl);
  const out: RouteContext[] = [];
  for (const m of mounts) {
    const parents = m.parent ? mountContexts(ctx, index, m.parent, depth + 1, seen) : [{ prefix: '', before: [] }];
    // A Koa router mounted in another router is reached under the parent's own prefix too.
    const parentPrefix = routerPrefix(ctx, m.parent);
    for (const p of m.prefixes) {
      const parentOwn = m.parent ? usesBefore(index, m.parent, m.call, p) : [];
      for (const pc of parents) out.push({ prefix: joinPaths(pc.prefix, parentPrefix, p), before: [...pc.before, ...parentOwn, ...m.before] });
    }
  }
  seen.delete(decl);
  return out.slice(0, MAX_CONTEXTS);
}

function usesBefore(index: MountIndex, decl: ts.Node, anchor: ts.Node, localPath: string | undefined): ts.Expression[] {
  const sf = anchor.getSourceFile();
  return (index.uses.get(decl) ?? [])
    .filter((u) => u.call !== anchor && (!u.ordered || (u.call.getSourceFile() === sf && u.call.getEnd() < anchor.getEnd())))
    .filter((u) => !u.paths || u.paths.some((p) => pathCovers(p, localPath)))
    .flatMap((u) => u.middleware);
}

function mountIndex(ctx: RuleContext): MountIndex {
  let index = cache.get(ctx.program);
  if (index) return index;
  index = { uses: new Map(), mounts: new Map(), routerPrefixes: new Map(), contexts: new Map() };
  for (const sf of ctx.program.getSourceFiles()) {
    if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/')) continue;
    // A cheap text gate: most files mount nothing.
    if (!['.use(', '.register(', '.addHook(', '.prefix('].some((t) => sf.text.includes(t))) continue;
    indexFile(contextFor(ctx, sf), sf, index);
  }
  cache.set(ctx.program, index);
  return index;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indexFile(ctx: RuleContext, sf: ts.SourceFile, index: MountIndex): void {
  const { ts } = ctx;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      if (name === 'use' || name === 'register' || name === 'addHook' || name === 'prefix') {
        const receiver = receiverDeclaration(ctx, node.expression.expression);
        if (receiver) indexCall(ctx, node, name, receiver, index);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

function indexCall(ctx: RuleContext, call: ts.CallExpression, name: string, receiver: ts.Node, index: MountIndex): void {
  const { ts } = ctx;
  const args = call.arguments;
  if (name === 'prefix') {
    const first = args[0] && skipOuter(ts, args[0]);
    if (first && ts.isStringLiteralLike(first)) index.routerPrefixes.set(receiver, first.text);
    return;
  }
  if (name === 'addHook') {
    const hook = args[0] && skipOuter(ts, args[0]);
    if (hook && ts.isStringLiteralLike(hook) && BEFORE_HANDLER_HOOKS.has(hook.text) && args[1]) push(index.uses, receiver, { call, middleware: [args[1]], ordered: false });
    return;
  }
  if (name === 'register') {
    const plugin = args[0];
    if (!plugin) return;
    const fn = functionOf(ctx, plugin);
    const instance = fn?.parameters[0];
    if (instance) push(index.mounts, instance, { call, prefixes: [prefixOption(ctx, args[1])], parent: receiver, before: [] });
    // A plugin from a package (a limiter, an auth plugin) works on the routes of the context it
    // joins — unless told to act only where a route opts in (`global: false`).
    const origin = !fn ? originOf(ctx, plugin) : undefined;
    if (origin && !origin.module.startsWith('.') && !optedOut(ctx, args[1])) push(index.uses, receiver, { call, middleware: [plugin], ordered: false });
    return;
  }
  // use([path,] ...middleware): arrays of middleware are flattened.
  const first = args[0] && skipOuter(ts, args[0]);
  const paths = first && pathsOf(ts, first);
  const middleware: ts.Expression[] = [];
  for (const a of paths ? args.slice(1) : args) {
    const x = skipOuter(ts, a);
    if (ts.isArrayLiteralExpression(x)) middleware.push(...x.elements.filter((el) => !ts.isSpreadElement(el)));
    else middleware.push(a);
  }
  push(index.uses, receiver, { call, paths, middleware, ordered: true });
  middleware.forEach((m, i) => {
    const target = mountedRouter(ctx, m);
    if (target) push(index.mounts, target, { call, prefixes: paths ?? [''], parent: receiver, before: middleware.slice(0, i) });
  });
}

function optedOut(ctx: RuleContext, options: ts.Expression | undefined): boolean {
  const { ts } = ctx;
  const o = options && skipOuter(ts, options);
  if (!o || !ts.isObjectLiteralExpression(o)) return false;
  return o.properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'global' && skipOuter(ts, p.initializer).kind === ts.SyntaxKind.FalseKeyword);
}

/** `'/api'` or `['/a', '/b']`: the path arguments of `use`. */
function pathsOf(ts: RuleContext['ts'], e: ts.Expression): string[] | undefined {
  if (ts.isStringLiteralLike(e)) return [e.text];
  if (ts.isArrayLiteralExpression(e) && e.elements.length > 0 && e.elements.every((el) => ts.isStringLiteralLike(el))) return e.elements.map((el) => (el as ts.StringLiteralLike).text);
  return undefined;
}

function prefixOption(ctx: RuleContext, options: ts.Expression | undefined): string {
  const { ts } = ctx;
  const o = options && skipOuter(ts, options);
  if (!o || !ts.isObjectLiteralExpression(o)) return '';
  const prop = o.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'prefix');
  if (!prop) return '';
  const value = skipOuter(ts, prop.initializer);
  return ts.isStringLiteralLike(value) ? value.text : DYNAMIC_PATH;
}

/** The router a `use` argument mounts: `router`, `users.router`, Koa's `router.routes()`. */
function mountedRouter(ctx: RuleContext, arg: ts.Expression): ts.Node | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, arg);
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(ts, e.expression);
    if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'routes' && callee.name.text !== 'middleware')) return undefined;
    return receiverDeclaration(ctx, callee.expression);
  }
  return ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) ? receiverDeclaration(ctx, e) : undefined;
}
