// per-request-db-client's fix, for the simple case only: `const pool = new Pool(config)` in a
// function's body whose arguments are module-level constants or environment reads moves to
// module scope, and the function's own `pool.end()` / `prisma.$disconnect()` goes (a shared
// client must stay open). Anything less plain gets no fix.
import type { ts } from 'ts-morph';
import type { FileEdit, Fix, RuleContext } from '../api';
import { skipOuter } from './callee';

/** Global conversions that are as constant as their arguments. */
const PURE_GLOBALS = new Set(['Number', 'String', 'Boolean', 'parseInt', 'parseFloat']);

export function hoistClientFix(ctx: RuleContext, node: ts.NewExpression | ts.CallExpression, fn: ts.FunctionLikeDeclaration, closers: readonly string[]): (() => Fix[]) | undefined {
  const { ts } = ctx;
  const decl = node.parent;
  if (!ts.isVariableDeclaration(decl) || decl.initializer !== node || !ts.isIdentifier(decl.name)) return undefined;
  const list = decl.parent;
  const statement = list.parent;
  if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1 || !(list.flags & ts.NodeFlags.Const)) return undefined;
  if (!ts.isVariableStatement(statement) || statement.parent !== fn.body) return undefined;
  const topLevel = topLevelStatementOf(ctx, fn);
  if (!topLevel || !nameIsUnique(ctx, decl.name)) return undefined;
  const insertAt = lineStart(ctx.sourceFile.text, leadingCommentStart(ctx, topLevel));
  if (!(node.arguments ?? []).every((a) => isModuleConstant(ctx, a, insertAt))) return undefined;
  const closeEdits = closerRemovals(ctx, decl.name, fn, closers);
  if (!closeEdits) return undefined;
  const name = decl.name.text;
  return () => [
    {
      title: `Make \`${name}\` once at module scope`,
      isPreferred: true,
      // Not safe: the client now outlives requests (transactions or session settings made on it are shared).
      edits: [
        { fileName: ctx.fileName, start: insertAt, end: insertAt, newText: `const ${name} = ${node.getText()};\n\n` },
        removeLines(ctx, statement),
        ...closeEdits,
      ],
    },
  ];
}

function topLevelStatementOf(ctx: RuleContext, node: ts.Node): ts.Statement | undefined {
  for (let n: ts.Node = node; n.parent; n = n.parent) if (ctx.ts.isSourceFile(n.parent)) return n as ts.Statement;
  return undefined;
}

/** No other binding of the file has this name: hoisting cannot collide with or shadow one. */
function nameIsUnique(ctx: RuleContext, name: ts.Identifier): boolean {
  const { ts } = ctx;
  const symbol = ctx.checker.getSymbolAtLocation(name);
  let clash = false;
  const visit = (n: ts.Node): void => {
    if (clash) return;
    if (ts.isIdentifier(n) && n.text === name.text && n !== name) {
      const other = ctx.checker.getSymbolAtLocation(n);
      const p = n.parent;
      const isPropertyName = (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n);
      if (!isPropertyName && other !== symbol) clash = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  return !clash;
}

/** Literals, `process.env.X`, module-level constants declared before `before`, and plain combinations of them. */
function isModuleConstant(ctx: RuleContext, expr: ts.Expression, before: number): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isTemplateExpression(e)) return e.templateSpans.every((s) => isModuleConstant(ctx, s.expression, before));
  if (ts.isBinaryExpression(e)) return isModuleConstant(ctx, e.left, before) && isModuleConstant(ctx, e.right, before);
  if (ts.isPrefixUnaryExpression(e)) return isModuleConstant(ctx, e.operand, before);
  if (ts.isConditionalExpression(e)) return [e.condition, e.whenTrue, e.whenFalse].every((x) => isModuleConstant(ctx, x, before));
  if (ts.isArrayLiteralExpression(e)) return e.elements.every((x) => isModuleConstant(ctx, x, before));
  if (ts.isObjectLiteralExpression(e)) {
    return e.properties.every((p) => (ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) ? isModuleConstant(ctx, p.initializer, before) : ts.isShorthandPropertyAssignment(p) && isModuleConstant(ctx, p.name, before)));
  }
  if (ts.isPropertyAccessExpression(e)) return isProcessEnv(ts, e.expression) || isModuleConstant(ctx, e.expression, before);
  if (ts.isElementAccessExpression(e)) return isProcessEnv(ts, e.expression) && isModuleConstant(ctx, e.argumentExpression, before);
  if (ts.isCallExpression(e)) return ts.isIdentifier(e.expression) && PURE_GLOBALS.has(e.expression.text) && isGlobal(ctx, e.expression) && e.arguments.every((a) => isModuleConstant(ctx, a, before));
  if (ts.isIdentifier(e)) return isModuleBinding(ctx, e, before);
  return false;
}

function isProcessEnv(ts: RuleContext['ts'], e: ts.Expression): boolean {
  const x = skipOuter(ts, e);
  return ts.isPropertyAccessExpression(x) && x.name.text === 'env' && ts.isIdentifier(x.expression) && x.expression.text === 'process';
}

function isGlobal(ctx: RuleContext, id: ts.Identifier): boolean {
  const decl = ctx.checker.getSymbolAtLocation(id)?.declarations?.[0];
  return !decl || decl.getSourceFile().isDeclarationFile;
}

/** A `const`, import, function or class of this module's top level, declared before `before`. */
function isModuleBinding(ctx: RuleContext, id: ts.Identifier, before: number): boolean {
  const { ts } = ctx;
  const decl = ctx.checker.getSymbolAtLocation(id)?.declarations?.[0];
  if (!decl || decl.getSourceFile() !== ctx.sourceFile || decl.end > before) return false;
  if (ts.isImportClause(decl) || ts.isImportSpecifier(decl) || ts.isNamespaceImport(decl)) return true;
  if (ts.isVariableDeclaration(decl)) {
    return !!(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) && ts.isVariableStatement(decl.parent.parent) && ts.isSourceFile(decl.parent.parent.parent);
  }
  return false;
}

/** Edits removing every `name.close()` statement of `fn`, or undefined when one cannot be removed cleanly. */
function closerRemovals(ctx: RuleContext, name: ts.Identifier, fn: ts.FunctionLikeDeclaration, closers: readonly string[]): FileEdit[] | undefined {
  const { ts } = ctx;
  const symbol = ctx.checker.getSymbolAtLocation(name);
  const statements: ts.ExpressionStatement[] = [];
  let unclean = false;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && closers.includes(n.expression.name.text)) {
      const receiver = skipOuter(ts, n.expression.expression);
      if (ts.isIdentifier(receiver) && ctx.checker.getSymbolAtLocation(receiver) === symbol) {
        let s: ts.Node = n;
        if (ts.isAwaitExpression(s.parent) || ts.isVoidExpression(s.parent)) s = s.parent;
        if (ts.isExpressionStatement(s.parent) && ts.isBlock(s.parent.parent)) statements.push(s.parent);
        else unclean = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  if (unclean) return undefined;
  const edits: FileEdit[] = [];
  const handledFinally = new Set<ts.Block>();
  for (const s of statements) {
    const block = s.parent as ts.Block;
    const tryStatement = block.parent;
    if (ts.isTryStatement(tryStatement) && tryStatement.finallyBlock === block && block.statements.every((x) => statements.includes(x as ts.ExpressionStatement))) {
      if (handledFinally.has(block)) continue;
      handledFinally.add(block);
      const edit = dropFinally(ctx, tryStatement);
      if (!edit) return undefined;
      edits.push(edit);
    } else edits.push(removeLines(ctx, s));
  }
  return edits;
}

/** `try { A } catch {…} finally { close }` → without the finally; `try { A } finally { close }` → `A`. */
function dropFinally(ctx: RuleContext, t: ts.TryStatement): FileEdit | undefined {
  const text = ctx.sourceFile.text;
  if (t.catchClause) return { fileName: ctx.fileName, start: t.catchClause.end, end: t.finallyBlock!.end, newText: '' };
  const inner = t.tryBlock.statements;
  if (inner.length === 0) return removeLines(ctx, t);
  const indent = indentOf(text, t.getStart());
  const innerIndent = indentOf(text, inner[0].getStart());
  const body = text.slice(lineStart(text, inner[0].getStart()), lineEnd(text, inner[inner.length - 1].end));
  const dedented = body
    .split('\n')
    .map((l) => (l.startsWith(innerIndent) ? indent + l.slice(innerIndent.length) : l))
    .join('\n');
  return { fileName: ctx.fileName, start: lineStart(text, t.getStart()), end: lineEnd(text, t.end), newText: dedented };
}

/** The statement's whole lines, newline included, when nothing else shares them. */
function removeLines(ctx: RuleContext, s: ts.Node): FileEdit {
  const text = ctx.sourceFile.text;
  const start = lineStart(text, s.getStart());
  let end = lineEnd(text, s.end);
  if (text[end] === '\n') end += 1;
  return { fileName: ctx.fileName, start, end, newText: '' };
}

function leadingCommentStart(ctx: RuleContext, s: ts.Node): number {
  const ranges = ctx.ts.getLeadingCommentRanges(ctx.sourceFile.text, s.getFullStart());
  return ranges?.length ? ranges[0].pos : s.getStart();
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function lineEnd(text: string, pos: number): number {
  const i = text.indexOf('\n', pos);
  return i === -1 ? text.length : i;
}

function indentOf(text: string, pos: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, pos)))![0];
}
