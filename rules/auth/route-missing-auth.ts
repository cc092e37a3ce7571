// route-missing-auth: a route with no authentication on a router or Nest controller whose
// other routes mostly authenticate on the route itself — the one someone forgot. Routes
// public by what they are (health probes, login pages, the login route, webhooks, OPTIONS,
// `@Public()` methods) and routes that anything app-wide or in the handler authenticates
// (the inventory's authentication cell) are left alone.
import type { ts } from 'ts-morph';
import type { Rule } from '../api';
import { codeLabel } from '../inventory/location';
import { skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { reportNode, routeLabel, routesOfFile, type FileRoute } from '../shared/login-routes';
import { isPublicBySemantics, middlewareInScope, routeLevelAuth, siblingGroups, type AuthOnRoute } from '../shared/route-auth-siblings';

export const rule: Rule = {
  id: 'route-missing-auth',
  category: 'auth',
  cwe: [862],
  defaultSeverity: 'error',
  description: 'A route without the authentication its sibling routes on the same router or controller carry.',
  needsTypes: true,
  fixable: true,
  concerns: ['authentication'],
  check(ctx) {
    if (isTestModule(ctx)) return;
    for (const group of siblingGroups(routesOfFile(ctx))) {
      if (group.length < 3 || ctx.isCancellationRequested()) continue;
      const authed = new Map<FileRoute, AuthOnRoute>();
      for (const r of group) {
        const a = routeLevelAuth(ctx, r);
        if (a) authed.set(r, a);
      }
      if (authed.size < 2) continue;
      const reported = new Set<ts.Node>();
      for (const route of group) {
        if (authed.has(route) || reported.has(route.registration)) continue;
        // Routes public by what they are (health, OPTIONS) say nothing about the router's policy.
        const siblings = group.filter((r) => r !== route && r.registration !== route.registration && (authed.has(r) || !isPublicBySemantics(ctx, r)));
        const authedSiblings = siblings.filter((r) => authed.has(r));
        if (authedSiblings.length < 2 || authedSiblings.length * 2 <= siblings.length) continue;
        if (route.endpoints.some((e) => e.controls.authentication.state === 'ok')) continue;
        if (isPublicBySemantics(ctx, route)) continue;
        reported.add(route.registration);
        const evidence = authedSiblings.map((r) => authed.get(r)!);
        const name = mostCommon(evidence.map((e) => codeLabel(e.middleware)));
        const model = evidence.find((e) => codeLabel(e.middleware) === name)!;
        ctx.report({
          node: reportNode(ctx, route),
          message: `\`${routeLabel(route)}\` has no authentication while ${authedSiblings.length} of the ${siblings.length} other routes on its ${route.framework === 'nest' ? 'controller' : 'router'} use \`${name}\`: add \`${name}\` to it, or mark it public on purpose.`,
          related: evidence.slice(0, 2).map((e) => ({ node: e.middleware, message: `\`${routeLabel(e.route)}\` is authenticated by \`${codeLabel(e.middleware)}\`` })),
          fixes: expressFix(ctx, route, model),
        });
      }
    }
  },
};

function mostCommon(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

/** Express: the siblings' middleware, when a plain identifier naming the same value here, after the path. */
function expressFix(ctx: Parameters<Rule['check']>[0], route: FileRoute, model: AuthOnRoute) {
  const { ts } = ctx;
  const call = route.registration;
  if (route.framework !== 'express' || !ts.isCallExpression(call) || call.arguments.length < 2) return undefined;
  if (!ts.isStringLiteralLike(skipOuter(ts, call.arguments[0]))) return undefined;
  const id = middlewareInScope(ctx, model.middleware, call);
  if (!id) return undefined;
  const at = call.arguments[1].getStart(ctx.sourceFile);
  return () => [{ title: `Require \`${id.text}\` on this route, as its siblings do`, isPreferred: true, safe: false, edits: [{ fileName: ctx.fileName, start: at, end: at, newText: `${id.text}, ` }] }];
}
