// Which calls are Prisma model queries: `<client>.<delegate>.<method>(…)` on a client
// constructed from `PrismaClient` (of @prisma/client or of the schema's generator
// `output`), followed through variables, imports, `$extends`, class properties and
// `class PrismaService extends PrismaClient` — so it works before `prisma generate`
// has run, when the client has no types. With types, the checker confirms the rest
// (a `tx` of `$transaction`). Shared by the query rules.
import * as path from 'node:path';
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { originOf, resolveCall, skipOuter } from '../callee';
import type { PrismaModel, PrismaSchema } from './prisma';
import { prismaSchemaFor } from './project';

const MAX_DEPTH = 6;

export interface PrismaModelCall {
  readonly schema: PrismaSchema;
  readonly model: PrismaModel;
  /** `findMany`, `count`… */
  readonly method: string;
  /** The client expression (`prisma`, `this.prisma`). */
  readonly client: ts.Expression;
  /** `prisma.user.findMany` as a node. */
  readonly callee: ts.PropertyAccessExpression;
}

/** The Prisma model query a call is, when `methods` has its method and the project has a schema. */
export function prismaModelCall(ctx: RuleContext, call: ts.CallExpression, methods: ReadonlySet<string>): PrismaModelCall | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !methods.has(callee.name.text)) return undefined;
  const delegateAccess = skipOuter(ts, callee.expression);
  if (!ts.isPropertyAccessExpression(delegateAccess)) return undefined;
  const schema = prismaSchemaFor(ctx, ctx.fileName);
  const model = schema?.byDelegate.get(delegateAccess.name.text);
  if (!schema || !model) return undefined;
  // Imports first; the checker only for what they cannot tell.
  if (!isPrismaClient(ctx, delegateAccess.expression, schema)) {
    const target = resolveCall(ctx, call);
    if (target?.via !== 'types' || target.module !== '@prisma/client') return undefined;
  }
  return { schema, model, method: callee.name.text, client: delegateAccess.expression, callee };
}

function isClientModule(specifier: string, importingFile: string, schema: PrismaSchema): boolean {
  if (specifier === '@prisma/client' || specifier.startsWith('@prisma/client/')) return true;
  if (!specifier.startsWith('.')) return false;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(importingFile), specifier)).replace(/\.[cm]?[jt]s$/, '');
  return schema.clientOutputs.some((out) => target === out || target.startsWith(`${out}/`));
}

/** True when the identifier or type name denotes PrismaClient (imported, or a class extending it). */
function isPrismaClientClass(ctx: RuleContext, name: ts.Node, schema: PrismaSchema, depth: number): boolean {
  const { ts } = ctx;
  if (depth > MAX_DEPTH) return false;
  if (ts.isPropertyAccessExpression(name) || ts.isQualifiedName(name)) {
    // prisma.PrismaClient from `import * as prisma` / a require.
    const base = ts.isPropertyAccessExpression(name) ? name.expression : name.left;
    const member = ts.isPropertyAccessExpression(name) ? name.name.text : name.right.text;
    if (member !== 'PrismaClient' || !ts.isIdentifier(base)) return false;
    const origin = originOf(ctx, base);
    return !!origin && origin.exportPath.length === 0 && origin.members.length === 0 && isClientModule(origin.module, ctx.fileName, schema);
  }
  if (!ts.isIdentifier(name)) return false;
  const symbol = ctx.checker.getSymbolAtLocation(name);
  const decl = symbol?.declarations?.[0];
  if (!decl) return false;
  if (ts.isImportSpecifier(decl)) {
    const imp = decl.parent.parent.parent;
    return (decl.propertyName ?? decl.name).text === 'PrismaClient' && ts.isStringLiteral(imp.moduleSpecifier) && isClientModule(imp.moduleSpecifier.text, decl.getSourceFile().fileName, schema);
  }
  if (ts.isBindingElement(decl) || ts.isVariableDeclaration(decl)) {
    const origin = originOf(ctx, name as ts.Identifier);
    return !!origin && origin.exportPath.join('.') === 'PrismaClient' && !origin.instance && isClientModule(origin.module, ctx.fileName, schema);
  }
  if (ts.isClassDeclaration(decl)) return extendsPrismaClient(ctx, decl, schema, depth + 1);
  return false;
}

function extendsPrismaClient(ctx: RuleContext, cls: ts.ClassLikeDeclaration, schema: PrismaSchema, depth: number): boolean {
  const ext = cls.heritageClauses?.find((h) => h.token === ctx.ts.SyntaxKind.ExtendsKeyword)?.types[0];
  return !!ext && isPrismaClientClass(ctx, ext.expression, schema, depth);
}

function isPrismaClientType(ctx: RuleContext, type: ts.TypeNode | undefined, schema: PrismaSchema, depth: number): boolean {
  return !!type && ctx.ts.isTypeReferenceNode(type) && isPrismaClientClass(ctx, type.typeName, schema, depth);
}

/** True when the expression evaluates to a Prisma client. */
export function isPrismaClient(ctx: RuleContext, expr: ts.Expression, schema: PrismaSchema, depth = 0): boolean {
  const { ts } = ctx;
  if (depth > MAX_DEPTH) return false;
  const e = skipOuter(ts, expr);
  if (ts.isNewExpression(e)) return isPrismaClientClass(ctx, e.expression, schema, depth + 1);
  if (ts.isCallExpression(e)) {
    // new PrismaClient().$extends(…) is a client too.
    const callee = skipOuter(ts, e.expression);
    return ts.isPropertyAccessExpression(callee) && callee.name.text === '$extends' && isPrismaClient(ctx, callee.expression, schema, depth + 1);
  }
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return isPrismaClient(ctx, e.right, schema, depth + 1) || isPrismaClient(ctx, e.left, schema, depth + 1);
  }
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return false;
  let symbol = ctx.checker.getSymbolAtLocation(ts.isIdentifier(e) ? e : e.name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  for (const decl of symbol?.declarations ?? []) {
    if ((ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isParameter(decl)) && decl.type) {
      if (isPrismaClientType(ctx, decl.type, schema, depth + 1)) return true;
    }
    if ((ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl)) && decl.initializer) {
      if (isPrismaClient(ctx, decl.initializer, schema, depth + 1)) return true;
    }
    if (ts.isExportAssignment(decl) && isPrismaClient(ctx, decl.expression, schema, depth + 1)) return true;
  }
  // `this.prisma` typed as a class that extends PrismaClient (Nest's PrismaService).
  const typeSymbol = ctx.checker.getTypeAtLocation(e).getSymbol();
  const cls = typeSymbol?.declarations?.find((d): d is ts.ClassDeclaration => ts.isClassDeclaration(d));
  return !!cls && extendsPrismaClient(ctx, cls, schema, depth + 1);
}

