// Sequelize queries: `Model.findAll({ where })`, `findOne`, `count`,
// `findAndCountAll`, `update(values, { where })`, `destroy({ where })` on a model
// declared by `init` or `define` (shared/schema/sequelize), their `where` read with
// Sequelize's `Op` operators, and the fix: an entry in the model's `indexes`.
import type { ts } from 'ts-morph';
import type { FileEdit, RuleContext } from '../../api';
import { originOf, skipOuter } from '../../shared/callee';
import { insertProperty } from '../../shared/option-objects';
import { withIndexes } from '../../shared/schema/model';
import { sqlSchemaFor } from '../../shared/schema/project';
import { sequelizeModelOf, type SequelizeModel } from '../../shared/schema/sequelize';
import { migrationIndexesFor } from '../../shared/schema/sql-schema';
import { compactCallee, HANDLED, notIndexedByFile, type Detection } from './detected';
import { unindexedFilter } from './evaluate';
import { inlineObjectProperty, objectLiteralOf, paginatedSort, propertyValue, readFilter, type Classify, type FieldUse } from './filter';
import { quoteOf, quoted } from './ts-edits';

const OPTIONS_FIRST = new Set(['findAll', 'findOne', 'count', 'findAndCountAll', 'destroy']);
const LISTING = new Set(['findAll', 'findAndCountAll']);
export const SEQUELIZE_METHODS: ReadonlySet<string> = new Set([...OPTIONS_FIRST, 'update']);

const EQUALITY_OPS = new Set(['eq', 'in', 'is']);
const RANGE_OPS = new Set(['gt', 'gte', 'lt', 'lte', 'between', 'startsWith']);

/** `Op.gt` of sequelize in a computed key `[Op.gt]`. */
function operatorOf(ctx: RuleContext, p: ts.ObjectLiteralElementLike): string | undefined {
  const name = p.name;
  if (!name || !ctx.ts.isComputedPropertyName(name)) return undefined;
  const origin = originOf(ctx, name.expression);
  if (!origin || (origin.module !== 'sequelize' && origin.module !== '@sequelize/core')) return undefined;
  const path = [...origin.exportPath, ...origin.members];
  return path.length === 2 && path[0] === 'Op' ? path[1] : undefined;
}

function classifier(ctx: RuleContext): Classify {
  const { ts } = ctx;
  return (_key, value) => {
    const v = skipOuter(ts, value);
    if (ts.isIdentifier(v) && v.text === 'undefined') return { kind: 'ignore' };
    if (!ts.isObjectLiteralExpression(v)) return { kind: 'field', use: 'equality' };
    const uses: (FieldUse | 'other')[] = v.properties.map((p) => {
      const op = operatorOf(ctx, p);
      if (op && EQUALITY_OPS.has(op)) return 'equality';
      if (op && RANGE_OPS.has(op)) return 'range';
      // `[Op.like]: 'abc%'` can walk an index; `'%abc'` cannot.
      const pattern = op === 'like' && ts.isPropertyAssignment(p) ? skipOuter(ts, p.initializer) : undefined;
      if (pattern && ts.isStringLiteralLike(pattern) && !/^[%_]/.test(pattern.text)) return 'range';
      return 'other';
    });
    if (uses.includes('equality')) return { kind: 'field', use: 'equality' };
    if (uses.includes('range')) return { kind: 'field', use: 'range' };
    return { kind: 'ignore' };
  };
}

export function detectSequelize(ctx: RuleContext, call: ts.CallExpression): Detection {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !SEQUELIZE_METHODS.has(callee.name.text)) return undefined;
  const declared = sequelizeModelOf(ctx, callee.expression);
  if (!declared) return undefined;
  const method = callee.name.text;
  const options = objectLiteralOf(ctx, call.arguments[method === 'update' ? 1 : 0]);
  const where = options && propertyValue(ctx, options, 'where');
  const sort = options && LISTING.has(method) ? paginatedSort(ctx, options, 'order', ['limit']) : undefined;
  const sortOnly = !!options && !where && !!sort && !options.properties.some((p) => ts.isSpreadAssignment(p));
  const filter = sortOnly && sort ? { fields: [{ name: sort.name, use: 'range' as const, value: sort.value }], opaque: false } : where && readFilter(ctx, where.value, classifier(ctx));
  if (!filter) return HANDLED;
  const model = withIndexes(declared, migrationIndexesFor(declared, sqlSchemaFor(ctx, declared.location.fileName)));
  const unindexed = unindexedFilter(model, filter, sortOnly ? undefined : sort?.name);
  if (!unindexed) return HANDLED;
  // Sequelize writes `fields` into CREATE INDEX as they are: column names (`created_at` when underscored).
  const fields = unindexed.indexFields.map((f) => model.fields.get(f)?.column ?? f);
  const entry = `{ fields: [${fields.map((f) => `'${f}'`).join(', ')}] }`;
  return {
    model,
    unindexed,
    anchor: inlineObjectProperty(ctx, sortOnly ? propertyValue(ctx, options!, 'order') : where),
    verb: sortOnly ? 'sorts on' : 'filters on',
    callText: compactCallee(callee.getText()),
    notIndexedBy: notIndexedByFile(declared.location.fileName),
    advice: `\`${entry}\` to the \`indexes\` of \`${declared.name}\``,
    related: [{ fileName: declared.location.fileName, start: declared.location.start, end: declared.location.end, message: `\`${declared.name}\` is declared here` }],
    fixEdits: () => sequelizeIndexEdits(ctx, declared, fields),
  };
}

/** `{ fields: [...] }` appended to the model's `indexes`, or `indexes: [...]` added to its options. */
function sequelizeIndexEdits(ctx: RuleContext, model: SequelizeModel, fields: readonly string[]): FileEdit[] | undefined {
  const sf = model.definition.getSourceFile();
  const q = quoteOf(ctx, sf);
  const entry = `{ fields: [${fields.map((f) => quoted(q, f)).join(', ')}] }`;
  if (model.indexesArray) return [appendElement(sf, model.indexesArray, entry)];
  if (model.options) return [insertProperty(ctx, model.options, `indexes: [${entry}]`)];
  // sequelize.define('User', { … }): the options argument does not exist yet.
  const attrs = model.definition.arguments[1];
  const isDefine = ctx.ts.isPropertyAccessExpression(model.definition.expression) && model.definition.expression.name.text === 'define';
  if (!isDefine || !attrs || model.definition.arguments.length !== 2) return undefined;
  return [{ fileName: sf.fileName, start: attrs.getEnd(), end: attrs.getEnd(), newText: `, { indexes: [${entry}] }` }];
}

/** An element added last to an array literal, one a line when the array is laid out so. */
function appendElement(sf: ts.SourceFile, array: ts.ArrayLiteralExpression, text: string): FileEdit {
  const fileName = sf.fileName;
  const els = array.elements;
  const last = els[els.length - 1];
  if (!last) return { fileName, start: array.getStart(sf), end: array.getEnd(), newText: `[${text}]` };
  const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
  if (line(array.getStart(sf)) === line(last.getStart(sf))) return { fileName, start: last.getEnd(), end: last.getEnd(), newText: `, ${text}` };
  const lineStart = sf.getPositionOfLineAndCharacter(line(last.getStart(sf)), 0);
  const indent = /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
  // After a comment that ends the last element's line, so the comment stays with its element.
  const comma = els.hasTrailingComma ? sf.text.indexOf(',', last.getEnd()) : -1;
  const afterLast = comma >= 0 ? comma + 1 : last.getEnd();
  const lineEnd = sf.text.indexOf('\n', afterLast);
  const rest = sf.text.slice(afterLast, lineEnd < 0 ? undefined : lineEnd);
  const at = /^\s*\/\/.*$/.test(rest) ? afterLast + rest.replace(/\r$/, '').length : afterLast;
  if (comma >= 0) return { fileName, start: at, end: at, newText: `\n${indent}${text},` };
  if (at === afterLast) return { fileName, start: at, end: at, newText: `,\n${indent}${text}` };
  // `x // note` without a comma: the comma goes before the comment.
  return { fileName, start: last.getEnd(), end: at, newText: `,${sf.text.slice(last.getEnd(), at)}\n${indent}${text}` };
}
