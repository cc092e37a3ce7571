// Whether a value is the client's object as a whole — every key the client sent — rather
// than fields the code chose. The taint engine says where data came from but records no
// step for a property read, so this walk follows only what keeps an object whole:
// variables, `...rest` destructuring, spreads into a literal, shallow and deep copies.
// It stops at a property read, a schema parse, a pick, or any other call.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { isLibFile, resolveCall, skipOuter } from '../../shared/callee';
import { variableWrites } from '../../shared/string-building';
import { flowsOf, type TaintSource } from '../../taint';

const MAX_DEPTH = 12;
/** Request parts whose keys the client chooses (route params are the route's own names). */
const OBJECT_PARTS = new Set(['body', 'query', 'message']);
const LODASH_COPIES = new Set(['clone', 'cloneDeep']);

/**
 * The expressions at which the whole-object walk from `expr` ends: a read of a request part
 * itself (`req.body`, `await request.json()`), or a parameter (a Nest `@Body()` parameter, or a
 * helper's parameter the engine follows back to its callers).
 */
export function wholeObjectLeaves(ctx: RuleContext, expr: ts.Expression): ts.Expression[] {
  const out: ts.Expression[] = [];
  const seen = new Set<ts.Node>();
  const walk = (x: ts.Expression, depth: number): void => {
    const { ts } = ctx;
    const e = skipOuter(ts, x);
    if (depth > MAX_DEPTH || seen.has(e)) return;
    seen.add(e);
    if (ts.isAwaitExpression(e)) return walk(e.expression, depth + 1);
    if (ts.isConditionalExpression(e)) return [e.whenTrue, e.whenFalse].forEach((b) => walk(b, depth + 1));
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) [e.left, e.right].forEach((b) => walk(b, depth + 1));
      return;
    }
    if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) if (ts.isSpreadAssignment(p)) walk(p.expression, depth + 1);
      return;
    }
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      if (isWholePartRead(ctx, e)) out.push(e);
      return;
    }
    if (ts.isCallExpression(e)) {
      const copied = copiedArguments(ctx, e);
      if (copied) copied.forEach((a) => walk(a, depth + 1));
      else if (isWholePartRead(ctx, e)) out.push(e);
      return;
    }
    if (ts.isIdentifier(e)) identifierLeaves(ctx, e, (next) => walk(next, depth + 1), () => out.push(e));
  };
  walk(expr, 0);
  return out;
}

function identifierLeaves(ctx: RuleContext, id: ts.Identifier, follow: (e: ts.Expression) => void, leaf: () => void): void {
  const { ts } = ctx;
  const symbol = ctx.checker.getShorthandAssignmentValueSymbol(id.parent) ?? ctx.checker.getSymbolAtLocation(id);
  const decl = symbol?.valueDeclaration;
  if (!decl || decl.getSourceFile().isDeclarationFile) return;
  if (ts.isParameter(decl) && ts.isIdentifier(decl.name)) return leaf();
  if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) {
    const loop = decl.parent.parent;
    // An element of a list the client sent went through a read of that list.
    if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return;
    for (const w of variableWrites(ctx, decl) ?? (decl.initializer ? [decl.initializer] : [])) follow(w);
    return;
  }
  // `const { id, ...fields } = req.body`: `fields` keeps every key but the ones named.
  if (ts.isBindingElement(decl) && decl.dotDotDotToken && ts.isObjectBindingPattern(decl.parent)) {
    const owner = decl.parent.parent;
    if (ts.isVariableDeclaration(owner) && owner.initializer) follow(owner.initializer);
    else if (ts.isParameter(owner)) leaf();
  }
}

/** Calls whose result has every key of (some of) their arguments: copies and merges into a fresh object. */
function copiedArguments(ctx: RuleContext, call: ts.CallExpression): readonly ts.Expression[] | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const [first] = call.arguments;
  if (!first) return undefined;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && isGlobal(ctx, callee.expression)) {
    if (callee.expression.text === 'Object' && callee.name.text === 'assign') return call.arguments;
    if (callee.expression.text === 'JSON' && callee.name.text === 'parse') {
      // `JSON.parse(JSON.stringify(body))`: a deep copy. `JSON.parse(event.body)`: the object the client sent.
      const inner = skipOuter(ts, first);
      const stringified = ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && inner.expression.name.text === 'stringify' && ts.isIdentifier(inner.expression.expression) && inner.expression.expression.text === 'JSON';
      return stringified ? inner.arguments.slice(0, 1) : [first];
    }
  }
  if (ts.isIdentifier(callee) && callee.text === 'structuredClone' && isGlobal(ctx, callee)) return [first];
  const target = resolveCall(ctx, call);
  if ((target?.module === 'lodash' || target?.module === 'lodash-es') && LODASH_COPIES.has(target.name)) return [first];
  return undefined;
}

function isGlobal(ctx: RuleContext, id: ts.Identifier): boolean {
  const decl = ctx.checker.getSymbolAtLocation(id)?.declarations?.[0];
  return !!decl && isLibFile(decl.getSourceFile().fileName);
}

/** `req.body` / `ctx.request.body` / `await request.json()` itself, not a member of it. */
function isWholePartRead(ctx: RuleContext, e: ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression): boolean {
  const { ts } = ctx;
  const direct = sourceAt(ctx, e);
  if (!direct || !isWholeSource(ctx, direct, e)) return false;
  if (ts.isCallExpression(e)) return true;
  // `req.body.profile` is a source too, but so is what it is read from.
  return !sourceAt(ctx, e.expression);
}

function sourceAt(ctx: RuleContext, e: ts.Expression): TaintSource | undefined {
  const node = skipOuter(ctx.ts, e);
  for (const f of flowsOf(ctx, node)) if (f.origin.kind === 'source' && f.origin.source.node === node) return f.origin.source;
  return undefined;
}

/**
 * The source is a whole object the client shaped, reached at `leaf` without a property read:
 * the part read right at the leaf, or the parameter the leaf names (`@Body() dto`, not
 * `@Body('profile') profile`).
 */
export function isWholeSource(ctx: RuleContext, source: TaintSource, leaf: ts.Expression): boolean {
  const { ts } = ctx;
  if (!source.part || !OBJECT_PARTS.has(source.part)) return false;
  const node = skipOuter(ts, leaf);
  if (source.node === node) return true;
  if (!ts.isIdentifier(node)) return false;
  const decl = ctx.checker.getSymbolAtLocation(node)?.valueDeclaration;
  if (!decl || source.node !== decl || !ts.isParameter(decl)) return false;
  return (ts.getDecorators(decl) ?? []).every((d) => !ts.isCallExpression(d.expression) || d.expression.arguments.length === 0);
}
