// Prisma queries: `<client>.<delegate>.findMany({ where })` and the other
// many-row methods, recognised before `prisma generate` has run — the client is
// whatever is constructed from `PrismaClient` of @prisma/client (or of the
// schema's generator output), followed through variables, imports, `$extends`,
// class properties and `class PrismaService extends PrismaClient`.
import * as path from 'node:path';
import type { ts } from 'ts-morph';
import type { FileEdit, RuleContext } from '../../api';
import { originOf, resolveCall, skipOuter } from '../../shared/callee';
import { withIndexes } from '../../shared/schema/model';
import type { PrismaModel, PrismaSchema } from '../../shared/schema/prisma';
import { prismaSchemaFor, sqlSchemaFor } from '../../shared/schema/project';
import { migrationIndexesFor } from '../../shared/schema/sql-schema';
import { compactCallee, HANDLED, notIndexedByFile, type Detection } from './detected';
import { unindexedFilter } from './evaluate';
import { andParts, inlineObjectProperty, objectLiteralOf, propertyValue, readFilter, type Classify, type Filter, type KeyMeaning } from './filter';

export const PRISMA_METHODS: ReadonlySet<string> = new Set(['findMany', 'findFirst', 'findFirstOrThrow', 'count', 'updateMany', 'updateManyAndReturn', 'deleteMany', 'aggregate', 'groupBy']);

const EQUALITY_OPS = new Set(['equals', 'in']);
const RANGE_OPS = new Set(['lt', 'lte', 'gt', 'gte', 'startsWith']);
const RELATION_OPS = new Set(['is', 'some']);
const NEGATIVE_RELATION_OPS = new Set(['isNot', 'none', 'every']);
const MAX_DEPTH = 6;

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

/** How a key of a Prisma `where` constrains the model. */
function prismaClassifier(ctx: RuleContext, model: PrismaModel): Classify {
  const { ts } = ctx;
  return (key, value): KeyMeaning => {
    if (key === 'AND') {
      const parts = andParts(ctx, value);
      return parts ? { kind: 'and', parts } : { kind: 'opaque' };
    }
    if (key === 'OR') return { kind: 'opaque' };
    if (key === 'NOT') return { kind: 'ignore' };
    const v = skipOuter(ts, value);
    if (ts.isIdentifier(v) && v.text === 'undefined') return { kind: 'ignore' };
    const field = model.fields.get(key);
    const obj = ts.isObjectLiteralExpression(v) ? v : undefined;
    if (field?.relation) {
      if (!obj) return v.kind === ts.SyntaxKind.NullKeyword ? { kind: 'ignore' } : { kind: 'field', use: 'equality' };
      const keys = obj.properties.map((p) => p.name?.getText() ?? '');
      if (keys.some((k) => RELATION_OPS.has(k))) return { kind: 'field', use: 'equality' };
      if (keys.length > 0 && keys.every((k) => NEGATIVE_RELATION_OPS.has(k))) return { kind: 'ignore' };
      return { kind: 'field', use: 'equality' }; // to-one shorthand: `author: { email }`
    }
    if (!obj) return { kind: 'field', use: 'equality' };
    if (obj.properties.some((p) => ts.isSpreadAssignment(p))) return { kind: 'opaque' };
    const ops = obj.properties.map((p) => p.name?.getText() ?? '');
    // `mode: 'insensitive'` compares lower-cased values, which a plain index does not serve.
    if (ops.includes('mode')) return { kind: 'ignore' };
    if (ops.some((o) => EQUALITY_OPS.has(o))) return { kind: 'field', use: 'equality' };
    if (ops.some((o) => RANGE_OPS.has(o))) return { kind: 'field', use: 'range' };
    return { kind: 'ignore' };
  };
}

/** findMany({ orderBy: { createdAt: 'desc' }, take }) with no filter: the sort field, as a one-field filter. */
function sortFilter(ctx: RuleContext, args: ts.ObjectLiteralExpression): Filter | undefined {
  const { ts } = ctx;
  if (!propertyValue(ctx, args, 'take')) return undefined;
  const orderBy = propertyValue(ctx, args, 'orderBy');
  if (!orderBy) return undefined;
  let first = skipOuter(ts, orderBy.value);
  if (ts.isArrayLiteralExpression(first)) first = first.elements[0] && skipOuter(ts, first.elements[0]);
  if (!first || !ts.isObjectLiteralExpression(first) || first.properties.length !== 1) return undefined;
  const p = first.properties[0];
  if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name)) return undefined;
  const dir = skipOuter(ts, p.initializer);
  if (!ts.isStringLiteralLike(dir)) return undefined; // `{ author: { name: 'asc' } }` sorts through a relation.
  return { fields: [{ name: p.name.text, use: 'range', value: p.initializer }], opaque: false };
}

export function detectPrisma(ctx: RuleContext, call: ts.CallExpression): Detection {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !PRISMA_METHODS.has(callee.name.text)) return undefined;
  const delegateAccess = skipOuter(ts, callee.expression);
  if (!ts.isPropertyAccessExpression(delegateAccess)) return undefined;
  const schema = prismaSchemaFor(ctx, ctx.fileName);
  const declared = schema?.byDelegate.get(delegateAccess.name.text);
  if (!schema || !declared) return undefined;
  const target = resolveCall(ctx, call);
  const viaTypes = target?.via === 'types' && target.module === '@prisma/client';
  if (!viaTypes && !isPrismaClient(ctx, delegateAccess.expression, schema)) return undefined;

  const args = objectLiteralOf(ctx, call.arguments[0]);
  if (!args) return HANDLED;
  const model = withIndexes(declared, migrationIndexesFor(declared, sqlSchemaFor(ctx, declared.fileName)));
  const where = propertyValue(ctx, args, 'where');
  const filter = where ? readFilter(ctx, where.value, prismaClassifier(ctx, declared)) : undefined;
  let verb = 'filters on';
  let anchor = inlineObjectProperty(ctx, where);
  let unindexed = filter && unindexedFilter(model, filter);
  if (!unindexed && callee.name.text === 'findMany' && (!filter || (filter.fields.length === 0 && !filter.opaque)) && !(where && !filter)) {
    const sort = sortFilter(ctx, args);
    unindexed = sort && unindexedFilter(model, sort);
    verb = 'sorts on';
    anchor = inlineObjectProperty(ctx, propertyValue(ctx, args, 'orderBy'));
  }
  if (!unindexed) return HANDLED;
  const fields = unindexed.indexFields;
  const attribute = `@@index([${fields.join(', ')}])`;
  return {
    model,
    unindexed,
    anchor,
    verb,
    callText: compactCallee(callee.getText()),
    notIndexedBy: notIndexedByFile(declared.fileName),
    advice: `\`${attribute}\``,
    related: [{ fileName: declared.fileName, start: declared.location.start, end: declared.location.end, message: `\`${declared.name}\` is declared here` }],
    fixEdits: () => {
      const edit = prismaIndexEdit(ctx, declared, attribute);
      return edit && [edit];
    },
  };
}

/** `@@index([...])` as the model's last block attribute, indented like its fields. */
export function prismaIndexEdit(ctx: RuleContext, model: PrismaModel, attribute: string): FileEdit | undefined {
  const text = ctx.project.readFile(model.fileName);
  if (text === undefined || text[model.blockClose] !== '}' || text[model.blockOpen] !== '{') return undefined;
  const close = model.blockClose;
  const bodyLines = text.slice(model.blockOpen + 1, close).split('\n');
  const indent = bodyLines.map((l) => /^[ \t]*(?=\S)/.exec(l)?.[0]).find((i) => i !== undefined) ?? '  ';
  const lineStart = text.lastIndexOf('\n', close - 1) + 1;
  if (lineStart <= model.blockOpen || text.slice(lineStart, close).trim() !== '') {
    return { fileName: model.fileName, start: close, end: close, newText: `\n${indent}${attribute}\n` };
  }
  const previous = text.slice(model.blockOpen + 1, lineStart).replace(/\n$/, '').split('\n').pop() ?? '';
  // `prisma format` keeps a blank line between the fields and the block attributes.
  const blank = previous.trim() !== '' && !previous.trim().startsWith('@@') ? '\n' : '';
  return { fileName: model.fileName, start: lineStart, end: lineStart, newText: `${blank}${indent}${attribute}\n` };
}
