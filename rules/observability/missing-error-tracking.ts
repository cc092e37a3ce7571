// missing-error-tracking: a package that starts a server (Express/Koa/Fastify/Nest `listen`,
// node http) but sets up no error tracker or tracing anywhere — no Sentry, OpenTelemetry SDK,
// Datadog, New Relic, Elastic APM, Rollbar, Bugsnag, Honeybadger or Airbrake, in code or
// preloaded by a package.json script. Errors then exist only as log lines nobody is alerted
// on. One finding per package, at the first entry point's `listen` (files in path order).
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { contextFor } from '../inventory/location';
import { resolveCall, skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { packageTracksErrors } from './missing-error-tracking/package-tracking';

const SERVER_MODULES = new Set(['express', 'express-serve-static-core', 'http', 'https', 'http2', 'net', 'node', 'koa', 'fastify', '@nestjs/common', '@nestjs/core']);
/** Folders of code that is not the deployed service. */
const NOT_A_SERVICE = /\/(?:scripts?|bin|cli|tools|e2e|__tests__|test|tests|fixtures?|examples?)\//;

export const rule: Rule = {
  id: 'missing-error-tracking',
  category: 'observability',
  cwe: [778],
  defaultSeverity: 'info',
  description: 'A package starts a server but initialises no error tracking or tracing (Sentry, OpenTelemetry, Datadog, New Relic…): production errors reach no one.',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    if (!ctx.sourceFile.text.includes('listen') || !isServiceModule(ctx, ctx.sourceFile)) return;
    const pkg = ctx.project.packageJson(ctx.fileName);
    if (!pkg) return;
    const entry = packageEntry(ctx, pkg.path);
    if (!entry || entry.getSourceFile() !== ctx.sourceFile) return;
    const files = packageFiles(ctx, pkg.path);
    const scripts = ((pkg.raw as { scripts?: Record<string, unknown> } | undefined)?.scripts ?? {}) as Record<string, unknown>;
    if (packageTracksErrors(ctx, { packageJsonPath: pkg.path, files }, scripts)) return;
    ctx.report({
      node: entry.expression,
      message: `\`${entry.expression.getText(ctx.sourceFile)}\` starts a server in a package that sets up no error tracking or tracing: initialise one (Sentry, OpenTelemetry, Datadog, New Relic…) so production errors raise an alert with their stack and request.`,
    });
  },
};

const entries = new WeakMap<ts.Program, Map<string, ts.CallExpression | null>>();

/** The first `listen` of a server in the package's non-test modules, by file path. */
function packageEntry(ctx: RuleContext, packageJsonPath: string): ts.CallExpression | undefined {
  let byPackage = entries.get(ctx.program);
  if (!byPackage) entries.set(ctx.program, (byPackage = new Map()));
  if (!byPackage.has(packageJsonPath)) {
    let found: ts.CallExpression | undefined;
    for (const sf of packageFiles(ctx, packageJsonPath)) {
      if (!sf.text.includes('listen')) continue;
      const c = contextFor(ctx, sf);
      if (!isServiceModule(c, sf)) continue;
      found = firstListen(c, sf);
      if (found) break;
    }
    byPackage.set(packageJsonPath, found ?? null);
  }
  return byPackage.get(packageJsonPath) ?? undefined;
}

function packageFiles(ctx: RuleContext, packageJsonPath: string): ts.SourceFile[] {
  return ctx.program
    .getSourceFiles()
    .filter((sf) => !sf.isDeclarationFile && !sf.fileName.includes('/node_modules/') && ctx.project.packageJson(sf.fileName)?.path === packageJsonPath)
    .sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
}

function firstListen(ctx: RuleContext, sf: ts.SourceFile): ts.CallExpression | undefined {
  const { ts } = ctx;
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && isServerListen(ctx, node)) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function isServerListen(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'listen') return false;
  const module = resolveCall(ctx, call)?.module;
  return !!module && SERVER_MODULES.has(module);
}

/** Not a test, CLI, script or tool: code that runs as the deployed service. */
function isServiceModule(ctx: RuleContext, sf: ts.SourceFile): boolean {
  // Folders are read inside the package: the package itself may well live under a `test/` folder.
  const pkg = ctx.project.packageJson(sf.fileName)?.path;
  const inPackage = pkg ? sf.fileName.slice(pkg.lastIndexOf('/')) : sf.fileName;
  return !isTestModule(ctx) && !NOT_A_SERVICE.test(inPackage) && !sf.text.startsWith('#!');
}
