// TypeORM queries (recognised by shared/schema/typeorm: repositories, EntityManager,
// BaseEntity) with `find({ where })`, `findBy(where)`, `count`, `update(criteria, …)`…,
// their `where` read with TypeORM's operators, and the `@Index` fix in the entity.
import type { ts } from 'ts-morph';
import type { FileEdit, RuleContext } from '../../api';
import { originOf, skipOuter } from '../../shared/callee';
import { withIndexes, type IndexInfo } from '../../shared/schema/model';
import { sqlSchemaFor } from '../../shared/schema/project';
import { migrationIndexesFor } from '../../shared/schema/sql-schema';
import { typeormEntityCall, type EntityModel } from '../../shared/schema/typeorm';
import { compactCallee, HANDLED, notIndexedByFile, type Detection } from './detected';
import { unindexedFilter } from './evaluate';
import { hasSpread, inlineObject, inlineObjectProperty, objectLiteralOf, paginatedSort, propertyValue, readFilter, type Classify } from './filter';
import { lineAbove, namedImport, quoteOf, quoted } from './ts-edits';

const OPTIONS_METHODS = new Set(['find', 'findOne', 'findOneOrFail', 'findAndCount', 'count', 'exists']);
const WHERE_METHODS = new Set(['findBy', 'findOneBy', 'findOneByOrFail', 'findAndCountBy', 'countBy', 'existsBy', 'update', 'delete', 'softDelete']);
/** The methods that return a page of rows, where an index can also serve the sort. */
const LISTING_METHODS = new Set(['find', 'findAndCount']);
export const TYPEORM_METHODS: ReadonlySet<string> = new Set([...OPTIONS_METHODS, ...WHERE_METHODS]);

const EQUALITY_OPERATORS = new Set(['Equal', 'In', 'Any', 'IsNull']);
const RANGE_OPERATORS = new Set(['MoreThan', 'MoreThanOrEqual', 'LessThan', 'LessThanOrEqual', 'Between']);
/** Drivers whose databases index the foreign keys they enforce (InnoDB). */
const FK_INDEXING_DRIVERS = ['mysql', 'mysql2', 'mariadb'];
const OTHER_DRIVERS = ['pg', 'sqlite3', 'better-sqlite3', 'mssql', 'oracledb', 'sql.js'];

function classifier(ctx: RuleContext, entity: EntityModel): Classify {
  const { ts } = ctx;
  return (key, value) => {
    const v = skipOuter(ts, value);
    if (ts.isIdentifier(v) && v.text === 'undefined') return { kind: 'ignore' };
    if (ts.isObjectLiteralExpression(v)) return entity.fields.get(key)?.relation ? { kind: 'field', use: 'equality' } : { kind: 'ignore' };
    if (ts.isCallExpression(v)) {
      const origin = originOf(ctx, v.expression);
      const op = origin?.module === 'typeorm' ? origin.exportPath[origin.exportPath.length - 1] ?? origin.members[origin.members.length - 1] : undefined;
      if (op === undefined) return { kind: 'field', use: 'equality' };
      if (EQUALITY_OPERATORS.has(op)) return { kind: 'field', use: 'equality' };
      if (RANGE_OPERATORS.has(op)) return { kind: 'field', use: 'range' };
      const pattern = v.arguments[0] && skipOuter(ts, v.arguments[0]);
      // `Like('abc%')` can walk an index; `Like('%abc')` cannot.
      if (op === 'Like' && pattern && ts.isStringLiteralLike(pattern) && !/^[%_]/.test(pattern.text)) return { kind: 'field', use: 'range' };
      return { kind: 'ignore' };
    }
    return { kind: 'field', use: 'equality' };
  };
}

function foreignKeysIndexed(ctx: RuleContext): boolean {
  const deps = ctx.project.packageJson(ctx.fileName)?.allDependencies ?? {};
  return FK_INDEXING_DRIVERS.some((d) => d in deps) && !OTHER_DRIVERS.some((d) => d in deps);
}

export function detectTypeorm(ctx: RuleContext, call: ts.CallExpression): Detection {
  const found = typeormEntityCall(ctx, call, TYPEORM_METHODS);
  if (!found) return undefined;
  const { entity, callee } = found;
  if (!entity) return HANDLED;

  const arg = call.arguments[found.owner === 'EntityManager' ? 1 : 0];
  if (!arg) return HANDLED;
  let whereExpr: ts.Expression | undefined = arg;
  let anchor = inlineObject(ctx, arg);
  let sort: { name: string; value: ts.Expression } | undefined;
  let sortOnly = false;
  if (OPTIONS_METHODS.has(callee.name.text)) {
    const options = objectLiteralOf(ctx, arg);
    const where = options && propertyValue(ctx, options, 'where');
    whereExpr = where?.value;
    anchor = inlineObjectProperty(ctx, where);
    sort = options && LISTING_METHODS.has(callee.name.text) ? paginatedSort(ctx, options, 'order', ['take']) : undefined;
    // `find({ order: { createdAt: 'DESC' }, take: 20 })`: the sort alone picks the rows.
    if (!where && sort && options && !hasSpread(ctx, options)) {
      sortOnly = true;
      anchor = inlineObjectProperty(ctx, propertyValue(ctx, options, 'order'));
    }
  }
  const filter = sortOnly && sort ? { fields: [{ name: sort.name, use: 'range' as const, value: sort.value }], opaque: false } : whereExpr && readFilter(ctx, whereExpr, classifier(ctx, entity));
  if (!filter) return HANDLED;

  const extra: IndexInfo[] = migrationIndexesFor(entity, sqlSchemaFor(ctx, entity.location.fileName));
  if (foreignKeysIndexed(ctx)) {
    for (const f of entity.fields.values()) if (f.relation?.localFields.length) extra.push({ fields: [...f.relation.localFields], kind: 'index', fileName: entity.location.fileName });
  }
  const model = withIndexes(entity, extra);
  const unindexed = unindexedFilter(model, filter, sortOnly ? undefined : sort?.name);
  if (!unindexed) return HANDLED;
  const fields = unindexed.indexFields;
  const advice = fields.length === 1 ? `\`@Index()\` to \`${entity.name}.${fields[0]}\`` : `\`@Index([${fields.map((f) => `'${f}'`).join(', ')}])\` to \`${entity.name}\``;
  return {
    model,
    unindexed,
    anchor,
    verb: sortOnly ? 'sorts on' : 'filters on',
    callText: compactCallee(callee.getText()),
    notIndexedBy: notIndexedByFile(entity.location.fileName),
    advice,
    related: [{ node: entity.declaration.name ?? entity.declaration, message: `\`${entity.name}\` is declared here` }],
    fixEdits: () => typeormIndexEdits(ctx, entity, fields),
  };
}

/** `@Index()` above the column's property, or `@Index(['a', 'b'])` above the entity, importing `Index` once. */
function typeormIndexEdits(ctx: RuleContext, entity: EntityModel, fields: readonly string[]): FileEdit[] | undefined {
  const property = fields.length === 1 ? entity.properties.get(fields[0]) : undefined;
  if (fields.length === 1 && !property) return undefined;
  // A class-level index goes under the class's decorators, on the line of `export class`.
  const cls = entity.declaration;
  const classStart = cls.modifiers?.find((m) => !ctx.ts.isDecorator(m)) ?? cls.getChildren().find((c) => c.kind === ctx.ts.SyntaxKind.ClassKeyword);
  const anchor: ts.Node | undefined = property ?? classStart;
  if (!anchor) return undefined;
  const sf = anchor.getSourceFile();
  const imported = namedImport(ctx, sf, 'typeorm', 'Index');
  if (!imported) return undefined;
  const q = quoteOf(ctx, sf);
  const decorator = property ? `@${imported.local}()` : `@${imported.local}([${fields.map((f) => quoted(q, f)).join(', ')}])`;
  return [lineAbove(sf, anchor, decorator), ...(imported.edit ? [imported.edit] : [])];
}
