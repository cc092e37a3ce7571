// expensive-route-without-strict-limit: a route that costs far more than an ordinary request —
// it sends e-mail or SMS, takes an upload, creates an account, starts a password reset, runs a
// search or generates an export — while only the limiter the whole API shares covers it (or
// none does, though the app limits other routes). Routes with credentials and no limiter at
// all are login-without-rate-limit's, apps with no limiter at all missing-rate-limit's.
import type { Rule } from '../api';
import { codeLabel } from '../inventory/location';
import { coverage } from '../shared/expensive-route-limits';
import { strictLimiterFix } from '../shared/expensive-route-fix';
import { expensiveWork } from '../shared/expensive-route-work';
import { takesCredentials } from '../shared/login-credentials';
import { reportNode, routeLabel, routesOfFile } from '../shared/login-routes';
import { isTestModule } from '../shared/module-imports';

const CHEAP_METHODS = new Set(['OPTIONS', 'HEAD']);

export const rule: Rule = {
  id: 'expensive-route-without-strict-limit',
  category: 'security',
  cwe: [770, 799],
  defaultSeverity: 'warning',
  description: 'A route that sends mail or SMS, takes uploads, signs up, resets passwords, searches or exports is covered only by the limiter the whole API shares.',
  needsTypes: true,
  fixable: true,
  concerns: ['rateLimiting'],
  check(ctx) {
    if (isTestModule(ctx)) return;
    const seen = new Set<import('ts-morph').ts.Node>();
    for (const route of routesOfFile(ctx)) {
      if (ctx.isCancellationRequested()) return;
      if (CHEAP_METHODS.has(route.method) || seen.has(route.registration)) continue;
      const covered = coverage(ctx, route);
      if (covered.kind === 'dedicated' || (covered.kind === 'uncovered' && !covered.appLimiter)) continue;
      const work = expensiveWork(ctx, route);
      if (!work) continue;
      // With no limiter at all, a route taking credentials is login-without-rate-limit's finding.
      if (covered.kind === 'uncovered' && takesCredentials(ctx, route)) continue;
      seen.add(route.registration);
      const limiter = covered.kind === 'shared' ? covered.limiter : covered.appLimiter!;
      const coveredBy = covered.kind === 'shared' ? `only the app-wide limiter \`${codeLabel(limiter)}\` covers it` : `no limiter covers it, though the app limits other routes with \`${codeLabel(limiter)}\``;
      ctx.report({
        node: reportNode(ctx, route),
        message: `\`${routeLabel(route)}\` ${work.note} but ${coveredBy}: give it a strict limiter of its own (e.g. \`rateLimit({ windowMs: 15 * 60 * 1000, limit: 10 })\` as route middleware).`,
        related: [
          { fileName: work.node.getSourceFile().fileName, node: work.node, message: 'The expensive work happens here' },
          { fileName: limiter.getSourceFile().fileName, node: limiter, message: covered.kind === 'shared' ? 'The limiter every route shares' : 'The app’s limiter, which does not cover this route' },
        ],
        fixes: strictLimiterFix(ctx, route),
      });
    }
  },
};
