// login-without-rate-limit: a route that takes credentials (verifies a password, or is a
// login/signup/reset/OTP/token endpoint reading a body) and no rate limiter runs before it.
// "Is it limited?" is the endpoint inventory's rate-limiting cell (route middleware,
// app/router-wide limiters covering its path, Nest throttler guards, Fastify route config).
import type { Rule } from '../api';
import { isTestModule } from '../shared/module-imports';
import { takesCredentials } from '../shared/login-credentials';
import { rateLimitFix } from '../shared/login-rate-limit-fix';
import { reportNode, routeLabel, routesOfFile } from '../shared/login-routes';

const NOT_CREDENTIAL_METHODS = new Set(['OPTIONS', 'HEAD']);

export const rule: Rule = {
  id: 'login-without-rate-limit',
  category: 'auth',
  cwe: [307],
  defaultSeverity: 'warning',
  description: 'A login, signup, password-reset, OTP or token route that no rate limiter protects against brute force.',
  needsTypes: true,
  fixable: true,
  concerns: ['rateLimiting'],
  check(ctx) {
    if (isTestModule(ctx)) return;
    const seen = new Set<import('ts-morph').ts.Node>();
    for (const route of routesOfFile(ctx)) {
      if (ctx.isCancellationRequested()) return;
      if (NOT_CREDENTIAL_METHODS.has(route.method) || seen.has(route.registration)) continue;
      // A route reached through several mounts is reported only when none of them limits it.
      if (route.endpoints.some((e) => e.controls.rateLimiting.state === 'ok')) continue;
      const credentials = takesCredentials(ctx, route);
      if (!credentials) continue;
      seen.add(route.registration);
      ctx.report({
        node: reportNode(ctx, route),
        message: `\`${routeLabel(route)}\` ${credentials.note} but no rate limiter runs before it: limit attempts per client (e.g. express-rate-limit, @nestjs/throttler, @fastify/rate-limit) to stop password guessing.`,
        related: [{ fileName: credentials.node.getSourceFile().fileName, node: credentials.node, message: 'Credentials are checked here' }],
        fixes: rateLimitFix(ctx, route),
      });
    }
  },
};
