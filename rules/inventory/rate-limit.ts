// Is this a rate limiter? A middleware, plugin or guard counts when it resolves to a
// limiter package (express-rate-limit, @fastify/rate-limit, @nestjs/throttler…), or
// when it is the project's own function that consumes a limiter from such a package
// (`await limiter.consume(req.ip)` of rate-limiter-flexible). Also used on handler
// bodies, where a limiter may be called inline (`@upstash/ratelimit` in a Next route).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { resolveCall } from '../shared/callee';
import type { Evidence } from './auth';
import { parameterNames, rootName } from './callees';
import { codeLabel } from './location';
import { calledFunction, isPackageValue, resolveValue } from './values';

export const LIMITER_MODULES = [
  'express-rate-limit',
  'express-slow-down',
  'rate-limiter-flexible',
  '@fastify/rate-limit',
  'fastify-rate-limit',
  '@nestjs/throttler',
  'koa-ratelimit',
  'koa2-ratelimit',
  '@upstash/ratelimit',
  'express-brute',
  'express-limiter',
];

// SkipThrottle turns throttling off and ThrottlerModule only configures it: neither limits by itself.
const NOT_LIMITERS = new Set(['SkipThrottle', 'ThrottlerModule', 'ThrottlerStorageService', 'InjectThrottlerOptions']);
const LIMITERS: Readonly<Record<string, readonly string[] | '*'>> = Object.fromEntries(LIMITER_MODULES.map((m) => [m, '*']));

/** Evidence that a middleware, plugin or guard expression limits the request rate. */
export function limiterOfMiddleware(ctx: RuleContext, expr: ts.Expression): Evidence | undefined {
  const v = resolveValue(ctx, expr);
  if (isPackageValue(v, LIMITERS)) {
    return v.names.some((n) => NOT_LIMITERS.has(n)) ? undefined : { node: expr, note: `Rate limited by \`${codeLabel(expr)}\` (${v.module})` };
  }
  if (v?.kind === 'function') {
    const inner = limiterInBody(ctx, v.fn, 0);
    return inner && { node: expr, note: `Rate limited by \`${codeLabel(expr)}\`, which ${inner.note}` };
  }
  if (v?.kind === 'class') {
    // `class CustomThrottlerGuard extends ThrottlerGuard`.
    const base = v.cls.heritageClauses?.find((h) => h.token === ctx.ts.SyntaxKind.ExtendsKeyword)?.types[0];
    const inner = base && limiterOfMiddleware(ctx, base.expression);
    return inner && { node: expr, note: `Rate limited by \`${codeLabel(expr)}\` (extends ${codeLabel(base.expression)})` };
  }
  return undefined;
}

/** A call into a limiter package in `fn` (following the project's own functions `depth` levels). */
export function limiterInBody(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, depth: number): Evidence | undefined {
  const { ts } = ctx;
  if (!fn.body) return undefined;
  let found: Evidence | undefined;
  const nested: ts.FunctionLikeDeclaration[] = [];
  // A limiter is an object of its own (`limiter.consume(req.ip)`), never a call on the request.
  const params = parameterNames(ts, fn);
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && !params.has(rootName(ts, n.expression) ?? '')) {
      const target = resolveCall(ctx, n);
      if (target?.module && LIMITER_MODULES.includes(target.module) && !NOT_LIMITERS.has(target.name)) {
        found = { node: n, note: `calls \`${codeLabel(n.expression)}\` (${target.module})` };
        return;
      }
      const callee = depth > 0 ? calledFunction(ctx, n) : undefined;
      if (callee && callee !== fn) nested.push(callee);
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  if (found) return found;
  for (const callee of nested.slice(0, 10)) {
    const inner = limiterInBody(ctx, callee, depth - 1);
    if (inner) return inner;
  }
  return undefined;
}
