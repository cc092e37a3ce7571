// Prisma queries: `<client>.<delegate>.findMany({ where })` and the other many-row
// methods (recognised by shared/schema/prisma-client, before `prisma generate` too),
// their `where` read with Prisma's operators, and the `@@index` fix in the schema.
import type { ts } from 'ts-morph';
import type { FileEdit, RelatedInput, RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { withIndexes } from '../../shared/schema/model';
import { readPrismaFile, type PrismaModel } from '../../shared/schema/prisma';
import { prismaModelCall } from '../../shared/schema/prisma-client';
import { sqlSchemaFor } from '../../shared/schema/project';
import { migrationIndexesFor } from '../../shared/schema/sql-schema';
import { compactCallee, HANDLED, notIndexedByFile, type Detected, type Detection } from './detected';
import { includeFindings } from './prisma-include';
import { unindexedFilter } from './evaluate';
import { andParts, inlineObjectProperty, objectLiteralOf, paginatedSort, propertyValue, readFilter, type Classify, type Filter, type KeyMeaning } from './filter';

const FILTER_METHODS: ReadonlySet<string> = new Set(['findMany', 'findFirst', 'findFirstOrThrow', 'count', 'updateMany', 'updateManyAndReturn', 'deleteMany', 'aggregate', 'groupBy']);
/** Methods that read related rows through `include`/`select` (their own filter is on a unique key or absent). */
const INCLUDE_METHODS: ReadonlySet<string> = new Set(['findUnique', 'findUniqueOrThrow', 'create', 'update', 'upsert']);
export const PRISMA_METHODS: ReadonlySet<string> = new Set([...FILTER_METHODS, ...INCLUDE_METHODS]);

const EQUALITY_OPS = new Set(['equals', 'in']);
const RANGE_OPS = new Set(['lt', 'lte', 'gt', 'gte', 'startsWith']);
const RELATION_OPS = new Set(['is', 'some']);
const NEGATIVE_RELATION_OPS = new Set(['isNot', 'none', 'every']);

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
    // `mode: 'insensitive'` compares lower-cased values and `path` reaches into JSON: a plain index serves neither.
    if (ops.includes('mode') || ops.includes('path')) return { kind: 'ignore' };
    if (ops.some((o) => EQUALITY_OPS.has(o))) return { kind: 'field', use: 'equality' };
    if (ops.some((o) => RANGE_OPS.has(o))) return { kind: 'field', use: 'range' };
    return { kind: 'ignore' };
  };
}

/** findMany({ orderBy: { createdAt: 'desc' }, take }) with no filter: the sort field, as a one-field filter. */
function sortOnlyFilter(sort: { name: string; value: ts.Expression } | undefined): Filter | undefined {
  return sort && { fields: [{ name: sort.name, use: 'range', value: sort.value }], opaque: false };
}

export function detectPrisma(ctx: RuleContext, call: ts.CallExpression): Detection {
  const found = prismaModelCall(ctx, call, PRISMA_METHODS);
  if (!found) return undefined;
  const { model: declared, callee } = found;

  const args = objectLiteralOf(ctx, call.arguments[0]);
  if (!args) return HANDLED;
  const callText = compactCallee(callee.getText());
  const out = [
    ...(FILTER_METHODS.has(callee.name.text) ? [filterFinding(ctx, declared, args, callee.name.text, callText)] : []),
    ...includeFindings(ctx, declared, args, callText),
  ].filter((d): d is Detected => d !== undefined);
  return out.length > 0 ? out : HANDLED;
}

function filterFinding(ctx: RuleContext, declared: PrismaModel, args: ts.ObjectLiteralExpression, method: string, callText: string): Detected | undefined {
  const model = withIndexes(declared, migrationIndexesFor(declared, sqlSchemaFor(ctx, declared.fileName)));
  const where = propertyValue(ctx, args, 'where');
  const filter = where ? readFilter(ctx, where.value, prismaClassifier(ctx, declared)) : undefined;
  const sort = method === 'findMany' ? paginatedSort(ctx, args, 'orderBy', ['take']) : undefined;
  let verb = 'filters on';
  let anchor = inlineObjectProperty(ctx, where);
  let unindexed = filter && unindexedFilter(model, filter, sort?.name);
  if (!unindexed && sort && (!filter || (filter.fields.length === 0 && !filter.opaque)) && !(where && !filter)) {
    unindexed = unindexedFilter(model, sortOnlyFilter(sort)!);
    verb = 'sorts on';
    anchor = inlineObjectProperty(ctx, propertyValue(ctx, args, 'orderBy'));
  }
  if (!unindexed) return undefined;
  const attribute = `@@index([${unindexed.indexFields.join(', ')}])`;
  return {
    model,
    unindexed,
    anchor,
    verb,
    callText,
    notIndexedBy: notIndexedByFile(declared.fileName),
    advice: `\`${attribute}\``,
    related: [declaredHere(declared)],
    fixEdits: () => {
      const edit = prismaIndexEdit(ctx, declared, attribute);
      return edit && [edit];
    },
  };
}

function declaredHere(m: PrismaModel): RelatedInput {
  return { fileName: m.fileName, start: m.location.start, end: m.location.end, message: `\`${m.name}\` is declared here` };
}

/** `@@index([...])` as the model's last block attribute, indented like its fields. */
export function prismaIndexEdit(ctx: RuleContext, declared: PrismaModel, attribute: string): FileEdit | undefined {
  const text = ctx.project.readFile(declared.fileName);
  // The schema may have changed since the finding: take the model's place in its current text.
  const model = text === undefined ? undefined : readPrismaFile(declared.fileName, text)?.models.find((m) => m.name === declared.name);
  if (text === undefined || !model || text[model.blockClose] !== '}' || text[model.blockOpen] !== '{') return undefined;
  const close = model.blockClose;
  const fileName = declared.fileName;
  const bodyLines = text.slice(model.blockOpen + 1, close).split('\n');
  const indent = bodyLines.map((l) => /^[ \t]*(?=\S)/.exec(l)?.[0]).find((i) => i !== undefined) ?? '  ';
  const lineStart = text.lastIndexOf('\n', close - 1) + 1;
  if (lineStart <= model.blockOpen || text.slice(lineStart, close).trim() !== '') {
    return { fileName, start: close, end: close, newText: `\n${indent}${attribute}\n` };
  }
  const previous = text.slice(model.blockOpen + 1, lineStart).replace(/\n$/, '').split('\n').pop() ?? '';
  // `prisma format` keeps a blank line between the fields and the block attributes.
  const blank = previous.trim() !== '' && !previous.trim().startsWith('@@') ? '\n' : '';
  return { fileName, start: lineStart, end: lineStart, newText: `${blank}${indent}${attribute}\n` };
}
