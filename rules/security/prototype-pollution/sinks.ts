// Writes that reach `Object.prototype` when a key is `__proto__` (or `constructor` then
// `prototype`). One computed key is not enough: `obj[key] = value` with key `__proto__`
// only replaces obj's own prototype. A tainted key must select the object that is then
// written into:
//   - nested:    `obj[a][b] = v`, `obj[a].flag = v` (the tainted key is in the receiver);
//   - walk:      `cur = cur[part]` in a loop, then `cur[last] = v` (a path setter);
//   - recursive: a merge that calls itself with `target[key]` and writes `target[key] = …`,
//                key iterating over the source's keys (for-in, Object.keys/entries).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { isLibFile, skipOuter } from '../../shared/callee';
import { shortText } from '../../shared/source-text';
import { projectFunctionOf, type Sink } from '../../taint';

export type PollutionForm = 'nested' | 'walk' | 'recursive';

export interface PollutionSinkData {
  readonly form: PollutionForm;
  /** The write or call the key selects the target of. */
  readonly at: ts.Node;
}

export function pollutionSinksAt(ctx: RuleContext, node: ts.Node): Sink[] {
  const { ts } = ctx;
  if (ts.isBinaryExpression(node) && isAssignment(ts, node.operatorToken.kind)) {
    const left = skipOuter(ts, node.left);
    if (ts.isElementAccessExpression(left) || ts.isPropertyAccessExpression(left)) return nestedSinks(ctx, left, node);
    if (ts.isIdentifier(left) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) return walkSinks(ctx, left, node);
    return [];
  }
  if (ts.isCallExpression(node) && node.arguments.length > 0) return recursiveSinks(ctx, node);
  return [];
}

function isAssignment(ts: RuleContext['ts'], kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsToken || kind === ts.SyntaxKind.QuestionQuestionEqualsToken || kind === ts.SyntaxKind.BarBarEqualsToken || kind === ts.SyntaxKind.PlusEqualsToken;
}

function sink(ctx: RuleContext, key: ts.Expression, data: PollutionSinkData): Sink {
  return { expr: key, node: key, label: shortText(ctx, data.at), data };
}

/** A key that is not written in the code: a variable, a call, a member. */
function isComputedKey(ctx: RuleContext, key: ts.Expression): boolean {
  const { ts } = ctx;
  const k = skipOuter(ts, key);
  return !ts.isStringLiteralLike(k) && !ts.isNumericLiteral(k) && !ts.isPrefixUnaryExpression(k);
}

/** `obj[a][b] = v`: each computed key below the written one. */
function nestedSinks(ctx: RuleContext, left: ts.ElementAccessExpression | ts.PropertyAccessExpression, write: ts.BinaryExpression): Sink[] {
  const { ts } = ctx;
  const out: Sink[] = [];
  for (let e = skipOuter(ts, left.expression); ts.isElementAccessExpression(e) || ts.isPropertyAccessExpression(e); e = skipOuter(ts, e.expression)) {
    if (ts.isElementAccessExpression(e) && isComputedKey(ctx, e.argumentExpression) && !isPrototypeFree(ctx, e.expression)) out.push(sink(ctx, e.argumentExpression, { form: 'nested', at: write }));
  }
  return out;
}

/** `cur = cur[part]` where the function later writes through `cur`. */
function walkSinks(ctx: RuleContext, left: ts.Identifier, assign: ts.BinaryExpression): Sink[] {
  const { ts } = ctx;
  const right = skipOuter(ts, assign.right);
  const read = ts.isBinaryExpression(right) && (right.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || right.operatorToken.kind === ts.SyntaxKind.BarBarToken) ? skipOuter(ts, right.left) : right;
  if (!ts.isElementAccessExpression(read) || !isComputedKey(ctx, read.argumentExpression)) return [];
  const symbol = ctx.checker.getSymbolAtLocation(left);
  const base = skipOuter(ts, read.expression);
  if (!symbol || !ts.isIdentifier(base) || ctx.checker.getSymbolAtLocation(base) !== symbol) return [];
  const fn = ts.findAncestor(assign, ts.isFunctionLike) ?? assign.getSourceFile();
  return writesThrough(ctx, fn, symbol) && !isPrototypeFree(ctx, base) ? [sink(ctx, read.argumentExpression, { form: 'walk', at: assign })] : [];
}

/** The scope assigns a member of the variable: `cur[k] = v`, `cur.x = v`. */
function writesThrough(ctx: RuleContext, scope: ts.Node, symbol: ts.Symbol): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && isAssignment(ts, n.operatorToken.kind)) {
      const l = skipOuter(ts, n.left);
      if (ts.isElementAccessExpression(l) || ts.isPropertyAccessExpression(l)) {
        const base = skipOuter(ts, l.expression);
        if (ts.isIdentifier(base) && ctx.checker.getSymbolAtLocation(base) === symbol) found = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}

/** `merge(target[key], source[key])` inside `merge`, which also writes `target[key] = …`. */
function recursiveSinks(ctx: RuleContext, call: ts.CallExpression): Sink[] {
  const { ts } = ctx;
  const accesses = call.arguments.map((a) => skipOuter(ts, a)).filter((a): a is ts.ElementAccessExpression => ts.isElementAccessExpression(a) && ts.isIdentifier(skipOuter(ts, a.argumentExpression)));
  if (accesses.length === 0) return [];
  const fn = ts.findAncestor(call, ts.isFunctionLike);
  if (!fn || projectFunctionOf(ctx, call) !== fn) return [];
  for (const access of accesses) {
    const key = ctx.checker.getSymbolAtLocation(skipOuter(ts, access.argumentExpression));
    const target = skipOuter(ts, access.expression);
    const targetSymbol = ts.isIdentifier(target) ? ctx.checker.getSymbolAtLocation(target) : undefined;
    if (key && targetSymbol && writesKeyOf(ctx, fn, targetSymbol, key) && !isPrototypeFree(ctx, target)) return [sink(ctx, access.argumentExpression, { form: 'recursive', at: call })];
  }
  return [];
}

/** `target[key] = …` in the function (same variables). */
function writesKeyOf(ctx: RuleContext, fn: ts.Node, target: ts.Symbol, key: ts.Symbol): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && isAssignment(ts, n.operatorToken.kind)) {
      const l = skipOuter(ts, n.left);
      if (ts.isElementAccessExpression(l)) {
        const base = skipOuter(ts, l.expression);
        const k = skipOuter(ts, l.argumentExpression);
        if (ts.isIdentifier(base) && ts.isIdentifier(k) && ctx.checker.getSymbolAtLocation(base) === target && ctx.checker.getSymbolAtLocation(k) === key) found = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}

/**
 * Objects without the prototype chain to reach: `Object.create(null)` (its `__proto__` is an
 * ordinary missing key), a `Map` (its entries are not properties), an array (only a number
 * key reaches it; number keys are dropped by the engine as safe types).
 */
function isPrototypeFree(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  const type = ctx.checker.getTypeAtLocation(x);
  if (ctx.checker.isArrayType(type) || ctx.checker.isTupleType(type)) return true;
  const symbol = type.getSymbol();
  if (symbol?.name === 'Map' || symbol?.name === 'WeakMap') return true;
  if (!ts.isIdentifier(x)) return false;
  const decl = ctx.checker.getSymbolAtLocation(x)?.valueDeclaration;
  const init = decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuter(ts, decl.initializer) : undefined;
  if (!init || !ts.isCallExpression(init) || init.arguments[0]?.kind !== ts.SyntaxKind.NullKeyword) return false;
  const callee = skipOuter(ts, init.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'create' || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Object') return false;
  const objectDecl = ctx.checker.getSymbolAtLocation(callee.expression)?.declarations?.[0];
  return !!objectDecl && isLibFile(objectDecl.getSourceFile().fileName);
}
