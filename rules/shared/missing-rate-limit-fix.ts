// The fix of missing-rate-limit: an app-wide limiter right after the statement that creates
// the app, so it runs before every route registered later — `app.use(rateLimit({ … }))` of
// express-rate-limit, or `await app.register(rateLimit, { … })` of @fastify/rate-limit inside
// the async function that builds a Fastify instance (the plugin must be loaded before the
// routes are declared, hence the await). The import is added once, in the file's module style.
import type { ts } from 'ts-morph';
import type { FileEdit, RuleContext } from '../api';
import { originOf } from './callee';

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
  const existing = existingBinding(ctx, module);
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

/** A top-level `import x from 'm'`, `import { rateLimit as x } from 'm'`, `const x = require('m')` or `const { rateLimit: x } = require('m')`. */
function existingBinding(ctx: RuleContext, module: string): string | undefined {
  const { ts } = ctx;
  for (const s of ctx.sourceFile.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === module && s.importClause && !s.importClause.isTypeOnly) {
      if (s.importClause.name) return s.importClause.name.text;
      const bindings = s.importClause.namedBindings;
      const named = bindings && ts.isNamedImports(bindings) ? bindings.elements.find((e) => !e.isTypeOnly && ['rateLimit', 'default', 'fastifyRateLimit'].includes((e.propertyName ?? e.name).text)) : undefined;
      if (named) return named.name.text;
    }
    if (!ts.isVariableStatement(s)) continue;
    for (const d of s.declarationList.declarations) {
      if (d.initializer && ts.isObjectBindingPattern(d.name) && originOf(ctx, d.initializer)?.module === module) {
        const named = d.name.elements.find((e) => (e.propertyName ?? e.name).getText() === 'rateLimit' && ts.isIdentifier(e.name));
        if (named) return (named.name as ts.Identifier).text;
      }
      if (!d.initializer || !ts.isIdentifier(d.name)) continue;
      const origin = originOf(ctx, d.initializer);
      if (origin?.module === module && !origin.instance && origin.members.length === 0 && origin.exportPath.every((p) => p === 'default' || p === 'rateLimit')) return d.name.text;
    }
  }
  return undefined;
}

function nameTaken(ctx: RuleContext, name: string): boolean {
  const { ts } = ctx;
  return ctx.checker.getSymbolsInScope(ctx.sourceFile, ts.SymbolFlags.Value | ts.SymbolFlags.Alias).some((s) => s.name === name && s.declarations?.some((d) => d.getSourceFile() === ctx.sourceFile));
}

function isRequire(ts: RuleContext['ts'], e: ts.Expression): boolean {
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require';
}
