// axios and got clients: the library's default export or an instance made from it
// (`axios.create`, `got.extend`), followed through consts, class properties and
// constructor assignments; and the package-wide defaults that bound every request.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { originOf, resolveCall, skipOuter } from '../callee';
import { isZero, optionProperty } from './options';

/** Where a client value comes from: the library's default export, or an instance made with a config. */
export type ClientSource =
  | { readonly kind: 'default' }
  | { readonly kind: 'created'; readonly creation: ts.CallExpression; readonly holder: ts.Symbol | undefined }
  | { readonly kind: 'unknown' };

const MAX_DEPTH = 6;

/** True when `expr` is an axios/got client (the default export or an instance made from it). */
export function isClientValue(ctx: RuleContext, expr: ts.Expression, pkg: 'axios' | 'got'): boolean {
  const { ts } = ctx;
  const type = ctx.checker.getTypeAtLocation(expr);
  if (type.getCallSignatures().length > 0) {
    const names = pkg === 'axios' ? ['AxiosStatic', 'AxiosInstance'] : ['Got'];
    for (const symbol of [type.aliasSymbol, type.getSymbol()]) {
      if (symbol && names.includes(symbol.name) && symbol.declarations?.some((d) => declaredIn(d, pkg))) return true;
    }
    // got's `Got` is an intersection; its alias survives only on the declared type.
    if (pkg === 'got' && type.isIntersection() && type.types.some((t) => t.aliasSymbol?.name === 'GotRequestFunction' && t.aliasSymbol.declarations?.some((d) => declaredIn(d, pkg)))) return true;
  }
  // Plain JS without the library's types: follow the value to its import.
  if (!ts.isIdentifier(skipOuter(ts, expr)) && !ts.isPropertyAccessExpression(skipOuter(ts, expr))) return false;
  const origin = originOf(ctx, expr);
  if (!origin || origin.module !== pkg || origin.members.length > 0) return false;
  const path = origin.exportPath.filter((p) => p !== 'default');
  return path.length === 0 || (path.length === 1 && (path[0] === 'create' || path[0] === 'extend') && origin.instance);
}

function declaredIn(decl: ts.Node, pkg: string): boolean {
  return decl.getSourceFile().fileName.includes(`/node_modules/${pkg}/`);
}

/** The default export itself (`axios`, `got`), however it was imported. */
export function isLibraryDefault(ctx: RuleContext, expr: ts.Expression, pkg: 'axios' | 'got', depth = 0): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (depth > MAX_DEPTH) return false;
  const symbol = symbolOf(ctx, e);
  const decls = symbol?.declarations ?? [];
  // axios's CommonJS types merge `declare const axios` with `declare namespace axios`.
  if (decls.some((d) => declaredIn(d, pkg))) return decls.some((d) => ts.isVariableDeclaration(d) && ts.isIdentifier(d.name) && d.name.text === pkg);
  const decl = decls[0];
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isIdentifier(decl.name)) return isLibraryDefault(ctx, decl.initializer, pkg, depth + 1);
  const origin = originOf(ctx, e);
  return !!origin && origin.module === pkg && !origin.instance && origin.members.length === 0 && origin.exportPath.every((p) => p === 'default');
}

export function symbolOf(ctx: RuleContext, e: ts.Expression): ts.Symbol | undefined {
  const node = ctx.ts.isPropertyAccessExpression(e) ? e.name : e;
  let symbol = ctx.checker.getSymbolAtLocation(node);
  if (symbol && symbol.flags & ctx.ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  return symbol;
}

/** Follows a client value back to the default export or the `create`/`extend` call that made it. */
export function clientSource(ctx: RuleContext, expr: ts.Expression, pkg: 'axios' | 'got', depth = 0): ClientSource {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (depth > MAX_DEPTH) return { kind: 'unknown' };
  if (isLibraryDefault(ctx, e, pkg)) return { kind: 'default' };
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(ts, e.expression);
    const factory = pkg === 'axios' ? 'create' : 'extend';
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === factory && isClientValue(ctx, callee.expression, pkg)) {
      return { kind: 'created', creation: e, holder: undefined };
    }
    return { kind: 'unknown' };
  }
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return { kind: 'unknown' };
  const symbol = symbolOf(ctx, e);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!symbol || !decl || decl.getSourceFile().isDeclarationFile) return { kind: 'unknown' };
  const init = initializerOf(ctx, decl);
  if (!init) return { kind: 'unknown' };
  const source = clientSource(ctx, init, pkg, depth + 1);
  return source.kind === 'created' ? { ...source, holder: symbol } : source;
}

/** `const x = …`, `private x = …`, or the single `this.x = …` of a class constructor. */
function initializerOf(ctx: RuleContext, decl: ts.Declaration): ts.Expression | undefined {
  const { ts } = ctx;
  if (ts.isVariableDeclaration(decl)) return decl.initializer && decl.parent.flags & ts.NodeFlags.Const ? decl.initializer : undefined;
  if (ts.isPropertyDeclaration(decl) || ts.isParameter(decl)) {
    if (ts.isPropertyDeclaration(decl) && decl.initializer) return decl.initializer;
    const cls = ts.isPropertyDeclaration(decl) ? decl.parent : undefined;
    const ctor = cls && ts.isClassDeclaration(cls) ? cls.members.find(ts.isConstructorDeclaration) : undefined;
    if (!ctor?.body || !decl.name || !ts.isIdentifier(decl.name)) return undefined;
    const name = decl.name.text;
    const assigned = ctor.body.statements.flatMap((s) => {
      if (!ts.isExpressionStatement(s) || !ts.isBinaryExpression(s.expression) || s.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return [];
      const left = s.expression.left;
      return ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name ? [s.expression.right] : [];
    });
    return assigned.length === 1 ? assigned[0] : undefined;
  }
  return undefined;
}

/** `x.defaults.timeout = …` or `x.defaults = { …timeout… }` for the client held by `holder`. */
export function assignsDefaultsTimeout(ctx: RuleContext, sf: ts.SourceFile, holder: ts.Symbol | 'axios-default'): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left)) {
      const left = n.left;
      const base =
        left.name.text === 'timeout' && ts.isPropertyAccessExpression(left.expression) && left.expression.name.text === 'defaults' && !isZero(ts, n.right)
          ? left.expression.expression
          : left.name.text === 'defaults' && ts.isObjectLiteralExpression(skipOuter(ts, n.right)) && optionProperty(ctx, n.right, 'timeout')
            ? left.expression
            : undefined;
      if (base && (holder === 'axios-default' ? isLibraryDefault(ctx, base, 'axios') : symbolOf(ctx, skipOuter(ts, base)) === holder)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

export interface ProjectDefaults {
  readonly axiosDefaultTimeout: boolean;
  readonly globalDispatcher: boolean;
}

const defaultsCache = new WeakMap<ts.Program, Map<string, ProjectDefaults>>();

/**
 * Settings that bound every request of a package's process: `axios.defaults.timeout`,
 * undici's `setGlobalDispatcher`. Looked for in the files of the same package only:
 * another package of a monorepo runs in another process.
 */
export function projectDefaults(ctx: RuleContext): ProjectDefaults {
  const program = ctx.program;
  const pkg = ctx.project.packageJson(ctx.fileName);
  const scope = `${pkg ? pkg.path.slice(0, pkg.path.lastIndexOf('/')) : ctx.project.root}/`;
  let perScope = defaultsCache.get(program);
  if (!perScope) defaultsCache.set(program, (perScope = new Map()));
  let found = perScope.get(scope);
  if (found) return found;
  const { ts } = ctx;
  let axiosDefaultTimeout = false;
  let globalDispatcher = false;
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || !sf.fileName.startsWith(scope) || sf.fileName.includes('/node_modules/')) continue;
    // Cheap text gates before anything else.
    if (!sf.text.includes('defaults') && !sf.text.includes('setGlobalDispatcher')) continue;
    // A file of a nested package belongs to that package.
    if (ctx.project.packageJson(sf.fileName)?.path !== pkg?.path) continue;
    if (!axiosDefaultTimeout && sf.text.includes('defaults') && assignsDefaultsTimeout(ctx, sf, 'axios-default')) axiosDefaultTimeout = true;
    if (!globalDispatcher && sf.text.includes('setGlobalDispatcher')) {
      const visit = (n: ts.Node): void => {
        const target = ts.isCallExpression(n) ? resolveCall(ctx, n) : undefined;
        if (target?.module === 'undici' && target.name === 'setGlobalDispatcher') globalDispatcher = true;
        else ts.forEachChild(n, visit);
      };
      visit(sf);
    }
  }
  found = { axiosDefaultTimeout, globalDispatcher };
  perScope.set(scope, found);
  return found;
}
