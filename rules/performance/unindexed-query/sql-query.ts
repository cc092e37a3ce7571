// Raw SQL through pg and mysql2: `pool.query('SELECT … FROM users WHERE email = $1')`
// with a literal query on one table (no joins), checked against the tables and
// indexes the package's SQL migrations create (and its Prisma schema, if any).
// The fix writes a new migration beside the existing ones.
import * as path from 'node:path';
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { fieldByColumn, withIndexes, type IndexInfo, type ModelInfo } from '../../shared/schema/model';
import { migrationFiles, prismaSchemaFor, sqlSchemaFor } from '../../shared/schema/project';
import { sqlParser, type SqlDialect } from '../../shared/schema/sql-parser';
import { tableModel } from '../../shared/schema/sql-schema';
import { compactCallee, type Detection } from './detected';
import { unindexedFilter } from './evaluate';
import { objectLiteralOf, propertyValue, valueSymbol, type FieldUse, type Filter } from './filter';
import { newMigrationPath } from './new-migration';

export const SQL_METHODS: ReadonlySet<string> = new Set(['query', 'execute']);

type Json = Record<string, unknown>;

const EQUALITY_OPS = new Set(['=', 'IN', 'IS']);
const RANGE_OPS = new Set(['<', '>', '<=', '>=', 'BETWEEN']);

function obj(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function dialectOf(ctx: RuleContext, call: ts.CallExpression): SqlDialect | undefined {
  const target = resolveCall(ctx, call);
  if (target?.module === 'pg' && target.name === 'query') return 'postgresql';
  if (target?.module === 'mysql2' && SQL_METHODS.has(target.name)) return 'mysql';
  return undefined;
}

/** The literal SQL of the first argument (a string, a const holding one, or `{ text }` / `{ sql }`). */
function sqlText(ctx: RuleContext, arg: ts.Expression | undefined, depth = 0): string | undefined {
  const { ts } = ctx;
  if (!arg || depth > 3) return undefined;
  const e = skipOuter(ts, arg);
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isIdentifier(e)) {
    const decl = valueSymbol(ctx, e)?.declarations?.[0];
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) return sqlText(ctx, decl.initializer, depth + 1);
    return undefined;
  }
  const o = objectLiteralOf(ctx, e);
  const text = o && (propertyValue(ctx, o, 'text') ?? propertyValue(ctx, o, 'sql'));
  return text && sqlText(ctx, text.value, depth + 1);
}

function columnName(ref: Json): string | undefined {
  if (ref.type !== 'column_ref') return undefined;
  const col = ref.column;
  if (typeof col === 'string') return col === '*' ? undefined : col;
  const value = obj(obj(col)?.expr)?.value;
  return typeof value === 'string' ? value : undefined;
}

interface Statement {
  readonly table: string;
  readonly aliases: ReadonlySet<string>;
  readonly where: unknown;
}

/** The one table a SELECT/UPDATE/DELETE reads, with its WHERE; undefined for joins, subqueries, several statements. */
function singleTableStatement(ast: unknown): Statement | undefined {
  const list = Array.isArray(ast) ? ast : [ast];
  const stmt = list.length === 1 ? obj(list[0]) : undefined;
  if (!stmt || !['select', 'update', 'delete'].includes(String(stmt.type))) return undefined;
  const sources = (stmt.type === 'update' ? stmt.table : stmt.from) as unknown;
  if (!Array.isArray(sources) || sources.length !== 1) return undefined;
  const from = obj(sources[0]);
  const table = typeof from?.table === 'string' ? from.table : undefined;
  if (!from || !table || from.expr) return undefined;
  const aliases = new Set([table.toLowerCase(), ...(typeof from.as === 'string' ? [from.as.toLowerCase()] : [])]);
  return { table, aliases, where: stmt.where };
}

/** Columns a WHERE constrains in its top-level AND; opaque when it has OR, functions, subqueries. */
function conditions(where: unknown, aliases: ReadonlySet<string>): { columns: { name: string; use: FieldUse }[]; opaque: boolean } {
  const columns: { name: string; use: FieldUse }[] = [];
  let opaque = false;
  const visit = (e: unknown): void => {
    const node = obj(e);
    if (!node) return;
    const op = typeof node.operator === 'string' ? node.operator.toUpperCase() : undefined;
    if (node.type === 'binary_expr' && op === 'AND') {
      visit(node.left);
      visit(node.right);
      return;
    }
    const left = obj(node.left);
    const column = node.type === 'binary_expr' && left ? columnName(left) : undefined;
    const qualifier = left && typeof left.table === 'string' ? left.table.toLowerCase() : undefined;
    if (!column || (qualifier && !aliases.has(qualifier))) {
      opaque = true;
      return;
    }
    if (op && EQUALITY_OPS.has(op)) columns.push({ name: column, use: 'equality' });
    else if (op && RANGE_OPS.has(op)) columns.push({ name: column, use: 'range' });
    else if (op === 'LIKE') {
      const right = obj(node.right);
      if (typeof right?.value === 'string' && !/^[%_]/.test(right.value)) columns.push({ name: column, use: 'range' });
    }
  };
  visit(where);
  return { columns, opaque };
}

/** Indexes the Prisma schema declares for the same table, by column. */
function prismaIndexes(ctx: RuleContext, table: ModelInfo): IndexInfo[] {
  const schema = prismaSchemaFor(ctx, ctx.fileName);
  const model = schema && [...schema.models.values()].find((m) => m.table.toLowerCase() === table.table.toLowerCase());
  if (!model) return [];
  const out: IndexInfo[] = [];
  for (const i of model.indexes) {
    const fields: string[] = [];
    for (const f of i.fields) {
      const column = model.fields.get(f)?.column;
      const name = column === undefined ? undefined : fieldByColumn(table, column)?.name;
      if (!name) break;
      fields.push(name);
    }
    if (fields.length > 0) out.push({ fields, kind: i.kind, fileName: i.fileName });
  }
  return out;
}

function identifier(name: string, dialect: SqlDialect): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name)) return name;
  return dialect === 'mysql' ? `\`${name}\`` : `"${name.replace(/"/g, '""')}"`;
}

export function detectSql(ctx: RuleContext, call: ts.CallExpression): Detection {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !SQL_METHODS.has(callee.name.text)) return undefined;
  const arg = call.arguments[0];
  const text = sqlText(ctx, arg);
  if (!arg || text === undefined || !/\bWHERE\b/i.test(text)) return undefined;
  const dialect = dialectOf(ctx, call);
  const schema = dialect && sqlSchemaFor(ctx, ctx.fileName);
  const parser = dialect && sqlParser(dialect);
  if (!dialect || !schema || !parser) return undefined;
  let ast: unknown;
  try {
    ast = parser.astify(text, { database: dialect });
  } catch {
    return undefined;
  }
  const stmt = singleTableStatement(ast);
  const table = stmt && schema.tables.get(stmt.table.toLowerCase());
  if (!stmt || !table) return undefined;
  const base = tableModel(table);
  const model = withIndexes(base, prismaIndexes(ctx, base));
  const { columns, opaque } = conditions(stmt.where, stmt.aliases);
  const filter: Filter = {
    fields: columns.map((c) => ({ name: fieldByColumn(model, c.name)?.name ?? c.name, use: c.use, value: arg })),
    opaque,
  };
  const unindexed = unindexedFilter(model, filter);
  if (!unindexed) return undefined;
  const cols = unindexed.indexFields;
  const indexName = identifier(`${table.name}_${cols.join('_')}_idx`.toLowerCase().replace(/[^a-z0-9_]+/g, '_'), dialect);
  const statement = `CREATE INDEX ${indexName} ON ${identifier(table.name, dialect)} (${cols.map((c) => identifier(c, dialect)).join(', ')});`;
  return {
    model,
    unindexed,
    anchor: arg,
    verb: 'filters on',
    callText: compactCallee(callee.getText()),
    notIndexedBy: 'which no migration indexes',
    advice: `\`${statement.slice(0, -1)}\` in a new migration`,
    related: [{ fileName: table.location.fileName, start: table.location.start, end: table.location.end, message: `\`${table.name}\` is created here` }],
    fixEdits: () => {
      const target = newMigrationPath(migrationFiles(ctx, ctx.fileName).sql, ['add', table.name, ...cols, 'index']);
      if (!target || ctx.project.readFile(target) !== undefined || path.posix.extname(target) !== '.sql') return undefined;
      return [{ fileName: target, start: 0, end: 0, newText: `${statement}\n`, create: true }];
    },
  };
}
