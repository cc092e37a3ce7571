// Express applications and what is done to them anywhere in their package: the
// `express()` calls, the value holding each app (a `const`, a class property), the
// `use`s and state-changing routes registered on it or on routers mounted on it, also
// from other files (app.ts creates and exports the app, server.ts configures it).
// Indexed once per program and package, keyed by the declaration holding the app.
// Used by the app-wide absence rules (missing security headers, missing CSRF defence).
import * as path from 'node:path';
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { contextFor } from '../inventory/location';
import { receiverDeclaration } from '../inventory/mounts';
import { declarationOf } from '../inventory/values';
import { originOf, skipOuter } from './callee';
import { isTestModule } from './module-imports';

export interface AppUse {
  readonly call: ts.CallExpression;
  /** The declaration of what `use` is called on; undefined when it cannot be known. */
  readonly receiver?: ts.Node;
  /** `use('/api', …)`: the paths it is scoped to; undefined: every path. */
  readonly paths?: readonly string[];
  /** The middleware arguments, arrays flattened. */
  readonly middleware: readonly ts.Expression[];
  /** A context aimed at the file of the call. */
  readonly ctx: RuleContext;
}

export interface RouteCall {
  readonly call: ts.CallExpression;
  readonly method: string;
  readonly receiver?: ts.Node;
  readonly ctx: RuleContext;
}

export interface AppIndex {
  /** Declarations holding an `express()` app. */
  readonly apps: ReadonlySet<ts.Node>;
  /** Declarations holding an `express.Router()`. */
  readonly routers: ReadonlySet<ts.Node>;
  /** App holders referenced anywhere besides their declaration (routes, listen, exports, arguments). */
  readonly referenced: ReadonlySet<ts.Node>;
  readonly uses: readonly AppUse[];
  /** Route registrations (`get`, `post`, …) with a path and a handler. */
  readonly routes: readonly RouteCall[];
}

const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete', 'all']);
const ROUTE_METHODS = new Set([...STATE_CHANGING, 'get', 'head', 'options']);
const cache = new WeakMap<ts.Program, Map<string, AppIndex>>();

/** `express()`: the call that creates an application (not `express.Router()`, not `express.json()`). */
export function isExpressAppCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const origin = originOf(ctx, call.expression);
  return !!origin && origin.module === 'express' && !origin.instance && origin.members.length === 0 && origin.exportPath.every((p) => p === 'default');
}

/** `express.Router()` / `Router()` from express. */
export function isExpressRouterCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const origin = originOf(ctx, call.expression);
  if (!origin || origin.module !== 'express' || origin.instance) return false;
  return [...origin.exportPath, ...origin.members].filter((p) => p !== 'default').join('.') === 'Router';
}

/** The declaration that holds the value of `call`: `const app = express()`, `app = express()` in a class. */
export function holderOf(ctx: RuleContext, call: ts.CallExpression): ts.Node | undefined {
  const { ts } = ctx;
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.initializer === node) return parent;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node) {
    const decl = declarationOf(ctx, parent.left);
    return decl && !decl.getSourceFile().isDeclarationFile ? decl : undefined;
  }
  return undefined;
}

/** The index of the package the file under analysis belongs to. */
export function appIndex(ctx: RuleContext): AppIndex {
  const pkg = ctx.project.packageJson(ctx.fileName);
  const scope = `${pkg ? path.posix.dirname(pkg.path) : ctx.project.root}/`;
  let perScope = cache.get(ctx.program);
  if (!perScope) cache.set(ctx.program, (perScope = new Map()));
  let index = perScope.get(scope);
  if (!index) perScope.set(scope, (index = build(ctx, scope, pkg?.path)));
  return index;
}

/** The use is on this app, or on something that may be it (a parameter, an unknown value) — not on another app or a router. */
export function mayApplyTo(index: AppIndex, use: { readonly receiver?: ts.Node }, app: ts.Node | undefined): boolean {
  if (use.receiver && use.receiver === app) return true;
  if (!use.receiver) return true;
  return !index.apps.has(use.receiver) && !index.routers.has(use.receiver);
}

/** Routes of the app: on it, or on a router `use`d on it. */
export function routesOf(index: AppIndex, app: ts.Node): RouteCall[] {
  const mounted = new Set<ts.Node>([app]);
  for (const u of index.uses) {
    if (u.receiver !== app) continue;
    for (const m of u.middleware) {
      const decl = receiverDeclaration(u.ctx, m);
      if (decl && index.routers.has(decl)) mounted.add(decl);
    }
  }
  return index.routes.filter((r) => r.receiver && mounted.has(r.receiver));
}

/** State-changing routes of the app: on it, or on a router `use`d on it. */
export function stateChangingRoutes(index: AppIndex, app: ts.Node): RouteCall[] {
  return routesOf(index, app).filter((r) => STATE_CHANGING.has(r.method));
}

function build(ctx: RuleContext, scope: string, pkgPath: string | undefined): AppIndex {
  const index = { apps: new Set<ts.Node>(), routers: new Set<ts.Node>(), referenced: new Set<ts.Node>(), uses: [] as AppUse[], routes: [] as RouteCall[] };
  const files = ctx.program
    .getSourceFiles()
    .filter((sf) => !sf.isDeclarationFile && sf.fileName.startsWith(scope) && !sf.fileName.includes('/node_modules/'))
    .filter((sf) => ctx.project.packageJson(sf.fileName)?.path === pkgPath)
    .map((sf) => contextFor(ctx, sf))
    .filter((c) => !isTestModule(c));
  const names = new Set<string>();
  for (const c of files) if (c.sourceFile.text.includes('express')) collectHolders(c, index, names);
  if (index.apps.size === 0) return index;
  for (const c of files) if (['.use(', '.get(', '.post(', '.put(', '.patch(', '.delete(', '.all(', '.head(', '.options(', ...names].some((t) => c.sourceFile.text.includes(t))) collectUses(c, index, names);
  return index;
}

function collectHolders(ctx: RuleContext, index: { apps: Set<ts.Node>; routers: Set<ts.Node> }, names: Set<string>): void {
  const { ts } = ctx;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const app = isExpressAppCall(ctx, node);
      if (app || isExpressRouterCall(ctx, node)) {
        const holder = holderOf(ctx, node);
        if (holder) (app ? index.apps : index.routers).add(holder);
        const name = holder && (holder as { name?: ts.Node }).name;
        if (app && name && ts.isIdentifier(name)) names.add(name.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
}

function collectUses(ctx: RuleContext, index: { apps: Set<ts.Node>; referenced: Set<ts.Node>; uses: AppUse[]; routes: RouteCall[] }, names: Set<string>): void {
  const { ts } = ctx;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      if (method === 'use') index.uses.push({ ...useArguments(ctx, node), call: node, receiver: receiverDeclaration(ctx, node.expression.expression), ctx });
      else if (ROUTE_METHODS.has(method) && node.arguments.length >= 2) index.routes.push({ call: node, method, receiver: receiverDeclaration(ctx, node.expression.expression), ctx });
    }
    // Any mention of an app besides its declaration: it is routed, listened on, exported or handed on.
    if (ts.isIdentifier(node) && names.has(node.text) && !isDeclarationName(ts, node)) {
      const decl = declarationOf(ctx, ts.isPropertyAccessExpression(node.parent) && node.parent.name === node ? node.parent : node);
      if (decl && index.apps.has(decl)) index.referenced.add(decl);
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
}

function isDeclarationName(ts: RuleContext['ts'], id: ts.Identifier): boolean {
  const p = id.parent;
  return (ts.isVariableDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isImportSpecifier(p) || ts.isImportClause(p)) && p.name === id;
}

function useArguments(ctx: RuleContext, call: ts.CallExpression): { paths?: string[]; middleware: ts.Expression[] } {
  const { ts } = ctx;
  const first = call.arguments[0] && skipOuter(ts, call.arguments[0]);
  let paths: string[] | undefined;
  if (first && ts.isStringLiteralLike(first)) paths = [first.text];
  else if (first && ts.isArrayLiteralExpression(first) && first.elements.length > 0 && first.elements.every((e) => ts.isStringLiteralLike(e))) paths = first.elements.map((e) => (e as ts.StringLiteralLike).text);
  const middleware: ts.Expression[] = [];
  for (const a of paths ? call.arguments.slice(1) : call.arguments) {
    const x = skipOuter(ts, a);
    if (ts.isArrayLiteralExpression(x)) middleware.push(...x.elements.filter((el) => !ts.isSpreadElement(el)));
    else middleware.push(a);
  }
  return { paths, middleware };
}
