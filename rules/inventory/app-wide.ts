// Protections that cover every route of an application wherever they are written:
// `app.use(limiter)` on the Express/Koa app, `app.register(rateLimit)` on Fastify,
// Nest's global guards (`APP_GUARD` providers, `app.useGlobalGuards(…)`) and its
// ThrottlerModule. Indexed once per program and package (a monorepo's packages are
// separate applications), like the outbound-HTTP project defaults.
import * as path from 'node:path';
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, resolveCall, skipOuter } from '../shared/callee';
import { authOfMiddleware, type Evidence } from './auth';
import { contextFor } from './location';
import { LIMITER_MODULES, limiterOfMiddleware } from './rate-limit';
import type { EndpointFramework } from './types';

export interface AppWideEvidence extends Evidence {
  readonly framework: EndpointFramework;
  /** `app.use('/api', limiter)`: the paths it is scoped to; undefined: all. */
  readonly paths?: readonly string[];
}

export interface AppWide {
  readonly limiters: readonly AppWideEvidence[];
  /** Nest global guards that authenticate. */
  readonly authGuards: readonly AppWideEvidence[];
  /** `ThrottlerModule.forRoot(…)`: configured, but it limits nothing until a ThrottlerGuard runs. */
  readonly throttlerModule?: ts.Node;
  /** @fastify/rate-limit registered with `global: false`: only routes with `config.rateLimit` are limited. */
  readonly fastifyOptIn?: ts.Node;
  /** Nest's `app.setGlobalPrefix('api')`. */
  readonly nestGlobalPrefix?: string;
}

type Found = { -readonly [K in keyof AppWide]: AppWide[K] extends readonly (infer T)[] ? T[] : AppWide[K] };

const APP_MODULES: Readonly<Record<string, EndpointFramework>> = { express: 'express', koa: 'koa', fastify: 'fastify' };
const cache = new WeakMap<ts.Program, Map<string, AppWide>>();
const byFile = new WeakMap<ts.Program, WeakMap<ts.SourceFile, AppWide>>();

export function appWide(ctx: RuleContext): AppWide {
  let files = byFile.get(ctx.program);
  if (!files) byFile.set(ctx.program, (files = new WeakMap()));
  let found = files.get(ctx.sourceFile);
  if (!found) files.set(ctx.sourceFile, (found = appWideOfPackage(ctx)));
  return found;
}

function appWideOfPackage(ctx: RuleContext): AppWide {
  const pkg = ctx.project.packageJson(ctx.fileName);
  const scope = `${pkg ? path.posix.dirname(pkg.path) : ctx.project.root}/`;
  let perScope = cache.get(ctx.program);
  if (!perScope) cache.set(ctx.program, (perScope = new Map()));
  let found = perScope.get(scope);
  if (!found) perScope.set(scope, (found = build(ctx, scope, pkg?.path)));
  return found;
}

function build(ctx: RuleContext, scope: string, pkgPath: string | undefined): AppWide {
  const files = ctx.program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && sf.fileName.startsWith(scope) && !sf.fileName.includes('/node_modules/'));
  const out: Found = { limiters: [], authGuards: [] };
  // Without a limiter package imported anywhere there is no limiter to find, and Nest's guards
  // need `@nestjs/core`/`@nestjs/common`: skip the walk when the texts name neither.
  const wanted = (sf: ts.SourceFile) => LIMITER_MODULES.some((m) => sf.text.includes(m)) || sf.text.includes('@nestjs/');
  if (!files.some(wanted)) return out;
  for (const sf of files) {
    if (!['.use(', '.register(', 'APP_GUARD', 'useGlobalGuards', 'ThrottlerModule', 'setGlobalPrefix'].some((t) => sf.text.includes(t))) continue;
    // A file of a nested package belongs to that package.
    if (ctx.project.packageJson(sf.fileName)?.path !== pkgPath) continue;
    scan(contextFor(ctx, sf), sf, out);
  }
  return out;
}

function scan(ctx: RuleContext, sf: ts.SourceFile, out: Found): void {
  const { ts } = ctx;
  const nestGuard = (expr: ts.Expression) => {
    const limiter = limiterOfMiddleware(ctx, expr);
    if (limiter) out.limiters.push({ ...limiter, framework: 'nest', note: `${limiter.note}, as a global guard` });
    const auth = authOfMiddleware(ctx, expr);
    if (auth) out.authGuards.push({ ...auth, framework: 'nest', note: `${auth.note}, as a global guard` });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      const receiver = node.expression.expression;
      if (name === 'use') appUse(ctx, node, receiver, out.limiters);
      else if (name === 'register') fastifyRegister(ctx, node, out);
      else if (name === 'useGlobalGuards') node.arguments.forEach(nestGuard);
      else if (name === 'setGlobalPrefix') {
        const prefix = node.arguments[0] && skipOuter(ts, node.arguments[0]);
        const nestApp = originOf(ctx, receiver)?.module === '@nestjs/core' || resolveCall(ctx, node)?.module?.startsWith('@nestjs/');
        if (prefix && ts.isStringLiteralLike(prefix) && nestApp) out.nestGlobalPrefix ??= prefix.text;
      }
      else if (name === 'forRoot' || name === 'forRootAsync') {
        if (originOf(ctx, receiver)?.module === '@nestjs/throttler') out.throttlerModule ??= node;
      }
    }
    // { provide: APP_GUARD, useClass: ThrottlerGuard }
    if (ts.isObjectLiteralExpression(node)) {
      const provide = property(ts, node, 'provide');
      const guard = property(ts, node, 'useClass') ?? property(ts, node, 'useExisting');
      const token = provide && originOf(ctx, provide);
      if (guard && token?.module === '@nestjs/core' && [...token.exportPath, ...token.members].pop() === 'APP_GUARD') nestGuard(guard);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

function property(ts: RuleContext['ts'], o: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const p = o.properties.find((x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && x.name.getText() === name);
  return p?.initializer;
}

/** The framework of an application object (`express()`, `new Koa()`, `Fastify()`), not of a router. */
function appFramework(ctx: RuleContext, receiver: ts.Expression): EndpointFramework | undefined {
  const origin = originOf(ctx, receiver);
  if (!origin || !origin.instance || origin.members.length > 0) return undefined;
  const framework = APP_MODULES[origin.module];
  return framework && origin.exportPath.every((p) => p === 'default' || p === 'fastify') ? framework : undefined;
}

function appUse(ctx: RuleContext, call: ts.CallExpression, receiver: ts.Expression, limiters: AppWideEvidence[]): void {
  const { ts } = ctx;
  const framework = appFramework(ctx, receiver);
  if (!framework) return;
  const first = call.arguments[0] && skipOuter(ts, call.arguments[0]);
  const paths = first && ts.isStringLiteralLike(first) ? [first.text] : undefined;
  for (const arg of paths ? call.arguments.slice(1) : call.arguments) {
    const limiter = limiterOfMiddleware(ctx, arg);
    if (limiter) limiters.push({ ...limiter, framework, paths, note: `${limiter.note}, app-wide` });
  }
}

function fastifyRegister(ctx: RuleContext, call: ts.CallExpression, out: Found): void {
  const { ts } = ctx;
  const [plugin, options] = call.arguments;
  const limiter = plugin && limiterOfMiddleware(ctx, plugin);
  if (!limiter) return;
  const o = options && skipOuter(ts, options);
  const global = o && ts.isObjectLiteralExpression(o) ? property(ts, o, 'global') : undefined;
  if (global && skipOuter(ts, global).kind === ts.SyntaxKind.FalseKeyword) out.fastifyOptIn ??= call;
  else out.limiters.push({ ...limiter, framework: 'fastify', note: `${limiter.note}, registered for the whole instance` });
}
