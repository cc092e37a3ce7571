// The matrix cells of one route: what the inventory itself can tell about its
// authentication, validation, rate limiting, error handling, pagination and outgoing
// timeouts. Evidence comes from what runs before the handler (middleware, guards,
// hooks, app-wide setup) and from the handler's own code plus the project functions
// it calls directly. The report later turns cells to `fail` where findings say so.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { outboundCall, timeoutOf } from '../shared/outbound-http';
import { appWide } from './app-wide';
import { authInBody, authOfMiddleware, type Evidence } from './auth';
import { callsIn, handlerAndCallees } from './callees';
import { listQueryOf } from './list-queries';
import { codeLabel, contextFor, locationOf } from './location';
import type { NestFacts } from './nest';
import { limiterInBody, limiterOfMiddleware } from './rate-limit';
import { requestPartsRead } from './request-input';
import { pathCovers } from './route-path';
import type { ControlCell, ControlId, EndpointFramework } from './types';

/** A route as the inventory sees it before it becomes an Endpoint. */
export interface RouteEntry {
  readonly framework: EndpointFramework;
  readonly method: string;
  readonly path: string;
  readonly registration: ts.Node;
  readonly fn: ts.FunctionLikeDeclaration;
  /** A Next app-router handler: its request is a web Request. */
  readonly webRequest: boolean;
  /** Middleware, guards and hooks that run before the handler, outermost first. */
  readonly before: readonly ts.Expression[];
  readonly nest?: NestFacts;
  /** Fastify: the route's `config.rateLimit`. */
  readonly fastifyRouteLimit?: ts.Node;
}

type Cells = Record<ControlId, ControlCell>;
type CodeCells = Pick<Cells, 'validation' | 'pagination' | 'timeouts'> & { readonly auth?: Evidence; readonly limiter?: Evidence };

// A router's middleware is asked about once per route it runs before: remember the answers
// per program (the answer depends on other files, which a new program may have changed).
const evidenceCache = new WeakMap<ts.Program, Map<string, WeakMap<ts.Node, Evidence | null>>>();

function cached(ctx: RuleContext, kind: 'auth' | 'limiter', node: ts.Expression, compute: (ctx: RuleContext, node: ts.Expression) => Evidence | undefined): Evidence | undefined {
  let byKind = evidenceCache.get(ctx.program);
  if (!byKind) evidenceCache.set(ctx.program, (byKind = new Map()));
  let byNode = byKind.get(kind);
  if (!byNode) byKind.set(kind, (byNode = new WeakMap()));
  let found = byNode.get(node);
  if (found === undefined) byNode.set(node, (found = compute(contextFor(ctx, node.getSourceFile()), node) ?? null));
  return found ?? undefined;
}

const NO_AUTH = 'No authentication found — public by design?';
const NO_LIMITER = 'No rate limiter found';

/** Cells that depend only on the handler's code, shared by the endpoints of one handler. */
export class HandlerCells {
  private readonly byFn = new Map<ts.FunctionLikeDeclaration, CodeCells>();

  constructor(private readonly ctx: RuleContext) {}

  of(entry: RouteEntry): CodeCells {
    let cells = this.byFn.get(entry.fn);
    if (!cells) this.byFn.set(entry.fn, (cells = codeCells(this.ctx, entry)));
    return cells;
  }
}

export function controlsOf(ctx: RuleContext, entry: RouteEntry, code: CodeCells): Cells {
  return {
    authentication: authentication(ctx, entry, code),
    validation: code.validation,
    rateLimiting: rateLimiting(ctx, entry, code),
    errorHandling: { state: 'ok', note: 'No error-handling finding in this handler' },
    pagination: code.pagination,
    timeouts: code.timeouts,
  };
}

function ok(e: Evidence): ControlCell {
  return { state: 'ok', note: e.note, location: locationOf(e.node) };
}

function authentication(ctx: RuleContext, entry: RouteEntry, code: CodeCells): ControlCell {
  for (const m of entry.before) {
    const e = cached(ctx, 'auth', m, authOfMiddleware);
    if (e) return ok(e);
  }
  if (entry.framework === 'nest') {
    const global = appWide(ctx).authGuards[0];
    if (global) return ok(global);
  }
  if (code.auth) return ok({ node: code.auth.node, note: `The handler ${code.auth.note}` });
  return { state: 'warn', note: NO_AUTH };
}

function rateLimiting(ctx: RuleContext, entry: RouteEntry, code: CodeCells): ControlCell {
  const skip = entry.nest?.skipThrottle;
  if (skip) return { state: 'warn', note: `Throttling is switched off here by \`${codeLabel(skip)}\``, location: locationOf(skip) };
  for (const m of entry.before) {
    const e = cached(ctx, 'limiter', m, limiterOfMiddleware);
    if (e) return ok(e);
  }
  const app = appWide(ctx);
  const wide = app.limiters.find((l) => l.framework === entry.framework && (!l.paths || l.paths.some((p) => pathCovers(p, entry.path))));
  if (wide) return ok(wide);
  if (entry.fastifyRouteLimit && app.fastifyOptIn) return ok({ node: entry.fastifyRouteLimit, note: 'Rate limited by the route’s `config.rateLimit` (@fastify/rate-limit)' });
  if (code.limiter) return ok({ node: code.limiter.node, note: `The handler ${code.limiter.note}` });
  const throttle = entry.nest?.throttle;
  if (throttle) return { state: 'warn', note: `\`${codeLabel(throttle)}\` sets limits, but no ThrottlerGuard runs for this route`, location: locationOf(throttle) };
  if (entry.framework === 'nest' && app.throttlerModule) {
    return { state: 'warn', note: 'ThrottlerModule is configured, but no ThrottlerGuard runs for this route (register it as APP_GUARD)', location: locationOf(app.throttlerModule) };
  }
  return { state: 'warn', note: NO_LIMITER };
}

function codeCells(ctx: RuleContext, entry: RouteEntry): CodeCells {
  const { ts } = ctx;
  const fnCtx = contextFor(ctx, entry.fn.getSourceFile());
  const parts = requestPartsRead(ctx, { framework: entry.framework, fn: entry.fn, webRequest: entry.webRequest });
  const validation: ControlCell = parts.length ? { state: 'ok', note: `Input read: ${parts.join(', ')}` } : { state: 'na', note: 'Reads no request input' };

  const scopes = handlerAndCallees(ctx, entry.fn);
  const calls = scopes.map((s) => ({ ctx: s.ctx, calls: callsIn(ts, s.fn, s.fn !== entry.fn) }));
  const queries = calls.flatMap((s) => s.calls.flatMap((c) => listQueryOf(s.ctx, c) ?? []));
  const outbound = calls.flatMap((s) => s.calls.flatMap((c) => {
    const out = outboundCall(s.ctx, c);
    return out ? [{ out, timeout: timeoutOf(s.ctx, out) }] : [];
  }));

  const unbounded = queries.find((q) => q.bounded === 'no');
  const pagination: ControlCell = !queries.length
    ? { state: 'na', note: 'Runs no list query' }
    : unbounded
      ? { state: 'warn', note: `\`${unbounded.label}\` returns every matching row: bound it with ${unbounded.bound}`, location: locationOf(unbounded.call) }
      : { state: 'ok', note: queries.some((q) => q.bounded === 'unknown') ? 'List queries take their bounds from options built elsewhere' : `Every list query is bounded (${queries.map((q) => `\`${q.label}\``).join(', ')})` };

  const missing = outbound.find((o) => o.timeout === 'missing');
  const timeouts: ControlCell = !outbound.length
    ? { state: 'na', note: 'Makes no outgoing HTTP calls' }
    : missing
      ? { state: 'warn', note: `\`${missing.out.label}\` has no timeout`, location: locationOf(missing.out.call) }
      : { state: 'ok', note: outbound.every((o) => o.timeout === 'set') ? `Every outgoing call has a timeout (${outbound.length})` : 'Outgoing calls are bounded by their client’s configuration' };

  return { validation, pagination, timeouts, auth: authInBody(fnCtx, entry.fn, { depth: 1, implicitDenial: false }), limiter: limiterInBody(fnCtx, entry.fn, 1) };
}
