// Conditions that hold where a value is used: the `if` it sits in, the early exit
// before it (`if (!ALLOWED.includes(sort)) return …;`), the `case` of a switch on it.
// The propagation records them on the flow; each sink decides which ones make the
// value safe. Allow-list tests make any value safe for every sink.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { isSafeType } from '../shared/string-building';
import type { Guard } from './types';

/** The guards on `use` that mention the same value (same symbol, or the same access path on it). */
export function guardsAt(ctx: RuleContext, use: ts.Expression): Guard[] {
  const { ts } = ctx;
  const key = referenceKey(ctx, use);
  if (!key) return [];
  const out: Guard[] = [];
  const add = (condition: ts.Expression, holds: boolean, scope: ts.Node = condition) => {
    const ref = findReference(ctx, scope, key);
    if (ref) out.push({ condition, holds, ref });
  };
  let child: ts.Node = use;
  for (let parent = use.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) && child !== parent.expression) add(parent.expression, child === parent.thenStatement);
    else if (ts.isConditionalExpression(parent) && child !== parent.condition) add(parent.condition, child === parent.whenTrue);
    else if (ts.isBinaryExpression(parent) && child === parent.right) {
      if (parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) add(parent.left, true);
      if (parent.operatorToken.kind === ts.SyntaxKind.BarBarToken) add(parent.left, false);
    } else if (ts.isCaseClause(parent)) {
      const sw = parent.parent.parent;
      if (referenceKey(ctx, sw.expression) === key) out.push({ condition: parent.expression, holds: true, ref: sw.expression, caseOf: sw });
    }
    if (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) {
      for (const stmt of parent.statements) {
        if (stmt === child) break;
        if (ts.isIfStatement(stmt) && !stmt.elseStatement && alwaysExits(ts, stmt.thenStatement)) add(stmt.expression, false);
      }
    }
    if (ts.isFunctionLike(parent) && parent !== use) break;
  }
  return out;
}

/** `return`, `throw`, `continue`, `break`, or a block that ends in one. */
function alwaysExits(ts: RuleContext['ts'], stmt: ts.Statement): boolean {
  if (ts.isReturnStatement(stmt) || ts.isThrowStatement(stmt) || ts.isContinueStatement(stmt) || ts.isBreakStatement(stmt)) return true;
  if (ts.isBlock(stmt)) return stmt.statements.length > 0 && alwaysExits(ts, stmt.statements[stmt.statements.length - 1]);
  return false;
}

/** `sort` → its symbol; `req.query.sort` → root symbol + `.query.sort`. */
function referenceKey(ctx: RuleContext, expr: ts.Expression): string | undefined {
  const { ts } = ctx;
  const names: string[] = [];
  let e = skipOuter(ts, expr);
  while (ts.isPropertyAccessExpression(e) || (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression))) {
    names.unshift(ts.isPropertyAccessExpression(e) ? e.name.text : (e.argumentExpression as ts.StringLiteral).text);
    e = skipOuter(ts, e.expression);
  }
  if (!ts.isIdentifier(e)) return undefined;
  const symbol = ts.isShorthandPropertyAssignment(e.parent) && e.parent.name === e ? ctx.checker.getShorthandAssignmentValueSymbol(e.parent) : ctx.checker.getSymbolAtLocation(e);
  if (!symbol) return undefined;
  return `${symbolId(symbol)}${names.map((n) => `.${n}`).join('')}`;
}

const ids = new WeakMap<ts.Symbol, number>();
let nextId = 1;
function symbolId(symbol: ts.Symbol): number {
  let id = ids.get(symbol);
  if (!id) ids.set(symbol, (id = nextId++));
  return id;
}

function findReference(ctx: RuleContext, scope: ts.Node, key: string): ts.Expression | undefined {
  const { ts } = ctx;
  let found: ts.Expression | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((ts.isIdentifier(n) || ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && referenceKey(ctx, n) === key) {
      found = n;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}

/**
 * True when the condition, holding (or not) as `holds` says, implies what `atom` says of its
 * leaves. `!`, `&&`, `||` are followed: `if (x !== 'a' && x !== 'b') return;` implies x is 'a' or 'b'.
 */
export function conditionImplies(ctx: RuleContext, condition: ts.Expression, holds: boolean, atom: (leaf: ts.Expression, holds: boolean) => boolean): boolean {
  const { ts } = ctx;
  const c = skipOuter(ts, condition);
  if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) return conditionImplies(ctx, c.operand, !holds, atom);
  if (ts.isBinaryExpression(c)) {
    const op = c.operatorToken.kind;
    const both = (h: boolean) => conditionImplies(ctx, c.left, h, atom) && conditionImplies(ctx, c.right, h, atom);
    const either = (h: boolean) => conditionImplies(ctx, c.left, h, atom) || conditionImplies(ctx, c.right, h, atom);
    // a && b holds: both hold; fails: one of them fails (each must imply).
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return holds ? either(true) : both(false);
    if (op === ts.SyntaxKind.BarBarToken) return holds ? both(true) : either(false);
  }
  return atom(c, holds);
}

/** Allow-list tests: `ALLOWED.includes(x)`, `SET.has(x)`, `x === 'a'`, `Object.hasOwn(MAP, x)`, a type guard to a literal union. */
export function isAllowListGuard(ctx: RuleContext, guard: Guard): boolean {
  if (guard.caseOf) return isConstant(ctx, guard.condition);
  return conditionImplies(ctx, guard.condition, guard.holds, (leaf, holds) => allowListLeaf(ctx, leaf, holds, guard.ref));
}

/** The compared or tested expression is the guarded value itself (not `x.length`, not `x.split('/')[0]`). */
function isRef(ctx: RuleContext, e: ts.Expression | undefined, ref: ts.Expression): boolean {
  if (!e) return false;
  // By symbol and member path, not by node: in `x !== 'a' && x !== 'b'` each leaf has its own `x`.
  const key = referenceKey(ctx, e);
  return key !== undefined && key === referenceKey(ctx, ref);
}

function allowListLeaf(ctx: RuleContext, leaf: ts.Expression, holds: boolean, ref: ts.Expression): boolean {
  const { ts } = ctx;
  if (ts.isBinaryExpression(leaf)) {
    const op = leaf.operatorToken.kind;
    const eq = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
    const ne = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (!(eq && holds) && !(ne && !holds)) return false;
    if (isRef(ctx, leaf.left, ref)) return isConstant(ctx, leaf.right);
    if (isRef(ctx, leaf.right, ref)) return isConstant(ctx, leaf.left);
    return false;
  }
  if (!ts.isCallExpression(leaf)) return false;
  const callee = skipOuter(ts, leaf.expression);
  if (holds && ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    if ((name === 'includes' || name === 'has') && isRef(ctx, leaf.arguments[0], ref)) return isConstantCollection(ctx, callee.expression);
    // Object.hasOwn(MAP, x) / MAP.hasOwnProperty(x) on a constant object: x is one of its keys.
    if (name === 'hasOwn' && isRef(ctx, leaf.arguments[1], ref)) return isConstantObject(ctx, leaf.arguments[0]);
    if (name === 'hasOwnProperty' && isRef(ctx, leaf.arguments[0], ref)) return isConstantObject(ctx, callee.expression);
  }
  if (holds && leaf.arguments.some((a) => isRef(ctx, a, ref))) {
    // `isSortKey(x)` declared `(x: string): x is SortKey` with SortKey a literal union.
    const signature = ctx.checker.getResolvedSignature(leaf);
    const predicate = signature && ctx.checker.getTypePredicateOfSignature(signature);
    if (predicate?.type && isSafeType(ctx, predicate.type)) return true;
  }
  return false;
}

/** A `const` object literal (or a readonly record) the code wrote: its keys are fixed. */
function isConstantObject(ctx: RuleContext, e: ts.Expression | undefined): boolean {
  const { ts } = ctx;
  const x = e && skipOuter(ts, e);
  if (!x) return false;
  if (ts.isObjectLiteralExpression(x)) return true;
  if (!ts.isIdentifier(x) && !ts.isPropertyAccessExpression(x)) return false;
  const decl = ctx.checker.getSymbolAtLocation(ts.isPropertyAccessExpression(x) ? x.name : x)?.valueDeclaration;
  if (!decl || !(ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) || !decl.initializer) return false;
  const init = skipOuter(ts, decl.initializer);
  const fixed = ts.isVariableDeclaration(decl) ? !!(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) : !!ts.getModifiers(decl)?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword);
  return fixed && ts.isObjectLiteralExpression(init);
}

/** A literal, or a const/enum/readonly member whose type is a literal. */
function isConstant(ctx: RuleContext, e: ts.Expression | undefined): boolean {
  const { ts } = ctx;
  if (!e) return false;
  const x = skipOuter(ts, e);
  if (ts.isStringLiteralLike(x) || ts.isNumericLiteral(x)) return true;
  const type = ctx.checker.getTypeAtLocation(x);
  return !!(type.flags & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral | ts.TypeFlags.EnumLiteral | ts.TypeFlags.BooleanLiteral));
}

/** An array/set whose elements are literals by type (`as const`, `new Set(['a', 'b'])` held in a const, a literal-union array). */
function isConstantCollection(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (ts.isArrayLiteralExpression(x)) return x.elements.every((el) => isConstant(ctx, el));
  const type = ctx.checker.getTypeAtLocation(x);
  const args = ctx.checker.getTypeArguments?.(type as ts.TypeReference) ?? [];
  if (args.length === 1 && isLiteralUnion(ctx, args[0])) return true;
  const element = ctx.checker.getIndexTypeOfType(type, ts.IndexKind.Number);
  if (element && isLiteralUnion(ctx, element)) return true;
  // `const ALLOWED = new Set(['a', 'b'])` / `const ALLOWED = ['a', 'b']` (widened to string): look at the initializer.
  if (ts.isIdentifier(x)) {
    const decl = ctx.checker.getSymbolAtLocation(x)?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) {
      const init = skipOuter(ts, decl.initializer);
      if (ts.isArrayLiteralExpression(init)) return init.elements.every((el) => isConstant(ctx, el));
      if (ts.isNewExpression(init) && init.arguments?.length === 1) return isConstantCollection(ctx, init.arguments[0]);
    }
  }
  return false;
}

function isLiteralUnion(ctx: RuleContext, type: ts.Type): boolean {
  const { ts } = ctx;
  const all = type.isUnion() ? type.types : [type];
  return all.every((t) => !!(t.flags & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral | ts.TypeFlags.EnumLiteral)));
}
