// The applications missing-rate-limit judges: where an Express, Fastify or Nest app is
// created, whether it serves routes, and whether its package limits requests anywhere —
// a limiter package imported by any of its files (express-rate-limit, @fastify/rate-limit,
// @nestjs/throttler, rate-limiter-flexible…), a limiter the endpoint inventory sees used
// app-wide, or a hand-written limiter (a middleware that answers 429). One answer per
// program and package: a monorepo's packages are separate applications.
import * as path from 'node:path';
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { appWide } from '../inventory/app-wide';
import { contextFor } from '../inventory/location';
import { receiverDeclaration } from '../inventory/mounts';
import { LIMITER_MODULES } from '../inventory/rate-limit';
import { originOf, resolveCall, skipOuter } from './callee';
import { findRouteHandlers } from './http';
import { isTestModule } from './module-imports';
import type { AppIndex } from './security-headers-apps';

export type AppFramework = 'express' | 'fastify' | 'nest';

const STATUS_SETTERS = new Set(['status', 'sendStatus', 'code', 'writeHead']);
const TOO_MANY_REQUESTS = 429;

interface PackageFacts {
  readonly files: readonly RuleContext[];
  limited?: boolean;
  readonly routes: Map<AppFramework, boolean>;
}

const cache = new WeakMap<ts.Program, Map<string, PackageFacts>>();

/** `Fastify()` / `fastify({ logger })` / `require('fastify')()`: the call that creates a Fastify instance. */
export function isFastifyAppCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const origin = originOf(ctx, call.expression);
  return !!origin && origin.module === 'fastify' && !origin.instance && origin.members.length === 0 && origin.exportPath.every((p) => p === 'default' || p === 'fastify');
}

/** `NestFactory.create(AppModule)` of @nestjs/core. */
export function isNestAppCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'create') return false;
  const origin = originOf(ctx, callee);
  if (origin) return origin.module === '@nestjs/core' && [...origin.exportPath, ...origin.members].join('.') === 'NestFactory.create';
  return resolveCall(ctx, call)?.module === '@nestjs/core';
}

function packageFacts(ctx: RuleContext): PackageFacts {
  const pkg = ctx.project.packageJson(ctx.fileName);
  const scope = `${pkg ? path.posix.dirname(pkg.path) : ctx.project.root}/`;
  let perScope = cache.get(ctx.program);
  if (!perScope) cache.set(ctx.program, (perScope = new Map()));
  let facts = perScope.get(scope);
  if (!facts) {
    const files = ctx.program
      .getSourceFiles()
      .filter((sf) => !sf.isDeclarationFile && sf.fileName.startsWith(scope) && !sf.fileName.includes('/node_modules/'))
      .filter((sf) => ctx.project.packageJson(sf.fileName)?.path === pkg?.path)
      .map((sf) => contextFor(ctx, sf))
      .filter((c) => !isTestModule(c));
    perScope.set(scope, (facts = { files, routes: new Map() }));
  }
  return facts;
}

/** True when anything in the package limits request rates (see the header). */
export function packageLimitsRequests(ctx: RuleContext): boolean {
  const facts = packageFacts(ctx);
  facts.limited ??= facts.files.some((c) => importsLimiter(c) || answersTooManyRequests(c)) || appWide(ctx).limiters.length > 0 || !!appWide(ctx).fastifyOptIn;
  return facts.limited;
}

/** Fastify/Nest: the package registers routes of that framework (its apps are the package's servers). */
export function packageHasRoutes(ctx: RuleContext, framework: 'fastify' | 'nest'): boolean {
  const facts = packageFacts(ctx);
  let found = facts.routes.get(framework);
  if (found === undefined) {
    const gate = framework === 'nest' ? 'Controller' : 'fastify';
    found = facts.files.some((c) => c.sourceFile.text.includes(gate) && findRouteHandlers(c).some((h) => h.framework === framework && h.method !== 'use'));
    facts.routes.set(framework, found);
  }
  return found;
}

/**
 * Express: routes on the app, or on routers mounted on it at any depth; also routes registered
 * on a parameter (`export function routes(app: Express)`) when the package has one app only.
 */
export function expressAppHasRoutes(ctx: RuleContext, index: AppIndex, app: ts.Node): boolean {
  const { ts } = ctx;
  const mounted = new Set<ts.Node>([app]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const u of index.uses) {
      if (!u.receiver || !mounted.has(u.receiver)) continue;
      for (const m of u.middleware) {
        const decl = receiverDeclaration(u.ctx, m);
        if (decl && index.routers.has(decl) && !mounted.has(decl)) {
          mounted.add(decl);
          grew = true;
        }
      }
    }
  }
  return index.routes.some((r) => r.receiver && (mounted.has(r.receiver) || (index.apps.size === 1 && ts.isParameter(r.receiver))));
}

/** `import … from 'express-rate-limit'`, `require('rate-limiter-flexible')`, `import('@fastify/rate-limit')`. */
function importsLimiter(ctx: RuleContext): boolean {
  const { ts } = ctx;
  if (!LIMITER_MODULES.some((m) => ctx.sourceFile.text.includes(m))) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(n) && !n.importClause?.isTypeOnly) specifier = n.moduleSpecifier;
    else if (ts.isCallExpression(n) && n.arguments.length === 1 && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require'))) specifier = n.arguments[0];
    if (specifier && ts.isStringLiteralLike(specifier) && LIMITER_MODULES.includes(packageName(specifier.text))) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  return found;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** A hand-written limiter: `res.status(429)`, `reply.code(429)`, `res.statusCode = 429`, Nest's `HttpStatus.TOO_MANY_REQUESTS`. */
function answersTooManyRequests(ctx: RuleContext): boolean {
  const { ts } = ctx;
  const text = ctx.sourceFile.text;
  if (!text.includes(String(TOO_MANY_REQUESTS)) && !text.includes('TOO_MANY_REQUESTS')) return false;
  const is429 = (e: ts.Expression | undefined) => !!e && ts.isNumericLiteral(skipOuter(ts, e)) && Number((skipOuter(ts, e) as ts.NumericLiteral).text) === TOO_MANY_REQUESTS;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && STATUS_SETTERS.has(n.expression.name.text) && is429(n.arguments[0])) found = true;
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && n.left.name.text === 'statusCode' && is429(n.right)) found = true;
    else if (ts.isPropertyAccessExpression(n) && n.name.text === 'TOO_MANY_REQUESTS' && originOf(ctx, n)?.module.startsWith('@nestjs/')) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  return found;
}
