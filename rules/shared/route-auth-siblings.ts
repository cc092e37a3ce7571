// Sibling routes and their authentication, for route-missing-auth: the routes a file
// registers on one router/app/plugin instance or one Nest controller, each with the
// authentication written on the route itself (middleware, hooks, method guards that the
// inventory recognises as authentication), and the routes that are public by what they are.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { authOfMiddleware } from '../inventory/auth';
import { takesCredentials } from './login-credentials';
import { nestDecoratorCalls, type FileRoute } from './login-routes';

/** Paths that answer anyone when read: probes, login pages, public content. */
const PUBLIC_READ_SEGMENTS = new Set(['health', 'healthz', 'healthcheck', 'status', 'ping', 'ready', 'readyz', 'live', 'livez', 'liveness', 'readiness', 'version', 'login', 'signin', 'signup', 'register', 'public', 'favicon.ico', 'robots.txt']);
/** Callers that authenticate by other means than the app's session (a signature, a provider's redirect). */
const PUBLIC_ANY_METHOD_SEGMENTS = new Set(['webhook', 'webhooks', 'callback']);
/** Custom Nest decorators that declare a route public on purpose. */
const PUBLIC_DECORATORS = new Set(['Public', 'IsPublic', 'SkipAuth', 'AllowAnonymous', 'NoAuth']);

export interface AuthOnRoute {
  readonly route: FileRoute;
  /** The middleware/guard expression that authenticates it. */
  readonly middleware: ts.Expression;
}

/** The first of the route's own middleware/guards that authenticates, per the inventory. */
export function routeLevelAuth(ctx: RuleContext, route: FileRoute): AuthOnRoute | undefined {
  for (const m of route.ownMiddleware) {
    if (authOfMiddleware(ctx, m)) return { route, middleware: m };
  }
  return undefined;
}

/** Routes grouped by the router/instance/controller they are registered on. */
export function siblingGroups(routes: readonly FileRoute[]): FileRoute[][] {
  const groups = new Map<ts.Node, FileRoute[]>();
  for (const r of routes) {
    if (!r.owner || r.framework === 'next') continue;
    const list = groups.get(r.owner);
    if (list) list.push(r);
    else groups.set(r.owner, [r]);
  }
  return [...groups.values()];
}

/** OPTIONS, health/login/public reads, webhooks and callbacks, the login route itself, `@Public()` methods. */
export function isPublicBySemantics(ctx: RuleContext, route: FileRoute): boolean {
  if (route.method === 'OPTIONS') return true;
  const segments = (route.path !== '(dynamic)' ? route.path : (route.localPath ?? '')).split('/').filter(Boolean).map((s) => s.toLowerCase().replace(/[-_]/g, ''));
  const last = segments[segments.length - 1] ?? '';
  if ((route.method === 'GET' || route.method === 'HEAD') && (PUBLIC_READ_SEGMENTS.has(last) || segments.includes('public'))) return true;
  if (segments.some((s) => PUBLIC_ANY_METHOD_SEGMENTS.has(s))) return true;
  if (declaredPublic(ctx, route)) return true;
  return !!takesCredentials(ctx, route);
}

function declaredPublic(ctx: RuleContext, route: FileRoute): boolean {
  const { ts } = ctx;
  if (route.framework !== 'nest' || !ts.isMethodDeclaration(route.fn)) return false;
  const cls = route.fn.parent;
  const on = [...nestDecoratorCalls(ctx, route.fn), ...(ts.isClassDeclaration(cls) ? nestDecoratorCalls(ctx, cls) : [])];
  return on.some((d) => PUBLIC_DECORATORS.has(d.name));
}

/** The identifier to add to an Express route when it names the same value at the route as at the sibling. */
export function middlewareInScope(ctx: RuleContext, middleware: ts.Expression, at: ts.Node): ts.Identifier | undefined {
  const { ts } = ctx;
  if (!ts.isIdentifier(middleware) || middleware.getSourceFile() !== at.getSourceFile()) return undefined;
  const symbol = ctx.checker.getSymbolAtLocation(middleware);
  if (!symbol) return undefined;
  const visible = ctx.checker.getSymbolsInScope(at, ts.SymbolFlags.Value | ts.SymbolFlags.Alias).find((s) => s.name === middleware.text);
  return visible === symbol ? middleware : undefined;
}
