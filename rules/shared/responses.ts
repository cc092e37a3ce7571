// Response objects of the server frameworks: which server a value answers for (by its
// declared type, or as a route handler's response parameter in plain JS), Koa contexts,
// and the variable a `res.status(500).json(…)` chain starts from. Shared by the rules
// that look at what a response sends.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { packageOfFile, skipOuter } from './callee';
import { findRouteHandlers } from './http';

export type Server = 'express' | 'node' | 'fastify';

const KOA_PACKAGES = new Set(['koa', '@koa/router', 'koa-router']);
const RESPONSE_TYPES: Readonly<Record<string, Server>> = { Response: 'express', ServerResponse: 'node', FastifyReply: 'fastify' };

/** Which server's response object this is: by its declared type, or as a route handler's response parameter. */
export function serverOf(ctx: RuleContext, receiver: ts.Expression): Server | undefined {
  const { ts } = ctx;
  const type = ctx.checker.getTypeAtLocation(receiver);
  for (const part of type.isIntersection() ? type.types : [type]) {
    const symbol = part.getSymbol() ?? part.aliasSymbol;
    const server = symbol && RESPONSE_TYPES[symbol.name];
    const file = symbol?.declarations?.[0]?.getSourceFile().fileName ?? '';
    const pkg = packageOfFile(file);
    if (server === 'express' && (pkg === 'express' || pkg === 'express-serve-static-core')) return server;
    if (server === 'node' && (pkg === 'node' || pkg === 'http')) return server;
    if (server === 'fastify' && pkg === 'fastify') return server;
  }
  if (!(type.flags & ts.TypeFlags.Any)) return undefined;
  const root = rootOf(ctx, receiver);
  const decl = root && ctx.checker.getSymbolAtLocation(root)?.valueDeclaration;
  const handler = decl && ts.isParameter(decl) ? findRouteHandlers(ctx).find((h) => h.response === decl) : undefined;
  return handler?.framework === 'express' || handler?.framework === 'fastify' ? handler.framework : undefined;
}

export function isKoaContext(ctx: RuleContext, e: ts.Expression): boolean {
  const type = ctx.checker.getTypeAtLocation(e);
  return (type.isIntersection() ? type.types : [type]).some((t) => {
    const symbol = t.getSymbol() ?? t.aliasSymbol;
    return (symbol?.declarations ?? []).some((d) => KOA_PACKAGES.has(packageOfFile(d.getSourceFile().fileName) ?? ''));
  });
}

/** The identifier a member chain or call chain starts from: `res` in `res.status(200).type('html')`. */
export function rootOf(ctx: RuleContext, e: ts.Expression): ts.Identifier | undefined {
  const { ts } = ctx;
  let x = skipOuter(ts, e);
  while (ts.isCallExpression(x) || ts.isPropertyAccessExpression(x)) x = skipOuter(ts, ts.isCallExpression(x) ? x.expression : x.expression);
  return ts.isIdentifier(x) ? x : undefined;
}

