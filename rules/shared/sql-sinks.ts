// The raw-SQL entry points of Node database drivers and ORMs: which call takes SQL text,
// at which argument, and how it takes values beside it (placeholder style and where the
// values go). A call is matched by what it resolves to (package and declaring class, via
// the type checker or, without types, the imports), never by its name alone. Shared by
// the injection rule and the query-shape rules (N+1, unbounded queries).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { calleeNameNode, packageOfFile, resolveCall, skipOuter, type CallTarget } from './callee';

export type SqlDriver = 'pg' | 'pg-promise' | 'mysql' | 'mssql' | 'sequelize' | 'knex' | 'typeorm' | 'prisma' | 'drizzle' | 'sqlite' | 'postgres.js';

/**
 * How values travel beside the text: `$1, $2` (pg, Sequelize `bind`), `?` (mysql, knex,
 * sqlite), `:name` with a parameters object (TypeORM query builders), a tagged template
 * whose interpolations are parameters (Prisma), or not at all (the API takes none).
 */
export type PlaceholderStyle = 'dollar' | 'question' | 'named' | 'tagged' | 'none';

/** Where the values go. */
export type ValuesSlot =
  | { readonly kind: 'argument'; readonly index: number }
  /** A property of the options object at `index` (Sequelize `{ bind: [...] }`). */
  | { readonly kind: 'option'; readonly index: number; readonly property: string }
  /** A parameters object at `index` (TypeORM `where(sql, { name })`). */
  | { readonly kind: 'named-object'; readonly index: number }
  | { readonly kind: 'tagged' }
  | { readonly kind: 'none' };

export interface SqlSinkSpec {
  readonly driver: SqlDriver;
  readonly modules: readonly string[];
  readonly names: readonly string[];
  /** Declaring class/interface when resolved by types (`Sequelize`); omitted: any in the package. */
  readonly owners?: readonly string[];
  readonly excludeOwners?: readonly string[];
  /** Index of the SQL text argument. */
  readonly sqlArg: number;
  /** The config-object form of the text argument: pg `{ text, values }`, mysql `{ sql, values }`. */
  readonly textProperty?: string;
  readonly valuesProperty?: string;
  readonly values: ValuesSlot;
  /** 'by-driver': the ORM passes the text to whichever driver the project uses (TypeORM `query`). */
  readonly placeholder: PlaceholderStyle | 'by-driver';
  /** Runs a statement (`query`), as opposed to adding a fragment to one (`whereRaw`, `literal`). */
  readonly executes: boolean;
}

const KNEX_FRAGMENTS = ['whereRaw', 'orWhereRaw', 'andWhereRaw', 'havingRaw', 'orHavingRaw', 'andHavingRaw', 'orderByRaw', 'groupByRaw', 'joinRaw', 'fromRaw'];
const TYPEORM_CONDITIONS = ['where', 'andWhere', 'orWhere', 'having', 'andHaving', 'orHaving'];
const TYPEORM_JOINS = ['leftJoin', 'innerJoin', 'leftJoinAndSelect', 'innerJoinAndSelect'];
const PG_PROMISE_QUERIES = ['query', 'none', 'one', 'many', 'oneOrNone', 'manyOrNone', 'any', 'result', 'multi', 'multiResult', 'each', 'map'];

export const SQL_SINKS: readonly SqlSinkSpec[] = [
  { driver: 'pg', modules: ['pg', 'pg-pool'], names: ['query'], sqlArg: 0, textProperty: 'text', valuesProperty: 'values', values: { kind: 'argument', index: 1 }, placeholder: 'dollar', executes: true },
  {
    driver: 'mysql',
    modules: ['mysql2', 'mysql', 'mariadb'],
    names: ['query', 'execute'],
    excludeOwners: ['PreparedStatementInfo', 'prepare'],
    sqlArg: 0,
    textProperty: 'sql',
    valuesProperty: 'values',
    values: { kind: 'argument', index: 1 },
    placeholder: 'question',
    executes: true,
  },
  { driver: 'sequelize', modules: ['sequelize', '@sequelize/core'], names: ['query'], owners: ['Sequelize'], sqlArg: 0, textProperty: 'query', values: { kind: 'option', index: 1, property: 'bind' }, placeholder: 'dollar', executes: true },
  { driver: 'sequelize', modules: ['sequelize', '@sequelize/core'], names: ['literal'], sqlArg: 0, values: { kind: 'none' }, placeholder: 'none', executes: false },
  { driver: 'knex', modules: ['knex'], names: ['raw'], excludeOwners: ['SchemaBuilder'], sqlArg: 0, values: { kind: 'argument', index: 1 }, placeholder: 'question', executes: true },
  { driver: 'knex', modules: ['knex'], names: ['raw'], owners: ['SchemaBuilder'], sqlArg: 0, values: { kind: 'none' }, placeholder: 'none', executes: true },
  { driver: 'knex', modules: ['knex'], names: KNEX_FRAGMENTS, sqlArg: 0, values: { kind: 'argument', index: 1 }, placeholder: 'question', executes: false },
  { driver: 'knex', modules: ['knex'], names: ['withRaw'], sqlArg: 1, values: { kind: 'argument', index: 2 }, placeholder: 'question', executes: false },
  { driver: 'typeorm', modules: ['typeorm'], names: ['query'], sqlArg: 0, values: { kind: 'argument', index: 1 }, placeholder: 'by-driver', executes: true },
  { driver: 'typeorm', modules: ['typeorm'], names: TYPEORM_CONDITIONS, sqlArg: 0, values: { kind: 'named-object', index: 1 }, placeholder: 'named', executes: false },
  { driver: 'typeorm', modules: ['typeorm'], names: TYPEORM_JOINS, sqlArg: 2, values: { kind: 'named-object', index: 3 }, placeholder: 'named', executes: false },
  { driver: 'prisma', modules: ['@prisma/client'], names: ['$queryRawUnsafe', '$executeRawUnsafe'], sqlArg: 0, values: { kind: 'tagged' }, placeholder: 'tagged', executes: true },
  { driver: 'prisma', modules: ['@prisma/client'], names: ['raw'], sqlArg: 0, values: { kind: 'none' }, placeholder: 'none', executes: false },
  { driver: 'sqlite', modules: ['sqlite3', 'sqlite'], names: ['run', 'get', 'all', 'each'], sqlArg: 0, values: { kind: 'argument', index: 1 }, placeholder: 'question', executes: true },
  { driver: 'sqlite', modules: ['sqlite3', 'sqlite', 'better-sqlite3'], names: ['exec', 'prepare'], sqlArg: 0, values: { kind: 'none' }, placeholder: 'none', executes: true },
  { driver: 'postgres.js', modules: ['postgres'], names: ['unsafe'], sqlArg: 0, values: { kind: 'argument', index: 1 }, placeholder: 'dollar', executes: true },
  { driver: 'pg-promise', modules: ['pg-promise'], names: PG_PROMISE_QUERIES, sqlArg: 0, values: { kind: 'argument', index: 1 }, placeholder: 'dollar', executes: true },
  { driver: 'mssql', modules: ['mssql'], names: ['query', 'batch'], sqlArg: 0, values: { kind: 'none' }, placeholder: 'none', executes: true },
  { driver: 'drizzle', modules: ['drizzle-orm'], names: ['raw'], sqlArg: 0, values: { kind: 'none' }, placeholder: 'none', executes: false },
];

const SINK_NAMES = new Set(SQL_SINKS.flatMap((s) => s.names));
const SQL_ARG_INDEXES = new Map<string, number[]>();
for (const s of SQL_SINKS) for (const n of s.names) SQL_ARG_INDEXES.set(n, [...new Set([...(SQL_ARG_INDEXES.get(n) ?? []), s.sqlArg])]);

/** Calls whose result is escaped SQL (a quoted literal or identifier), safe to splice into text. */
const SQL_ESCAPERS: readonly { readonly modules: readonly string[]; readonly names?: readonly string[] }[] = [
  { modules: ['pg'], names: ['escapeLiteral', 'escapeIdentifier'] },
  { modules: ['mysql2', 'mysql', 'mariadb', 'sqlstring'], names: ['escape', 'escapeId', 'format'] },
  { modules: ['sequelize', '@sequelize/core'], names: ['escape', 'quoteIdentifier', 'quoteTable'] },
  { modules: ['typeorm'], names: ['escape'] },
  { modules: ['pg-format'] },
];

export interface SqlSinkCall {
  readonly spec: SqlSinkSpec;
  readonly call: ts.CallExpression;
  readonly target: CallTarget;
  /** The expression holding the SQL text (the argument, or the `text`/`sql` property of a config object). */
  readonly text: ts.Expression;
  /** The config object when the text came from one. */
  readonly config?: ts.ObjectLiteralExpression;
}

/**
 * False when every argument that could be SQL text is a string literal: such a call is
 * never a dynamic-SQL finding, so a rule can skip asking the checker what it is (which is
 * costly on heavy generic APIs like mongoose's `where`).
 */
export function mayHaveDynamicSqlText(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const nameNode = calleeNameNode(ts, call.expression);
  const indexes = nameNode && SQL_ARG_INDEXES.get(nameNode.text);
  if (!indexes) return false;
  return indexes.some((i) => {
    const arg = call.arguments[i];
    return !!arg && !ts.isStringLiteralLike(skipOuter(ts, arg));
  });
}

/** The raw-SQL sink a call is, with its SQL text expression; undefined for anything else. */
export function sqlSinkOf(ctx: RuleContext, call: ts.CallExpression): SqlSinkCall | undefined {
  const { ts } = ctx;
  const nameNode = calleeNameNode(ts, call.expression);
  if (!nameNode || !SINK_NAMES.has(nameNode.text)) return undefined;
  const resolved = resolveCall(ctx, call);
  // Project code (a relative import) may still be a generated Prisma client.
  const target = resolved?.module && !resolved.module.startsWith('.') ? resolved : (generatedPrismaTarget(ctx, nameNode) ?? resolved);
  if (!target?.module) return undefined;
  const spec = SQL_SINKS.find((s) => s.modules.includes(target.module!) && s.names.includes(target.name) && ownerMatches(s, target));
  const arg = spec && call.arguments[spec.sqlArg];
  if (!spec || !arg) return undefined;
  const e = skipOuter(ts, arg);
  if (ts.isObjectLiteralExpression(e)) {
    const prop = spec.textProperty && propertyNamed(ts, e, spec.textProperty);
    return prop ? { spec, call, target, text: prop.initializer, config: e } : undefined;
  }
  return { spec, call, target, text: arg };
}

function ownerMatches(spec: SqlSinkSpec, target: CallTarget): boolean {
  // Through imports the owner is at best the constructor the value came from; knex's schema
  // builder is reached as `knex.schema.raw`.
  const owner = target.owner ?? (target.via === 'imports' && target.memberPath.includes('schema') && spec.driver === 'knex' ? 'SchemaBuilder' : undefined);
  if (owner && spec.excludeOwners?.includes(owner)) return false;
  if (!spec.owners) return true;
  return owner ? spec.owners.includes(owner) : target.via === 'imports' && spec.driver !== 'knex';
}

/**
 * Prisma 7 generates its client into the project (`output = "../src/generated/prisma"`),
 * so `$queryRawUnsafe` is declared in project code: recognise that code by its import of
 * the Prisma runtime.
 */
function generatedPrismaTarget(ctx: RuleContext, nameNode: ts.Identifier | ts.PrivateIdentifier): CallTarget | undefined {
  const { ts } = ctx;
  if (nameNode.text !== '$queryRawUnsafe' && nameNode.text !== '$executeRawUnsafe') return undefined;
  const decl = ctx.checker.getSymbolAtLocation(nameNode)?.declarations?.[0];
  const file = decl?.getSourceFile();
  if (!decl || !file || packageOfFile(file.fileName)) return undefined;
  const importsRuntime = file.statements.some((s) => (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text.startsWith('@prisma/client/runtime'));
  return importsRuntime ? { module: '@prisma/client', name: nameNode.text, memberPath: [], isGlobal: false, declaration: decl, via: 'types' } : undefined;
}

/** True when the call returns SQL escaped by the driver (`client.escapeLiteral(x)`, `mysql.escape(x)`, pg-format). */
export function isSqlEscapeCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const target = resolveCall(ctx, call);
  if (!target?.module) return false;
  return SQL_ESCAPERS.some((e) => e.modules.includes(target.module!) && (!e.names || e.names.includes(target.name)));
}

/** Packages whose own members (`qb.alias`, `metadata.tableName`, `Model.tableName`) are names the code defined, not data. */
const SQL_LIBRARIES = new Set([...SQL_SINKS.flatMap((s) => s.modules), ...SQL_ESCAPERS.flatMap((e) => e.modules)].filter((m) => m !== '@prisma/client'));

/**
 * True for members a SQL library declares: names it holds for the code (TypeORM
 * `qb.alias`, `repository.metadata.tableName`, Sequelize `Model.tableName`) and SQL it
 * builds with its own escaping (`qb.getQuery()`). Not Prisma's: its generated model types
 * describe rows of data, which may hold anything a user once stored.
 */
export function isSqlLibraryMember(member: ts.Symbol): boolean {
  const decl = member.declarations?.[0];
  const module = decl && packageOfFile(decl.getSourceFile().fileName);
  return !!module && SQL_LIBRARIES.has(module);
}

/** The placeholder style of a sink in this project (TypeORM follows the driver the project depends on). */
export function placeholderStyle(ctx: RuleContext, spec: SqlSinkSpec): PlaceholderStyle | 'unsupported' {
  if (spec.placeholder !== 'by-driver') return spec.placeholder;
  const deps = ctx.project.packageJson(ctx.fileName)?.allDependencies ?? {};
  const has = (...names: string[]) => names.some((n) => n in deps);
  if (has('pg', 'pg-native', '@neondatabase/serverless')) return 'dollar';
  if (has('mysql2', 'mysql', 'mariadb', 'sqlite3', 'better-sqlite3', 'sql.js')) return 'question';
  // SQL Server (@0), Oracle (:1): no rewrite offered.
  if (has('mssql', 'oracledb')) return 'unsupported';
  return 'dollar';
}

export function propertyNamed(ts: RuleContext['ts'], obj: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | undefined {
  return obj.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name);
}
