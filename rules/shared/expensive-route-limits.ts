// Which limiters cover a route, for expensive-route-without-strict-limit: a limiter of its own
// (route middleware, Fastify `config.rateLimit`, Nest `@Throttle`, a limiter called in the
// handler, a router- or path-level limiter in front of it) is dedicated; the limiter set on
// the whole application (`app.use(rateLimit(…))` without a path, @fastify/rate-limit on the
// root instance, a global or default-configured ThrottlerGuard) is shared with every other
// route — unless its own configuration is already strict.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { appWide } from '../inventory/app-wide';
import { contextFor } from '../inventory/location';
import { receiverDeclaration, routeContexts } from '../inventory/mounts';
import { nestFacts } from '../inventory/nest';
import { limiterInBody, limiterOfMiddleware } from '../inventory/rate-limit';
import { DYNAMIC_PATH, pathCovers } from '../inventory/route-path';
import { originOf, skipOuter } from './callee';
import { constantNumber, constantString } from './constant-values';
import type { FileRoute } from './login-routes';
import { appIndex } from './security-headers-apps';

export type Coverage =
  | { readonly kind: 'dedicated' }
  /** Only limiters every route shares cover it. */
  | { readonly kind: 'shared'; readonly limiter: ts.Node }
  /** No limiter covers it; `appLimiter` is one the application sets for other routes. */
  | { readonly kind: 'uncovered'; readonly appLimiter?: ts.Node };

/** A limit at or below this many requests per window is strict enough for an expensive route. */
const STRICT_LIMIT = 20;
const MINUTE_MS = 60_000;

export function coverage(ctx: RuleContext, route: FileRoute): Coverage {
  if (limiterInBody(ctx, route.fn, 1)) return { kind: 'dedicated' };
  if (route.framework === 'nest') return nestCoverage(ctx, route);
  if (route.framework !== 'express' && route.framework !== 'fastify') return { kind: 'dedicated' };
  if (route.ownMiddleware.some((m) => limiterOfMiddleware(ctx, m)) || fastifyRouteLimit(ctx, route.registration)) return { kind: 'dedicated' };
  let shared: ts.Node | undefined;
  for (const c of routeContexts(ctx, route.owner, route.registration, route.localPath ?? DYNAMIC_PATH)) {
    for (const m of c.before) {
      const mCtx = contextFor(ctx, m.getSourceFile());
      if (!limiterOfMiddleware(mCtx, m)) continue;
      if (!isApplicationWide(mCtx, m) || isStrict(mCtx, m)) return { kind: 'dedicated' };
      shared ??= m;
    }
  }
  const wide = appWide(ctx).limiters.filter((l) => l.framework === route.framework);
  for (const l of wide) {
    if (!l.paths?.some((p) => p !== '/' && pathCovers(p, route.path))) continue;
    return { kind: 'dedicated' };
  }
  const global = wide.find((l) => !l.paths || l.paths.includes('/'));
  if (global && isStrict(contextFor(ctx, global.node.getSourceFile()), global.node as ts.Expression)) return { kind: 'dedicated' };
  shared ??= global?.node;
  if (shared) return { kind: 'shared', limiter: shared };
  return { kind: 'uncovered', appLimiter: wide[0]?.node };
}

function nestCoverage(ctx: RuleContext, route: FileRoute): Coverage {
  const { ts } = ctx;
  if (!ts.isMethodDeclaration(route.fn)) return { kind: 'dedicated' };
  const facts = nestFacts(ctx, route.fn);
  const global = appWide(ctx).limiters.find((l) => l.framework === 'nest');
  if (facts.skipThrottle) return { kind: 'uncovered', appLimiter: global?.node };
  // `@Throttle({ default: { limit: 3, ttl: 60_000 } })` gives the route limits of its own.
  if (facts.throttle) return { kind: 'dedicated' };
  const guard = facts.guards.find((g) => limiterOfMiddleware(ctx, g));
  const limiter = guard ?? global?.node;
  return limiter ? { kind: 'shared', limiter } : { kind: 'uncovered' };
}

/** The middleware is an argument of `app.use(…)` (no path, or '/') or `fastify.register(…)` on the application itself. */
function isApplicationWide(ctx: RuleContext, m: ts.Expression): boolean {
  const { ts } = ctx;
  let arg: ts.Node = m;
  while (ts.isArrayLiteralExpression(arg.parent) || ts.isParenthesizedExpression(arg.parent)) arg = arg.parent;
  const call = arg.parent;
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return false;
  const method = call.expression.name.text;
  if (method !== 'use' && method !== 'register') return false;
  const first = call.arguments[0] && skipOuter(ts, call.arguments[0]);
  if (method === 'use' && first && ts.isStringLiteralLike(first) && first.text !== '/') return false;
  const receiver = call.expression.expression;
  const origin = originOf(ctx, receiver);
  if (origin && (origin.module === 'express' || origin.module === 'fastify') && origin.instance && origin.members.length === 0) {
    return origin.exportPath.every((p) => p === 'default' || p === 'fastify');
  }
  const decl = receiverDeclaration(ctx, receiver);
  return !!decl && appIndex(ctx).apps.has(decl);
}

/** `rateLimit({ limit: 10 })`, a const holding one, or `register(rateLimit, { max: 5 })`: at most STRICT_LIMIT per minute or longer. */
function isStrict(ctx: RuleContext, m: ts.Expression): boolean {
  const { ts } = ctx;
  let e = skipOuter(ts, m);
  if (ts.isIdentifier(e)) {
    const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
    const register = ts.isCallExpression(m.parent) && ts.isPropertyAccessExpression(m.parent.expression) && m.parent.expression.name.text === 'register' ? m.parent : undefined;
    if (register) return limitOf(ctx, register.arguments[1]);
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return false;
    e = skipOuter(ts, decl.initializer);
  }
  return ts.isCallExpression(e) && limitOf(ctx, e.arguments[0]);
}

function limitOf(ctx: RuleContext, options: ts.Expression | undefined): boolean {
  const { ts } = ctx;
  const o = options && skipOuter(ts, options);
  if (!o || !ts.isObjectLiteralExpression(o)) return false;
  const value = (names: readonly string[]) => o.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && names.includes(p.name.getText()))?.initializer;
  const limit = numberOf(ctx, value(['limit', 'max']));
  const window = value(['windowMs', 'timeWindow']);
  // Both libraries count per minute unless told otherwise.
  const windowMs = window ? (numberOf(ctx, window) ?? durationOf(constantString(ctx, window))) : MINUTE_MS;
  return limit !== undefined && windowMs !== undefined && limit <= STRICT_LIMIT && windowMs >= MINUTE_MS;
}

/** A number the code states: a literal, a number literal type, or a product of them (`15 * 60 * 1000`). */
function numberOf(ctx: RuleContext, expr: ts.Expression | undefined): number | undefined {
  const { ts } = ctx;
  const e = expr && skipOuter(ts, expr);
  if (e && ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.AsteriskToken) {
    const left = numberOf(ctx, e.left);
    const right = numberOf(ctx, e.right);
    return left !== undefined && right !== undefined ? left * right : undefined;
  }
  return constantNumber(ctx, e);
}

/** @fastify/rate-limit's `timeWindow: '15 minutes'`. */
function durationOf(text: string | undefined): number | undefined {
  const m = text && /^(\d+)\s*(second|minute|hour|day)s?$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { second: 1000, minute: MINUTE_MS, hour: 60 * MINUTE_MS, day: 24 * 60 * MINUTE_MS }[m[2] as 'second'];
  return Number(m[1]) * unit;
}

/** Fastify route options `config: { rateLimit: { max: 3 } }` (not `false`). */
function fastifyRouteLimit(ctx: RuleContext, registration: ts.Node): boolean {
  const { ts } = ctx;
  if (!ts.isCallExpression(registration)) return false;
  return registration.arguments.some((a) => {
    const o = skipOuter(ts, a);
    if (!ts.isObjectLiteralExpression(o)) return false;
    const config = o.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'config');
    const c = config && skipOuter(ts, config.initializer);
    const limit = c && ts.isObjectLiteralExpression(c) ? c.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'rateLimit') : undefined;
    return !!limit && skipOuter(ts, limit.initializer).kind !== ts.SyntaxKind.FalseKeyword;
  });
}
