// Which calls read from a database, by what they resolve to: Prisma model reads,
// TypeORM repository / query-builder reads, Sequelize model reads, Mongoose model
// reads, knex chains and raw SELECTs through pg / mysql2. And where a value came
// from: the rows of such a query (through variables, `.rows`, `.map`/`.filter`, and
// the project functions that return them).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { resolveCall, skipOuter } from './callee';
import { schemaOfModel } from './schema/mongoose';
import { prismaModelCall } from './schema/prisma-client';
import { leadingWords } from './schema/sql-text';
import { sqlSinkOf } from './sql-sinks';
import { projectFunctionOf, returnedExpressions } from '../taint/functions';

export interface QueryCall {
  readonly call: ts.CallExpression;
  /** `prisma.user.findMany`, compacted. */
  readonly label: string;
}

const PRISMA_READS = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy']);
const TYPEORM_READS = new Set(['find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'findAndCount', 'count', 'countBy', 'exists', 'getOne', 'getOneOrFail', 'getMany', 'getRawOne', 'getRawMany', 'getCount']);
const SEQUELIZE_READS = new Set(['findOne', 'findAll', 'findByPk', 'findAndCountAll', 'count']);
const SEQUELIZE_MODULES = ['sequelize', '@sequelize/core', 'sequelize-typescript'];
const MONGOOSE_READS = new Set(['find', 'findOne', 'findById', 'countDocuments']);
/** knex: the member that ends a read chain (`await knex('users').where(…).first()`). */
const KNEX_READS = new Set(['first', 'select', 'where', 'whereIn', 'pluck']);
const SQL_DRIVERS = new Set(['pg', 'mysql']);
/** Array methods whose result still holds the rows (or values taken from them). */
const ROW_PRESERVING = new Set(['map', 'filter', 'slice', 'flatMap', 'concat', 'sort', 'reverse']);
/** Query-builder links that shape a query without changing which rows it reads from (Mongoose, knex). */
const QUERY_CHAIN = new Set(['lean', 'sort', 'limit', 'skip', 'select', 'populate', 'exec', 'orderBy', 'offset', 'take']);
const MAX_DEPTH = 6;

/** The database read a call is, if any. */
export function queryCallOf(ctx: RuleContext, call: ts.CallExpression): QueryCall | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const name = callee.name.text;
  const make = (): QueryCall => ({ call, label: compact(callee.getText()) });
  const candidate = PRISMA_READS.has(name) || TYPEORM_READS.has(name) || SEQUELIZE_READS.has(name) || MONGOOSE_READS.has(name) || KNEX_READS.has(name) || QUERY_CHAIN.has(name) || name === 'query' || name === 'execute';
  if (!candidate) return undefined;
  if (MONGOOSE_READS.has(name) && schemaOfModel(ctx, callee.expression)) return make();
  if (PRISMA_READS.has(name) && prismaModelCall(ctx, call, PRISMA_READS)) return make();
  if (name === 'query' || name === 'execute') {
    const sink = sqlSinkOf(ctx, call);
    if (!sink || !sink.spec.executes) return undefined;
    if (SQL_DRIVERS.has(sink.spec.driver) || sink.spec.driver === 'typeorm' || sink.spec.driver === 'sequelize') return isSelect(ctx, sink.text) ? make() : undefined;
    return undefined;
  }
  const target = resolveCall(ctx, call);
  const module = target?.module;
  if (!module) return undefined;
  if (module === '@prisma/client' && PRISMA_READS.has(name)) return make();
  if (module === 'typeorm' && TYPEORM_READS.has(name)) return make();
  if (SEQUELIZE_MODULES.includes(module) && SEQUELIZE_READS.has(name)) return make();
  // A knex chain runs when awaited; only its outermost call counts.
  if (module === 'knex' && (KNEX_READS.has(name) || QUERY_CHAIN.has(name)) && !isInnerChainLink(ts, call)) return make();
  return undefined;
}

function isInnerChainLink(ts: RuleContext['ts'], call: ts.CallExpression): boolean {
  return ts.isPropertyAccessExpression(call.parent) && call.parent.expression === call && ts.isCallExpression(call.parent.parent);
}

/** Literal SQL text that starts with SELECT (text built at run time is not judged). */
function isSelect(ctx: RuleContext, text: ts.Expression): boolean {
  const { ts } = ctx;
  let e = skipOuter(ts, text);
  if (ts.isIdentifier(e)) {
    const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) e = skipOuter(ts, decl.initializer);
  }
  const literal = ts.isStringLiteralLike(e) ? e.text : ts.isTemplateExpression(e) ? e.head.text : undefined;
  return literal !== undefined && leadingWords(literal, 1)[0] === 'SELECT';
}

/** The query whose rows `expr` holds: `users`, `result.rows`, `users.map((u) => u.id)`, `await prisma.user.findMany()`. */
export function rowsSourceOf(ctx: RuleContext, expr: ts.Expression, depth = 0): QueryCall | undefined {
  const { ts } = ctx;
  if (depth > MAX_DEPTH) return undefined;
  const e = skipOuter(ts, expr);
  if (ts.isAwaitExpression(e)) return rowsSourceOf(ctx, e.expression, depth + 1);
  if (ts.isCallExpression(e)) {
    const direct = queryCallOf(ctx, e);
    if (direct) return direct;
    const callee = skipOuter(ts, e.expression);
    if (ts.isPropertyAccessExpression(callee) && (ROW_PRESERVING.has(callee.name.text) || QUERY_CHAIN.has(callee.name.text))) return rowsSourceOf(ctx, callee.expression, depth + 1);
    // `await recentUsers()`: a project function (in any file) that returns a query's rows.
    const fn = projectFunctionOf(ctx, e);
    if (!fn) return undefined;
    for (const r of returnedExpressions(ctx, fn)) {
      const source = rowsSourceOf(ctx, r, depth + 1);
      if (source) return source;
    }
    return undefined;
  }
  // `result.rows` (pg), `[rows] = …` is handled at the declaration.
  if (ts.isPropertyAccessExpression(e) && (e.name.text === 'rows' || e.name.text === 'recordset')) return rowsSourceOf(ctx, e.expression, depth + 1);
  if (!ts.isIdentifier(e)) return undefined;
  const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
  if (!decl) return undefined;
  if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && decl.initializer) return rowsSourceOf(ctx, decl.initializer, depth + 1);
  // `const { rows } = await pool.query(…)` / `const [rows] = await conn.query(…)` (mysql2).
  if (ts.isBindingElement(decl)) {
    const varDecl = decl.parent.parent;
    if (!ts.isVariableDeclaration(varDecl) || !varDecl.initializer) return undefined;
    const key = ts.isObjectBindingPattern(decl.parent) ? (decl.propertyName ?? decl.name).getText() : decl.parent.elements.indexOf(decl) === 0 ? 'rows' : undefined;
    if (key !== 'rows') return undefined;
    const inner = skipOuter(ts, varDecl.initializer);
    const source = rowsSourceOf(ctx, inner, depth + 1);
    return source && (ts.isArrayBindingPattern(decl.parent) || sqlSinkOf(ctx, source.call)) ? source : undefined;
  }
  return undefined;
}

function compact(text: string): string {
  const t = text.replace(/\s+/g, '');
  return t.length <= 60 ? t : `…${t.slice(-59)}`;
}
