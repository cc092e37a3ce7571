// What a call really is: the package and declaration a callee resolves to, asked of
// the type checker first and, where types are missing (plain JS, an ungenerated
// Prisma client), of the imports and `require`s the value came from. Rules match on
// the answer ("`query` of pg", "`findMany` of @prisma/client"), never on names alone.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';

export interface CallTarget {
  /** Package the callee belongs to ('pg', 'express', '@prisma/client', 'child_process'); undefined for project code. */
  readonly module: string | undefined;
  /** The member or function called ('query', 'findMany', 'fetch'). */
  readonly name: string;
  /** The class or interface declaring the member, when known ('Pool', 'ClientBase'). */
  readonly owner?: string;
  /** Member names between the imported value and the call (`prisma.user.findMany` → ['user', 'findMany']). */
  readonly memberPath: readonly string[];
  /** Declared in a TypeScript lib file or as a global (fetch, setTimeout). */
  readonly isGlobal: boolean;
  readonly declaration?: ts.Declaration;
  readonly via: 'types' | 'imports';
}

/** Where a value came from, following variables back to an import or require. */
export interface ValueOrigin {
  readonly module: string;
  /** Export path inside the module: [] for the module itself / default-less require, ['default'], ['Pool']. */
  readonly exportPath: readonly string[];
  /** True when the value is `new X()` or the awaited result of calling something from the module. */
  readonly instance: boolean;
  /** Members accessed after the import (`pg.Pool` → ['Pool']). */
  readonly members: readonly string[];
}

const MAX_ORIGIN_DEPTH = 8;

/** The npm package a declaration file belongs to, or undefined for project code. */
export function packageOfFile(fileName: string): string | undefined {
  const i = fileName.lastIndexOf('/node_modules/');
  if (i === -1) return undefined;
  const parts = fileName.slice(i + '/node_modules/'.length).split('/');
  let name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  if (name.startsWith('@types/')) {
    const inner = name.slice('@types/'.length);
    name = inner.includes('__') ? `@${inner.replace('__', '/')}` : inner;
  }
  // Prisma generates its client into node_modules/.prisma/client.
  if (name === '.prisma') return '@prisma/client';
  return name;
}

/** A TypeScript standard-library declaration file (lib.dom.d.ts, lib.es2022.d.ts, …). */
export function isLibFile(fileName: string): boolean {
  return /\/typescript\/lib\/lib\.[^/]*\.d\.ts$/.test(fileName) || /\/lib\.[^/]*\.d\.ts$/.test(fileName);
}

/** `declare module "fs"` in @types/node: the module a declaration sits in, by its ambient name. */
function ambientModuleOf(ts: RuleContext['ts'], node: ts.Node): string | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) return n.name.text.replace(/^node:/, '');
  }
  return undefined;
}

function isInGlobalScope(ts: RuleContext['ts'], decl: ts.Node): boolean {
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (ts.isModuleDeclaration(n)) return n.name.getText() === 'global';
    if (ts.isSourceFile(n)) return !ts.isExternalModule(n);
  }
  return false;
}

/** The name node a call's callee is identified by: `f` in `f()`, `b` in `a.b()`. */
export function calleeNameNode(ts: RuleContext['ts'], callee: ts.Expression): ts.Identifier | ts.PrivateIdentifier | undefined {
  const e = skipOuter(ts, callee);
  if (ts.isIdentifier(e)) return e;
  if (ts.isPropertyAccessExpression(e)) return e.name;
  return undefined;
}

/** Parentheses, `!`, `as`, satisfies and type assertions do not change what a value is. */
export function skipOuter(ts: RuleContext['ts'], e: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
    else return e;
  }
}

function calleeOf(ts: RuleContext['ts'], call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression): ts.Expression {
  return ts.isTaggedTemplateExpression(call) ? call.tag : call.expression;
}

export function resolveCall(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression): CallTarget | undefined {
  return resolveByTypes(ctx, call) ?? resolveByImports(ctx, call);
}

function resolveByTypes(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression): CallTarget | undefined {
  const { ts } = ctx;
  const nameNode = calleeNameNode(ts, calleeOf(ts, call));
  if (!nameNode) return undefined;
  let symbol = ctx.checker.getSymbolAtLocation(nameNode);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const decl = symbol?.declarations?.[0];
  if (!decl) return undefined;
  const file = decl.getSourceFile().fileName;
  const isGlobal = isLibFile(file) || (file.endsWith('.d.ts') && isInGlobalScope(ts, decl));
  let module = isLibFile(file) ? undefined : packageOfFile(file);
  if (module === 'node') module = ambientModuleOf(ts, decl) ?? 'node';
  // A declaration in the project's own code: the origin of the receiver may still be a package
  // (a local variable holding a pg Pool is resolved by the checker to pg's declaration anyway).
  if (!module && !isGlobal) return undefined;
  const owner = decl.parent && (ts.isClassDeclaration(decl.parent) || ts.isInterfaceDeclaration(decl.parent)) ? decl.parent.name?.text : undefined;
  return { module, name: nameNode.text, owner, memberPath: memberPath(ts, calleeOf(ts, call)), isGlobal, declaration: decl, via: 'types' };
}

function resolveByImports(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression): CallTarget | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, calleeOf(ts, call));
  const nameNode = calleeNameNode(ts, callee);
  if (!nameNode) return undefined;
  const origin = originOf(ctx, callee);
  if (!origin) return undefined;
  return {
    module: origin.module,
    name: nameNode.text,
    owner: origin.instance ? origin.exportPath[origin.exportPath.length - 1] : undefined,
    memberPath: origin.members,
    isGlobal: false,
    via: 'imports',
  };
}

/** ['user', 'findMany'] for `prisma.user.findMany`. */
function memberPath(ts: RuleContext['ts'], callee: ts.Expression): string[] {
  const out: string[] = [];
  let e = skipOuter(ts, callee);
  while (ts.isPropertyAccessExpression(e)) {
    out.unshift(e.name.text);
    e = skipOuter(ts, e.expression);
  }
  return out;
}

/**
 * Follows an expression back to an import/require: `pool.query` where
 * `const pool = new Pool()` and `import { Pool } from 'pg'` gives
 * { module: 'pg', exportPath: ['Pool'], instance: true, members: ['query'] }.
 */
export function originOf(ctx: RuleContext, expr: ts.Expression, depth = 0): ValueOrigin | undefined {
  const { ts } = ctx;
  if (depth > MAX_ORIGIN_DEPTH) return undefined;
  const e = skipOuter(ts, expr);
  if (ts.isPropertyAccessExpression(e)) {
    const base = originOf(ctx, e.expression, depth + 1);
    return base && { ...base, members: [...base.members, e.name.text] };
  }
  if (ts.isAwaitExpression(e)) return originOf(ctx, e.expression, depth + 1);
  if (ts.isNewExpression(e) || ts.isCallExpression(e)) {
    const requireOrigin = ts.isCallExpression(e) ? requiredModule(ts, e) : undefined;
    if (requireOrigin) return { module: requireOrigin, exportPath: [], instance: false, members: [] };
    const base = originOf(ctx, e.expression, depth + 1);
    if (!base) return undefined;
    // The value made by calling/constructing something from the module is an instance of it.
    return { module: base.module, exportPath: [...base.exportPath, ...base.members], instance: true, members: [] };
  }
  if (ts.isIdentifier(e)) return originOfIdentifier(ctx, e, depth);
  return undefined;
}

function originOfIdentifier(ctx: RuleContext, id: ts.Identifier, depth: number): ValueOrigin | undefined {
  const { ts } = ctx;
  const symbol = ctx.checker.getSymbolAtLocation(id);
  const decl = symbol?.declarations?.[0];
  if (!decl) return undefined;
  // import x from 'm' / import { a as x } from 'm' / import * as x from 'm' / import x = require('m')
  if (ts.isImportClause(decl) || ts.isImportSpecifier(decl) || ts.isNamespaceImport(decl)) {
    const importDecl = findAncestor(ts, decl, ts.isImportDeclaration);
    if (!importDecl || !ts.isStringLiteral(importDecl.moduleSpecifier)) return undefined;
    const module = normalizeModule(importDecl.moduleSpecifier.text);
    if (ts.isImportClause(decl)) return { module, exportPath: ['default'], instance: false, members: [] };
    if (ts.isNamespaceImport(decl)) return { module, exportPath: [], instance: false, members: [] };
    return { module, exportPath: [(decl.propertyName ?? decl.name).text], instance: false, members: [] };
  }
  if (ts.isImportEqualsDeclaration(decl) && ts.isExternalModuleReference(decl.moduleReference) && ts.isStringLiteral(decl.moduleReference.expression)) {
    return { module: normalizeModule(decl.moduleReference.expression.text), exportPath: [], instance: false, members: [] };
  }
  if (ts.isVariableDeclaration(decl) && decl.initializer) {
    if (ts.isIdentifier(decl.name)) return originOf(ctx, decl.initializer, depth + 1);
    return undefined;
  }
  // const { Pool } = require('pg') / const { Pool } = pg
  if (ts.isBindingElement(decl)) {
    const varDecl = findAncestor(ts, decl, ts.isVariableDeclaration);
    if (!varDecl?.initializer || !ts.isObjectBindingPattern(decl.parent)) return undefined;
    const base = originOf(ctx, varDecl.initializer, depth + 1);
    const key = (decl.propertyName && ts.isIdentifier(decl.propertyName) ? decl.propertyName : ts.isIdentifier(decl.name) ? decl.name : undefined)?.text;
    if (!base || !key) return undefined;
    return base.instance || base.members.length > 0 ? { ...base, members: [...base.members, key] } : { ...base, exportPath: [...base.exportPath, key] };
  }
  return undefined;
}

function requiredModule(ts: RuleContext['ts'], call: ts.CallExpression): string | undefined {
  if (ts.isIdentifier(call.expression) && call.expression.text === 'require' && call.arguments.length === 1 && ts.isStringLiteral(call.arguments[0])) {
    return normalizeModule(call.arguments[0].text);
  }
  return undefined;
}

function normalizeModule(specifier: string): string {
  const s = specifier.replace(/^node:/, '');
  if (s.startsWith('.') || s.startsWith('/')) return s;
  const parts = s.split('/');
  return s.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

export function findAncestor<T extends ts.Node>(_ts: RuleContext['ts'], node: ts.Node, test: (n: ts.Node) => n is T): T | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (test(n)) return n;
  return undefined;
}

/** True when the call resolves to one of `names` in `module` (by types or imports). */
export function isCallTo(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression, module: string, names: readonly string[]): boolean {
  const target = resolveCall(ctx, call);
  return !!target && target.module === module && names.includes(target.name);
}
