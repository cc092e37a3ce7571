// missing-rate-limit: an Express, Fastify or Nest application that serves routes while nothing
// in its package limits request rates. One finding per app, where it is created; a limiter
// anywhere the app's package sees (a limiter package imported, a middleware answering 429)
// keeps it silent — whether each route is covered is for the route-level rules to judge.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { expressAppHasRoutes, isFastifyAppCall, isNestAppCall, packageHasRoutes, packageLimitsRequests } from '../shared/missing-rate-limit-apps';
import { expressLimiterEdits, fastifyLimiterEdits } from '../shared/missing-rate-limit-fix';
import { nestThrottlerEdits } from '../shared/missing-rate-limit-nest-fix';
import { isTestModule } from '../shared/module-imports';
import { appIndex, holderOf, isExpressAppCall } from '../shared/security-headers-apps';
import { shortText } from '../shared/source-text';
import { forEachCall } from '../shared/walk';

export const rule: Rule = {
  id: 'missing-rate-limit',
  category: 'security',
  cwe: [770],
  defaultSeverity: 'warning',
  description: 'An Express, Fastify or Nest API serves routes with no rate limiting anywhere.',
  needsTypes: true,
  fixable: true,
  concerns: ['rateLimiting'],
  check(ctx) {
    if (isTestModule(ctx)) return;
    const text = ctx.sourceFile.text;
    if (!text.includes('express') && !text.includes('fastify') && !text.includes('NestFactory')) return;
    forEachCall(ctx, (call) => {
      if (isExpressAppCall(ctx, call)) checkExpress(ctx, call);
      else if (isFastifyAppCall(ctx, call)) checkFastify(ctx, call);
      else if (isNestAppCall(ctx, call)) checkNest(ctx, call);
    });
  },
};

function appName(ctx: RuleContext, holder: ts.Node | undefined): string {
  const name = holder && (holder as { name?: ts.Node }).name;
  return name && ctx.ts.isIdentifier(name) ? shortText(ctx, name) : 'app';
}

function checkExpress(ctx: RuleContext, call: ts.CallExpression): void {
  const holder = holderOf(ctx, call);
  if (!holder || !expressAppHasRoutes(ctx, appIndex(ctx), holder) || packageLimitsRequests(ctx)) return;
  const app = appName(ctx, holder);
  const hasPackage = ctx.project.hasDependency(ctx.fileName, 'express-rate-limit');
  const edits = hasPackage ? expressLimiterEdits(ctx, holder) : undefined;
  ctx.report({
    node: call,
    message: hasPackage
      ? `Express app \`${app}\` serves its routes with no rate limiting: add \`${app}.use(rateLimit({ … }))\` from express-rate-limit before its routes.`
      : `Express app \`${app}\` serves its routes with no rate limiting: add the express-rate-limit package and \`${app}.use(rateLimit({ … }))\` before its routes.`,
    fixes: edits ? () => [{ title: `Limit every route of ${app} with express-rate-limit (300 requests per 15 minutes)`, isPreferred: true, safe: false, edits }] : undefined,
  });
}

function checkFastify(ctx: RuleContext, call: ts.CallExpression): void {
  const holder = holderOf(ctx, call);
  if (!packageHasRoutes(ctx, 'fastify') || packageLimitsRequests(ctx)) return;
  const app = appName(ctx, holder);
  const edits = holder && ctx.project.hasDependency(ctx.fileName, '@fastify/rate-limit') ? fastifyLimiterEdits(ctx, holder) : undefined;
  ctx.report({
    node: call,
    message: `Fastify instance \`${app}\` serves its routes with no rate limiting: register @fastify/rate-limit (\`await ${app}.register(rateLimit, { max: 300, timeWindow: '15 minutes' })\`) before its routes.`,
    fixes: edits ? () => [{ title: `Register @fastify/rate-limit on ${app} (300 requests per 15 minutes)`, isPreferred: true, safe: false, edits }] : undefined,
  });
}

function checkNest(ctx: RuleContext, call: ts.CallExpression): void {
  if (!packageHasRoutes(ctx, 'nest') || packageLimitsRequests(ctx)) return;
  const edits = ctx.project.hasDependency(ctx.fileName, '@nestjs/throttler') ? nestThrottlerEdits(ctx, call) : undefined;
  ctx.report({
    node: call,
    message: `The Nest application created by \`${shortText(ctx, call.expression)}\` serves its controllers with no rate limiting: import \`ThrottlerModule.forRoot(…)\` from @nestjs/throttler and register \`ThrottlerGuard\` as an \`APP_GUARD\`.`,
    fixes: edits ? () => [{ title: 'Limit every controller with @nestjs/throttler (100 requests per minute, ThrottlerGuard as APP_GUARD)', isPreferred: true, safe: false, edits }] : undefined,
  });
}
