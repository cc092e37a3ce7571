// Is a handler's rejection forwarded by something around it? Express 5 and
// express-async-errors forward every handler's (express-version.ts); a router from
// express-promise-router does too; and a wrapper at the registration
// (`asyncHandler(fn)`, `catchAsync(fn)`) does when it catches — decided from the
// wrapper's own body when it is project code, trusted when it comes from a package.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { functionOf, type RouteHandler } from '../../shared/http';
import { expressForwardsRejections } from '../unguarded-external-call/express-version';

const PROMISE_ROUTERS = ['express-promise-router'];

/** True only when the project is known to run Express 4 and nothing patches it or its routers. */
export function projectLosesRejections(ctx: RuleContext): boolean {
  return expressForwardsRejections(ctx) === false && !usesPromiseRouter(ctx);
}

export type WrapperVerdict = { readonly kind: 'none' } | { readonly kind: 'forwards' } | { readonly kind: 'drops'; readonly wrapper: ts.CallExpression; readonly name: string };

/** What the calls wrapping `handler.fn` at its registration do with its rejection. */
export function wrapperOf(ctx: RuleContext, handler: RouteHandler): WrapperVerdict {
  const { ts } = ctx;
  const registration = handler.registration;
  if (!ts.isCallExpression(registration)) return { kind: 'none' };
  const args: ts.Expression[] = [];
  for (const a of registration.arguments) {
    const e = skipOuter(ts, a);
    if (ts.isArrayLiteralExpression(e)) args.push(...e.elements);
    else args.push(a);
  }
  const arg = args.find((a) => functionOf(ctx, a) === handler.fn);
  let dropping: ts.CallExpression | undefined;
  for (let e = arg && skipOuter(ts, arg), depth = 0; e && ts.isCallExpression(e) && depth < 2; depth++) {
    const callee = skipOuter(ts, e.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') break;
    const verdict = wrapperCatches(ctx, e);
    if (verdict !== false) return { kind: 'forwards' };
    dropping ??= e;
    const last = e.arguments[e.arguments.length - 1];
    e = last && skipOuter(ts, last);
  }
  return dropping ? { kind: 'drops', wrapper: dropping, name: skipOuter(ts, dropping.expression).getText() } : { kind: 'none' };
}

/** true/undefined (a package's wrapper, or one we cannot read): forwards; false: its body catches nothing. */
function wrapperCatches(ctx: RuleContext, call: ts.CallExpression): boolean | undefined {
  const target = resolveCall(ctx, call);
  if (target?.module && !target.module.startsWith('.')) return true;
  const wrapper = functionOf(ctx, call.expression);
  if (!wrapper?.body) return undefined;
  return catchesSomewhere(ctx, wrapper.body);
}

/** A `.catch(f)`, `.then(f, g)` or try/catch anywhere in the wrapper, the function it returns included. */
function catchesSomewhere(ctx: RuleContext, body: ts.Node): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isTryStatement(n) && n.catchClause) found = true;
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const member = n.expression.name.text;
      if ((member === 'catch' && n.arguments.length >= 1) || (member === 'then' && n.arguments.length >= 2)) found = true;
    }
    if (!found) ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

const routerCache = new WeakMap<ts.Program, Map<string, boolean>>();

/** A declared dependency on a promise-aware router, or an import of one in the package's code. */
function usesPromiseRouter(ctx: RuleContext): boolean {
  const pkg = ctx.project.packageJson(ctx.fileName);
  if (pkg && PROMISE_ROUTERS.some((p) => p in pkg.allDependencies)) return true;
  const scope = `${pkg ? pkg.path.slice(0, pkg.path.lastIndexOf('/')) : ctx.project.root}/`;
  let perPackage = routerCache.get(ctx.program);
  if (!perPackage) routerCache.set(ctx.program, (perPackage = new Map()));
  let found = perPackage.get(scope);
  if (found === undefined) {
    found = ctx.program
      .getSourceFiles()
      .some((sf) => !sf.isDeclarationFile && sf.fileName.startsWith(scope) && !sf.fileName.includes('/node_modules/') && PROMISE_ROUTERS.some((p) => sf.text.includes(p)) && importsModule(ctx, sf, PROMISE_ROUTERS));
    perPackage.set(scope, found);
  }
  return found;
}

function importsModule(ctx: RuleContext, sf: ts.SourceFile, modules: readonly string[]): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && modules.includes(n.moduleSpecifier.text)) found = true;
    else if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'require' && n.arguments[0] && ts.isStringLiteral(n.arguments[0]) && modules.includes(n.arguments[0].text)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}
