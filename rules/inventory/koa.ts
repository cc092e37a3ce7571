// Koa routes: `router.get('/x', …middleware, handler)` on a router of @koa/router or
// koa-router — known by where the receiver comes from (`new Router()` of the package)
// or, for a router passed in as a parameter, by what the call resolves to. Named
// routes (`router.get('user', '/users/:id', h)`) take their path from the second argument.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, resolveCall, skipOuter } from '../shared/callee';
import { functionOf } from '../shared/http';
import { DYNAMIC_PATH } from './route-path';

export const KOA_ROUTER_MODULES = ['@koa/router', 'koa-router'];
const KOA_METHODS: Readonly<Record<string, string>> = { get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', del: 'DELETE', all: 'ALL', head: 'HEAD', options: 'OPTIONS' };

export interface KoaRoute {
  readonly call: ts.CallExpression;
  readonly method: string;
  /** Relative to the router (its prefix not applied). */
  readonly path: string;
  readonly fn: ts.FunctionLikeDeclaration;
  /** Route-level middleware, in order. */
  readonly middleware: readonly ts.Expression[];
}

export function koaRoutes(ctx: RuleContext): KoaRoute[] {
  const { ts } = ctx;
  const out: KoaRoute[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text in KOA_METHODS) {
      const route = koaRoute(ctx, node, KOA_METHODS[node.expression.name.text]);
      if (route) out.push(route);
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
  return out;
}

function isKoaRouter(ctx: RuleContext, call: ts.CallExpression, receiver: ts.Expression): boolean {
  const origin = originOf(ctx, receiver);
  if (origin) return origin.instance && KOA_ROUTER_MODULES.includes(origin.module);
  const target = resolveCall(ctx, call);
  return !!target?.module && KOA_ROUTER_MODULES.includes(target.module);
}

function koaRoute(ctx: RuleContext, call: ts.CallExpression, method: string): KoaRoute | undefined {
  const { ts } = ctx;
  const args = call.arguments.map((a) => skipOuter(ts, a));
  if (args.length < 2) return undefined;
  if (!isKoaRouter(ctx, call, (call.expression as ts.PropertyAccessExpression).expression)) return undefined;
  let rest = args;
  let path: string = DYNAMIC_PATH;
  if (ts.isStringLiteralLike(args[0]) && args[1] && ts.isStringLiteralLike(args[1])) {
    path = args[1].text;
    rest = args.slice(2);
  } else if (ts.isStringLiteralLike(args[0])) {
    path = args[0].text;
    rest = args.slice(1);
  } else if (ts.isArrayLiteralExpression(args[0]) || ts.isRegularExpressionLiteral(args[0])) {
    rest = args.slice(1);
  }
  const flat: ts.Expression[] = rest.flatMap((a) => (ts.isArrayLiteralExpression(a) ? a.elements.filter((el) => !ts.isSpreadElement(el)) : [a]));
  const last = flat[flat.length - 1];
  const fn = last && functionOf(ctx, last);
  if (!fn) return undefined;
  return { call, method, path, fn, middleware: flat.slice(0, -1) };
}
