// missing-error-middleware: an Express app with routes but no error-handling middleware
// (a four-parameter function, or an error handler from Sentry/errorhandler) anywhere in
// its package. Express's fallback answers HTML with only a status text, never reaches an
// error tracker, and leaves the app's API without one consistent error shape. One
// finding per app; the fix adds a handler that logs and answers a generic 500.
import type { ts } from 'ts-morph';
import type { Fix, Rule, RuleContext } from '../api';
import { resolveCall, skipOuter } from '../shared/callee';
import { fileStyle, projectLogger } from '../shared/logger';
import { isTestModule } from '../shared/module-imports';
import { appIndex, holderOf, isExpressAppCall, routesOf, type AppIndex } from '../shared/security-headers-apps';
import { forEachCall } from '../shared/walk';
import { appInsertion, expressNamespace, placed } from '../shared/express-app-edits';

/** Packages whose middleware handles errors (`Sentry.Handlers.errorHandler()`, `errorhandler()`). */
const ERROR_HANDLER_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  '@sentry/node': ['errorHandler', 'setupExpressErrorHandler'],
  errorhandler: ['*'],
  'express-error-handler': ['*'],
  'api-error-handler': ['*'],
};

export const rule: Rule = {
  id: 'missing-error-middleware',
  category: 'error-handling',
  cwe: [755],
  defaultSeverity: 'warning',
  description: 'An Express app with routes has no error-handling middleware to log errors and answer them in one shape.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx) || !ctx.sourceFile.text.includes('express')) return;
    forEachCall(ctx, (call) => {
      if (!isExpressAppCall(ctx, call)) return;
      const holder = holderOf(ctx, call);
      if (!holder) return;
      const index = appIndex(ctx);
      if (routesOf(index, holder).length === 0 || hasErrorHandler(ctx, index, holder)) return;
      const name = ctx.ts.isVariableDeclaration(holder) && ctx.ts.isIdentifier(holder.name) ? holder.name.text : 'app';
      ctx.report({
        node: call,
        message: `Express app \`${name}\` has routes but no error-handling middleware: add \`${name}.use((err, req, res, next) => …)\` after the routes to log the error and answer a generic 500 in the API's format.`,
        fixes: () => errorHandlerFix(ctx, holder, name),
      });
    });
  },
};

/**
 * A `use` in the package that may be on this app (not on another app) installing an error handler —
 * a function of four parameters or a known package's — or Sentry's setup call. A handler on a router
 * counts too: unsure → silent.
 */
function hasErrorHandler(ctx: RuleContext, index: AppIndex, app: ts.Node): boolean {
  const onOtherApp = (u: AppIndex['uses'][number]) => !!u.receiver && u.receiver !== app && index.apps.has(u.receiver);
  if (index.uses.some((u) => !onOtherApp(u) && u.middleware.some((m) => isErrorHandler(u.ctx, m)))) return true;
  // Sentry.setupExpressErrorHandler(app) registers it without a `use` in our code.
  let found = false;
  const pkg = ctx.project.packageJson(ctx.fileName)?.path;
  for (const sf of ctx.program.getSourceFiles()) {
    if (found || sf.isDeclarationFile || !sf.text.includes('ErrorHandler') || ctx.project.packageJson(sf.fileName)?.path !== pkg) continue;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ctx.ts.isCallExpression(n) && isKnownHandlerCall(ctx, n)) found = true;
      ctx.ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return found;
}

function isErrorHandler(ctx: RuleContext, middleware: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, middleware);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return e.parameters.length === 4;
  if (ts.isCallExpression(e)) return isKnownHandlerCall(ctx, e);
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
    const decl = ctx.checker.getSymbolAtLocation(ts.isIdentifier(e) ? e : e.name)?.valueDeclaration;
    if (decl && (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl))) return decl.parameters.length === 4;
    const init = decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuter(ts, decl.initializer) : undefined;
    if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return init.parameters.length === 4;
    // A typed ErrorRequestHandler value we cannot see into.
    const type = ctx.checker.getTypeAtLocation(e);
    return (type.aliasSymbol?.name ?? type.getSymbol()?.name) === 'ErrorRequestHandler';
  }
  return false;
}

function isKnownHandlerCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const target = resolveCall(ctx, call);
  const names = target?.module ? ERROR_HANDLER_PACKAGES[target.module] : undefined;
  return !!names && (names.includes('*') || names.includes(target!.name));
}

/** An error handler after the app's routes (see express-app-edits.ts for where). */
function errorHandlerFix(ctx: RuleContext, holder: ts.Node, name: string): Fix[] {
  const insertion = appInsertion(ctx, holder, name);
  if (!insertion) return [];
  const typed = !/\.[cm]?js$/.test(ctx.fileName);
  const expressName = typed ? expressNamespace(ctx) : undefined;
  if (typed && !expressName) return [];
  const style = fileStyle(ctx);
  const q = style.quote;
  const semi = style.semicolons ? ';' : '';
  const log = projectLogger(ctx, insertion.anchor).statementFor('error', 'err', 'Unhandled error');
  const params = typed ? `err: unknown, _req: ${expressName}.Request, res: ${expressName}.Response, next: ${expressName}.NextFunction` : 'err, _req, res, next';
  const text =
    `${name}.use((${params}) => {\n` +
    `  ${log}\n` +
    `  if (res.headersSent) return next(err)${semi}\n` +
    `  res.status(500).json({ error: ${q}Internal Server Error${q} })${semi}\n` +
    `})${semi}\n`;
  return [{ title: `Add an error handler to \`${name}\``, isPreferred: true, safe: false, edits: [{ fileName: ctx.fileName, start: insertion.at, end: insertion.at, newText: placed(insertion, text) }] }];
}
