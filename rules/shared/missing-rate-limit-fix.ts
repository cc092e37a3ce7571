// The fix of missing-rate-limit: an app-wide limiter right after the statement that creates
// the app, so it runs before every route registered later — `app.use(rateLimit({ … }))` of
// express-rate-limit, or `await app.register(rateLimit, { … })` of @fastify/rate-limit inside
// the async function that builds a Fastify instance (the plugin must be loaded before the
// routes are declared, hence the await). The import is added once, in the file's module style.
import type { ts } from 'ts-morph';
import type { FileEdit, RuleContext } from '../api';
import { nameTaken, rateLimitBinding } from './rate-limit-imports';

export const EXPRESS_LIMITER = "{ windowMs: 15 * 60 * 1000, limit: 300, standardHeaders: 'draft-8', legacyHeaders: false }";
export const FASTIFY_LIMITER = "{ max: 300, timeWindow: '15 minutes' }";

interface Creation {
  readonly name: string;
  readonly statement: ts.VariableStatement;
}

export function expressLimiterEdits(ctx: RuleContext, holder: ts.Node): FileEdit[] | undefined {
  const creation = creationStatement(ctx, holder);
  if (!creation) return undefined;
  const imported = importEdit(ctx, 'express-rate-limit', "import rateLimit from 'express-rate-limit';", "const { rateLimit } = require('express-rate-limit');");
  if (!imported) return undefined;
  return withLine(ctx, creation, `${creation.name}.use(${imported.name}(${EXPRESS_LIMITER}));`, imported.edit);
}

export function fastifyLimiterEdits(ctx: RuleContext, holder: ts.Node): FileEdit[] | undefined {
  const { ts } = ctx;
  const creation = creationStatement(ctx, holder);
  const block = creation?.statement.parent;
  if (!creation || !block || !ts.isBlock(block) || !isAsyncFunction(ts, block.parent)) return undefined;
  const imported = importEdit(ctx, '@fastify/rate-limit', "import rateLimit from '@fastify/rate-limit';", "const rateLimit = require('@fastify/rate-limit');");
  if (!imported) return undefined;
  return withLine(ctx, creation, `await ${creation.name}.register(${imported.name}, ${FASTIFY_LIMITER});`, imported.edit);
}

/** `const app = express();` alone in its statement, at the top level or in a block. */
function creationStatement(ctx: RuleContext, holder: ts.Node): Creation | undefined {
  const { ts } = ctx;
  if (holder.getSourceFile() !== ctx.sourceFile || !ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return undefined;
  const list = holder.parent;
  const statement = list.parent;
  if (!ts.isVariableDeclarationList(list) || !ts.isVariableStatement(statement) || list.declarations.length !== 1) return undefined;
  if (!ts.isSourceFile(statement.parent) && !ts.isBlock(statement.parent)) return undefined;
  return { name: holder.name.text, statement };
}

function isAsyncFunction(ts: RuleContext['ts'], node: ts.Node): boolean {
  return (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)) && !!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** The line after the creating statement (after its trailing comment), indented like it. */
function withLine(ctx: RuleContext, creation: Creation, line: string, importEdit: FileEdit | undefined): FileEdit[] {
  const sf = ctx.sourceFile;
  const lineStart = sf.text.lastIndexOf('\n', creation.statement.getStart(sf)) + 1;
  const indent = /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
  const lineEnd = sf.text.indexOf('\n', creation.statement.getEnd());
  const use: FileEdit = lineEnd === -1
    ? { fileName: ctx.fileName, start: sf.text.length, end: sf.text.length, newText: `\n${indent}${line}` }
    : { fileName: ctx.fileName, start: lineEnd + 1, end: lineEnd + 1, newText: `${indent}${line}\n` };
  return importEdit ? [importEdit, use] : [use];
}

/** The local name of the module's default export (reusing an import/require of it), and the edit adding one if needed. */
function importEdit(ctx: RuleContext, module: string, esm: string, cjs: string): { name: string; edit?: FileEdit } | undefined {
  const existing = rateLimitBinding(ctx, module);
  if (existing) return { name: existing };
  if (nameTaken(ctx, 'rateLimit')) return undefined;
  const { ts } = ctx;
  const statements = ctx.sourceFile.statements;
  const imports = statements.filter(ts.isImportDeclaration);
  const requires = statements.filter((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => !!d.initializer && isRequire(ts, d.initializer)));
  const after = (s: ts.Statement, text: string): FileEdit => ({ fileName: ctx.fileName, start: s.getEnd(), end: s.getEnd(), newText: `\n${text}` });
  if (imports.length > 0) return { name: 'rateLimit', edit: after(imports[imports.length - 1], esm) };
  if (requires.length > 0) return { name: 'rateLimit', edit: after(requires[requires.length - 1], cjs) };
  return undefined;
}

function isRequire(ts: RuleContext['ts'], e: ts.Expression): boolean {
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require';
}
