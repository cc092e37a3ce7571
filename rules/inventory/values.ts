// What a middleware, guard or called value is: something a package exports (and
// which member), a function of the project (whose body can be read), or a class
// of the project (a Nest guard). Followed through consts, imports and factory
// calls by declaration — by the imports first and the checker where they stop.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, packageOfFile, resolveCall, skipOuter } from '../shared/callee';
import { fastifyDecoration } from './decorations';

export type ResolvedValue =
  /** `names` ends with the member or export used: ['default', 'authenticate'], ['AuthGuard']. */
  | { readonly kind: 'package'; readonly module: string; readonly names: readonly string[] }
  | { readonly kind: 'function'; readonly fn: ts.FunctionLikeDeclaration }
  | { readonly kind: 'class'; readonly cls: ts.ClassLikeDeclaration };

const MAX_DEPTH = 5;

export function resolveValue(ctx: RuleContext, expr: ts.Expression, depth = 0): ResolvedValue | undefined {
  const { ts } = ctx;
  if (depth > MAX_DEPTH) return undefined;
  const e = skipOuter(ts, expr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return { kind: 'function', fn: e };
  if (ts.isClassExpression(e)) return { kind: 'class', cls: e };
  if (ts.isCallExpression(e)) {
    const target = resolveCall(ctx, e);
    if (target?.module && !target.isGlobal && !isRelative(target.module)) return { kind: 'package', module: target.module, names: [...target.memberPath.slice(0, -1), target.name] };
    // A factory of the project (`requireRole('admin')`): its body holds the middleware it returns.
    const factory = resolveValue(ctx, e.expression, depth + 1);
    return factory?.kind === 'function' || factory?.kind === 'package' ? factory : undefined;
  }
  if (ts.isNewExpression(e)) return resolveValue(ctx, e.expression, depth + 1);
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return undefined;
  const origin = originOf(ctx, e);
  if (ts.isPropertyAccessExpression(e) && (!origin || origin.module === 'fastify')) {
    const decorated = decoratedValue(ctx, e);
    if (decorated) return resolveValue(ctx, decorated, depth + 1);
  }
  if (origin && !isRelative(origin.module)) return { kind: 'package', module: origin.module, names: [...origin.exportPath, ...origin.members] };
  const decl = declarationOf(ctx, e);
  if (!decl) return undefined;
  const sf = decl.getSourceFile();
  const pkg = packageOfFile(sf.fileName) ?? (sf.isDeclarationFile ? ambientModuleOf(ctx, decl) : undefined);
  if (pkg) return { kind: 'package', module: pkg, names: [nameOf(ctx, decl) ?? ''] };
  if (sf.isDeclarationFile) return undefined;
  if ((ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) && decl.body) return { kind: 'function', fn: decl };
  if (ts.isClassDeclaration(decl)) return { kind: 'class', cls: decl };
  if ((ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) {
    return resolveValue(ctx, decl.initializer, depth + 1);
  }
  if (ts.isBindingElement(decl) && ts.isIdentifier(decl.name)) {
    // `export const { auth } = NextAuth(config)` seen from the file importing `auth`.
    const bound = originOf(ctx, decl.name);
    if (bound && !isRelative(bound.module)) return { kind: 'package', module: bound.module, names: [...bound.exportPath, ...bound.members] };
  }
  return undefined;
}

/** `fastify.authenticate`, declared only by an augmentation of FastifyInstance: the value it was decorated with. */
function decoratedValue(ctx: RuleContext, e: ts.PropertyAccessExpression): ts.Expression | undefined {
  const { ts } = ctx;
  const decl = declarationOf(ctx, e);
  const augmented = !!decl && (ts.isPropertySignature(decl) || ts.isMethodSignature(decl)) && ts.isInterfaceDeclaration(decl.parent) && decl.parent.name.text === 'FastifyInstance';
  return !decl || augmented ? fastifyDecoration(ctx, e.name.text) : undefined;
}

/** The declaration a name denotes, aliases (imports, re-exports) followed. */
export function declarationOf(ctx: RuleContext, e: ts.Expression): ts.Declaration | undefined {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  const node = ts.isPropertyAccessExpression(x) ? x.name : x;
  let symbol = ctx.checker.getSymbolAtLocation(node);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
}

/** The function a call runs when it is the project's own (`this.users.findAll()`, `loadUser(id)`). */
export function calledFunction(ctx: RuleContext, call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const decl = declarationOf(ctx, callee);
  if (!decl || decl.getSourceFile().isDeclarationFile || packageOfFile(decl.getSourceFile().fileName)) return undefined;
  if ((ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) && decl.body) return decl;
  if ((ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) {
    const init = skipOuter(ts, decl.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

/** True when a resolved package value is one of `names` of `modules` ('*' = any export of the module). */
export function isPackageValue(v: ResolvedValue | undefined, table: Readonly<Record<string, readonly string[] | '*'>>): v is Extract<ResolvedValue, { kind: 'package' }> {
  if (v?.kind !== 'package') return false;
  const names = table[v.module];
  if (!names) return false;
  return names === '*' || names.includes(v.names[v.names.length - 1]);
}

function isRelative(module: string): boolean {
  return module.startsWith('.') || module.startsWith('/') || module.startsWith('@/') || module.startsWith('~/');
}

function nameOf(ctx: RuleContext, decl: ts.Declaration): string | undefined {
  const name = (decl as { name?: ts.Node }).name;
  return name && (ctx.ts.isIdentifier(name) || ctx.ts.isStringLiteral(name)) ? name.text : undefined;
}

/** `declare module 'express-rate-limit' { … }` in a project's .d.ts: the module it declares. */
function ambientModuleOf(ctx: RuleContext, decl: ts.Node): string | undefined {
  const { ts } = ctx;
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) return n.name.text.split('/')[0].startsWith('@') ? n.name.text.split('/').slice(0, 2).join('/') : n.name.text.split('/')[0];
  }
  return undefined;
}
