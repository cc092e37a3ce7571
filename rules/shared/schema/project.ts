// Finding a file's data-model sources in its project, through ProjectFacts only:
// the Prisma schema Prisma itself would use (package.json `prisma.schema`,
// `prisma.config.ts`, `prisma/schema.prisma`, `schema.prisma`, a `prisma/schema/`
// folder) and the SQL migrations of the same package (not of nested packages).
import * as path from 'node:path';
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { combinePrismaFiles, readPrismaFile, type PrismaSchema } from './prisma';
import { buildSqlSchema, readCodeMigration, readSqlMigration, type MigrationFile, type SqlSchema } from './sql-schema';

const PRISMA_CONFIGS = ['prisma.config.ts', 'prisma.config.mts', 'prisma.config.cts', 'prisma.config.js', 'prisma.config.mjs', 'prisma.config.cjs', '.config/prisma.ts'];

const SQL_MIGRATION_GLOBS = ['**/migrations/**/*.sql', '**/migrate/**/*.sql', '**/schema.sql', '**/structure.sql', '**/docker-entrypoint-initdb.d/**/*.sql'];
const CODE_MIGRATION_GLOBS = ['**/migrations/**/*.{ts,mts,cts,js,mjs,cjs}'];

/** The folder of the package `fromFile` belongs to (its nearest package.json), else the workspace root. */
export function packageDirOf(ctx: RuleContext, fromFile: string): string {
  const pkg = ctx.project.packageJson(fromFile);
  return pkg ? path.posix.dirname(pkg.path) : ctx.project.root;
}

function ancestors(ctx: RuleContext, fromFile: string): string[] {
  const out: string[] = [];
  let dir = path.posix.dirname(fromFile);
  for (;;) {
    out.push(dir);
    if (dir === ctx.project.root || !dir.startsWith(ctx.project.root)) return out;
    const parent = path.posix.dirname(dir);
    if (parent === dir) return out;
    dir = parent;
  }
}

/** A schema path as configured: a `.prisma` file, or a folder of them. */
function schemaFilesAt(ctx: RuleContext, target: string): string[] {
  if (target.endsWith('.prisma')) return ctx.project.readFile(target) !== undefined ? [target] : [];
  return ctx.project.findFiles(['**/*.prisma'], target);
}

/** `schema: '…'` in a prisma.config file (a string literal only: configuration is read, never run). */
function schemaFromConfig(ctx: RuleContext, configFile: string): string | undefined {
  const text = ctx.project.readFile(configFile);
  if (text === undefined || !text.includes('schema')) return undefined;
  const sf = ctx.ts.createSourceFile(configFile, text, ctx.ts.ScriptTarget.Latest, false);
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ctx.ts.isPropertyAssignment(node) && node.name.getText(sf) === 'schema' && ctx.ts.isStringLiteralLike(node.initializer)) {
      found = node.initializer.text;
      return;
    }
    ctx.ts.forEachChild(node, visit);
  };
  visit(sf);
  return found && path.posix.normalize(path.posix.join(path.posix.dirname(configFile), found));
}

/** The `.prisma` files of the schema that governs `fromFile`, nearest first; [] when there is none. */
export function prismaSchemaFiles(ctx: RuleContext, fromFile: string): string[] {
  const pkg = ctx.project.packageJson(fromFile);
  const configured = (pkg?.raw as { prisma?: { schema?: unknown } } | undefined)?.prisma?.schema;
  if (pkg && typeof configured === 'string') {
    const files = schemaFilesAt(ctx, path.posix.normalize(path.posix.join(path.posix.dirname(pkg.path), configured)));
    if (files.length > 0) return files;
  }
  const config = ctx.project.findUp(fromFile, PRISMA_CONFIGS);
  const fromConfig = config && schemaFromConfig(ctx, config);
  if (fromConfig) {
    const files = schemaFilesAt(ctx, fromConfig);
    if (files.length > 0) return files;
  }
  const single = ctx.project.findUp(fromFile, ['prisma/schema.prisma', 'schema.prisma']);
  const singleDir = single && path.posix.dirname(single.endsWith('prisma/schema.prisma') ? path.posix.dirname(single) : single);
  for (const dir of ancestors(ctx, fromFile)) {
    if (dir === singleDir) return [single!];
    const folder = ctx.project.findFiles(['prisma/schema/**/*.prisma'], dir);
    if (folder.length > 0) return folder;
  }
  return single ? [single] : [];
}

/**
 * Per analysis of one file (a rule context lives that long): locating the schema asks the file
 * system, and a file may hold many queries. A later analysis looks again, so a schema created or
 * moved meanwhile is found.
 */
const perAnalysis = new WeakMap<RuleContext, Map<string, unknown>>();

function memo<T>(ctx: RuleContext, key: string, compute: () => T): T {
  let m = perAnalysis.get(ctx);
  if (!m) perAnalysis.set(ctx, (m = new Map()));
  if (!m.has(key)) m.set(key, compute());
  return m.get(key) as T;
}

const combined = new Map<string, { parts: readonly unknown[]; schema: PrismaSchema }>();

/** The Prisma schema that governs `fromFile`, or undefined when there is none (or it does not parse). */
export function prismaSchemaFor(ctx: RuleContext, fromFile: string): PrismaSchema | undefined {
  return memo(ctx, `prisma\u0000${path.posix.dirname(fromFile)}`, () => loadPrismaSchema(ctx, fromFile));
}

function loadPrismaSchema(ctx: RuleContext, fromFile: string): PrismaSchema | undefined {
  const files = prismaSchemaFiles(ctx, fromFile);
  if (files.length === 0) return undefined;
  const parts: NonNullable<ReturnType<typeof readPrismaFile>>[] = [];
  for (const f of files) {
    const text = ctx.project.readFile(f);
    const parsed = text === undefined ? undefined : readPrismaFile(f, text);
    if (!parsed) return undefined;
    parts.push(parsed);
  }
  const key = files.join('\u0000');
  const hit = combined.get(key);
  if (hit && hit.parts.length === parts.length && hit.parts.every((p, i) => p === parts[i])) return hit.schema;
  const schema = combinePrismaFiles(parts);
  combined.set(key, { parts, schema });
  return schema;
}

/** Migration files of `fromFile`'s package, each list in the order it applies. */
export function migrationFiles(ctx: RuleContext, fromFile: string): { sql: string[]; code: string[] } {
  const dir = packageDirOf(ctx, fromFile);
  const pkgPath = ctx.project.packageJson(fromFile)?.path;
  const own = (f: string) => ctx.project.findUp(f, ['package.json']) === pkgPath;
  const sql = ctx.project.findFiles(SQL_MIGRATION_GLOBS, dir).filter(own).sort(byMigrationOrder);
  const code = ctx.project.findFiles(CODE_MIGRATION_GLOBS, dir).filter((f) => !f.endsWith('.d.ts') && own(f)).sort(byMigrationOrder);
  return { sql, code };
}

const builtSql = new Map<string, { parts: readonly MigrationFile[]; schema: SqlSchema }>();

/** Tables and indexes the package's migrations create, or undefined when it has none. */
export function sqlSchemaFor(ctx: RuleContext, fromFile: string): SqlSchema | undefined {
  return memo(ctx, `sql\u0000${path.posix.dirname(fromFile)}`, () => loadSqlSchema(ctx, fromFile));
}

function loadSqlSchema(ctx: RuleContext, fromFile: string): SqlSchema | undefined {
  const { sql, code } = migrationFiles(ctx, fromFile);
  if (sql.length === 0 && code.length === 0) return undefined;
  const parts: MigrationFile[] = [];
  for (const f of [...sql, ...code].sort(byMigrationOrder)) {
    const text = ctx.project.readFile(f);
    if (text === undefined) continue;
    parts.push(f.endsWith('.sql') ? readSqlMigration(f, text) : readCodeMigration(ctx.ts, f, text));
  }
  const key = packageDirOf(ctx, fromFile);
  const hit = builtSql.get(key);
  if (hit && hit.parts.length === parts.length && hit.parts.every((p, i) => p === parts[i])) return hit.schema;
  const schema = buildSqlSchema(parts);
  builtSql.set(key, { parts, schema });
  return schema;
}

/** Migrations apply by name (numbers, timestamps), whatever folder depth they sit at. */
export function byMigrationOrder(a: string, b: string): number {
  const ka = migrationKey(a);
  const kb = migrationKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function migrationKey(file: string): string {
  // `…/20240101_init/migration.sql` sorts by its folder, `…/003_users.sql` by its name.
  const base = path.posix.basename(file);
  const parent = path.posix.basename(path.posix.dirname(file));
  return /^\d/.test(base) ? base : /^\d/.test(parent) ? `${parent}/${base}` : file;
}
