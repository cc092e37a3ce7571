// The functions of the file under analysis that run once per request: route handlers
// and middleware of Express, Fastify, Nest and Next (rules/shared/http.ts), those
// registered from another file, and Koa middleware and @koa/router routes.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, resolveCall } from './callee';
import { findRouteHandlers, functionOf, HTTP_METHODS, registrationsOf } from './http';

export interface PerRequestFunction {
  readonly fn: ts.FunctionLikeDeclaration;
  /** `GET /users/:id`, or `GET` when only the method is known. */
  readonly route?: string;
}

const KOA_MODULES = ['koa', '@koa/router', 'koa-router'];

export function perRequestFunctions(ctx: RuleContext): PerRequestFunction[] {
  const out = new Map<ts.Node, PerRequestFunction>();
  const add = (fn: ts.FunctionLikeDeclaration, method?: string, path?: string): void => {
    if (fn.getSourceFile() !== ctx.sourceFile || out.has(fn)) return;
    const route = method && method !== 'use' ? (path ? `${method.toUpperCase()} ${path}` : method.toUpperCase()) : undefined;
    out.set(fn, { fn, route });
  };
  for (const h of findRouteHandlers(ctx)) add(h.fn, h.method, h.path);
  for (const fn of namedFunctions(ctx)) for (const h of registrationsOf(ctx, fn)) add(h.fn, h.method, h.path);
  for (const k of koaHandlers(ctx)) add(k.fn, k.method, k.path);
  return [...out.values()];
}

/** Functions of the file that a registration elsewhere could refer to by name. */
function namedFunctions(ctx: RuleContext): ts.FunctionLikeDeclaration[] {
  const { ts } = ctx;
  const out: ts.FunctionLikeDeclaration[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) out.push(node);
    else if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && (ts.isVariableDeclaration(node.parent) || ts.isPropertyAssignment(node.parent) || ts.isPropertyDeclaration(node.parent) || ts.isBinaryExpression(node.parent))) out.push(node);
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
  return out;
}

function koaHandlers(ctx: RuleContext): { fn: ts.FunctionLikeDeclaration; method: string; path?: string }[] {
  const { ts } = ctx;
  const out: { fn: ts.FunctionLikeDeclaration; method: string; path?: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      if (((HTTP_METHODS as readonly string[]).includes(method) || method === 'use') && isKoaReceiver(ctx, node)) {
        const first = node.arguments[0];
        const path = first && ts.isStringLiteralLike(first) ? first.text : undefined;
        for (const arg of node.arguments) {
          const fn = functionOf(ctx, arg);
          if (fn) out.push({ fn, method, path });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
  return out;
}

function isKoaReceiver(ctx: RuleContext, call: ts.CallExpression): boolean {
  const receiver = (call.expression as ts.PropertyAccessExpression).expression;
  const origin = originOf(ctx, receiver);
  if (origin) return KOA_MODULES.includes(origin.module);
  const target = resolveCall(ctx, call);
  return !!target?.module && KOA_MODULES.includes(target.module);
}
