// missing-csrf-protection: an Express app that authenticates by a session cookie
// (express-session, cookie-session) and registers state-changing routes, with no CSRF
// defence anywhere for that app — no `sameSite: 'strict'|'lax'` on the session cookie, no
// CSRF middleware package, no middleware checking Origin or a CSRF-token header.
// One finding per session middleware, with one of the state-changing routes as evidence.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { constantString } from '../shared/constant-values';
import { csrfMiddleware, sameSiteOf, sessionLibraryOf } from '../shared/csrf-defences';
import { isTestModule } from '../shared/module-imports';
import { appIndex, mayApplyTo, stateChangingRoutes, type AppIndex, type AppUse, type RouteCall } from '../shared/security-headers-apps';
import { shortText } from '../shared/source-text';
import { forEachCall } from '../shared/walk';

export const rule: Rule = {
  id: 'missing-csrf-protection',
  category: 'security',
  cwe: [352],
  defaultSeverity: 'warning',
  description: 'An Express app with cookie sessions accepts state-changing requests without any CSRF defence.',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    if (isTestModule(ctx) || !ctx.sourceFile.text.includes('session')) return;
    forEachCall(ctx, (call) => {
      const library = sessionLibraryOf(ctx, call);
      if (!library || sameSiteOf(ctx, call, library) === 'protected') return;
      const index = appIndex(ctx);
      const use = useInstalling(ctx, index, call);
      const app = use?.receiver;
      if (!app || !index.apps.has(app)) return;
      const routes = stateChangingRoutes(index, app);
      if (routes.length === 0 || defended(index, app, routes)) return;
      const route = routes[0];
      const appName = (app as { name?: ts.Node }).name;
      const shown = `${shortText(ctx, call.expression)}(…)`;
      ctx.report({
        node: call,
        message: `\`${shown}\` authenticates ${appName ? `\`${shortText(ctx, appName)}\`` : 'the app'} by cookie but its state-changing routes have no CSRF defence: set the cookie's \`sameSite: 'lax'\` (or 'strict') or add CSRF-token middleware such as csrf-csrf.`,
        related: [{ fileName: route.call.getSourceFile().fileName, node: route.call.expression, message: `${routeLabel(route)} accepts cross-site requests carrying the session cookie` }],
      });
    });
  },
};

/** The `use` that installs this session middleware: `app.use(session(…))`, or `app.use(sessions)` with `const sessions = session(…)`. */
function useInstalling(ctx: RuleContext, index: AppIndex, call: ts.CallExpression): AppUse | undefined {
  const { ts } = ctx;
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent))) node = node.parent;
  const holder = ts.isVariableDeclaration(node.parent) && node.parent.initializer === node ? node.parent : undefined;
  return index.uses.find((u) =>
    u.middleware.some((m) => {
      const e = skipOuter(ts, m);
      if (e === call) return true;
      if (!holder || !ts.isIdentifier(e)) return false;
      const symbol = u.ctx.checker.getSymbolAtLocation(e);
      const decl = symbol && symbol.flags & ts.SymbolFlags.Alias ? u.ctx.checker.getAliasedSymbol(symbol).valueDeclaration : symbol?.valueDeclaration;
      return decl === holder;
    }),
  );
}

/** A CSRF middleware installed on the app (or on something that may be it), or on one of its state-changing routes or routers. */
function defended(index: AppIndex, app: ts.Node, routes: readonly RouteCall[]): boolean {
  const routers = new Set(routes.map((r) => r.receiver));
  const appWide = index.uses.some((u) => (mayApplyTo(index, u, app) || (u.receiver && routers.has(u.receiver))) && u.middleware.some((m) => csrfMiddleware(u.ctx, m)));
  if (appWide) return true;
  // Route-level defences: a token check on some of the routes shows the app knows about CSRF.
  return routes.some((r) => r.call.arguments.slice(0, -1).some((a) => csrfMiddleware(r.ctx, a)));
}

function routeLabel(route: RouteCall): string {
  const path = constantString(route.ctx, route.call.arguments[0]);
  return `\`${route.method.toUpperCase()}${path ? ` ${path}` : ''}\``;
}
