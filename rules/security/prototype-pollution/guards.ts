// Checks that keep a key away from the prototype chain: `key === '__proto__'` leading to an
// exit (or `key !== '__proto__'` holding), for `__proto__` and for `constructor` or `prototype`
// (blocking either breaks the `constructor.prototype` path). Several `if`s may share the work,
// so the names excluded are collected over all the guards of a flow.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { conditionImplies, type Guard } from '../../taint';

const NAMES = ['__proto__', 'constructor', 'prototype'] as const;

/** True when the guards together exclude `__proto__` and one of `constructor`/`prototype`. */
export function excludesDangerousKeys(ctx: RuleContext, guards: readonly Guard[]): boolean {
  if (guards.some((g) => isLiteralAllowList(ctx, g))) return true;
  const excluded = new Set<string>();
  for (const g of guards) for (const name of NAMES) if (excludes(ctx, g, name)) excluded.add(name);
  return excluded.has('__proto__') && (excluded.has('constructor') || excluded.has('prototype'));
}

/**
 * The same variable or member path as `ref`. A guard's `ref` is the first reference in its whole
 * condition, so a later leaf (`key === 'a' || key === 'b'`) is matched by what it names, not by position.
 */
function sameReference(ctx: RuleContext, a: ts.Expression, ref: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, a);
  const y = skipOuter(ts, ref);
  if (ts.isIdentifier(x) && ts.isIdentifier(y)) {
    const sx = ctx.checker.getSymbolAtLocation(x);
    return !!sx && sx === ctx.checker.getSymbolAtLocation(y);
  }
  if (ts.isPropertyAccessExpression(x) && ts.isPropertyAccessExpression(y)) return x.name.text === y.name.text && sameReference(ctx, x.expression, y.expression);
  return false;
}

/**
 * `key === 'a' || key === 'b'` holding, `key !== 'a' && key !== 'b'` leading to an exit: the key is
 * one of the names written. (The engine's own allow-list test matches only the condition's first
 * reference, so in plain JavaScript, without TypeScript's narrowing, it misses the later leaves.)
 */
function isLiteralAllowList(ctx: RuleContext, guard: Guard): boolean {
  const { ts } = ctx;
  if (guard.caseOf) return false;
  return conditionImplies(ctx, guard.condition, guard.holds, (leaf, holds) => {
    if (!ts.isBinaryExpression(leaf)) return false;
    const op = leaf.operatorToken.kind;
    const eq = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
    const ne = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (!((eq && holds) || (ne && !holds))) return false;
    const [l, r] = [skipOuter(ts, leaf.left), skipOuter(ts, leaf.right)];
    const [value, other] = ts.isStringLiteralLike(r) ? [l, r] : [r, l];
    return ts.isStringLiteralLike(other) && !(NAMES as readonly string[]).includes(other.text) && sameReference(ctx, value, guard.ref);
  });
}

function excludes(ctx: RuleContext, guard: Guard, name: string): boolean {
  const { ts } = ctx;
  if (guard.caseOf) return false;
  return conditionImplies(ctx, guard.condition, guard.holds, (leaf, holds) => {
    if (ts.isCallExpression(leaf) && !holds) return listedNames(ctx, leaf, guard.ref).includes(name);
    if (!ts.isBinaryExpression(leaf)) return false;
    const op = leaf.operatorToken.kind;
    const eq = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
    const ne = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    // `key === name` failing, or `key !== name` holding.
    if (!((eq && !holds) || (ne && holds))) return false;
    const [l, r] = [skipOuter(ts, leaf.left), skipOuter(ts, leaf.right)];
    const [value, other] = ts.isStringLiteralLike(r) ? [l, r] : [r, l];
    return ts.isStringLiteralLike(other) && other.text === name && sameReference(ctx, value, guard.ref);
  });
}

/** `UNSAFE.includes(key)` / `UNSAFE.has(key)` with a constant list of names: the names listed. */
function listedNames(ctx: RuleContext, call: ts.CallExpression, ref: ts.Expression): string[] {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'includes' && callee.name.text !== 'has') || !call.arguments[0] || !sameReference(ctx, call.arguments[0], ref)) return [];
  let list = skipOuter(ts, callee.expression);
  if (ts.isIdentifier(list)) {
    const decl = ctx.checker.getSymbolAtLocation(list)?.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return [];
    list = skipOuter(ts, decl.initializer);
  }
  if (ts.isNewExpression(list) && list.arguments?.length === 1) list = skipOuter(ts, list.arguments[0]);
  if (!ts.isArrayLiteralExpression(list)) return [];
  return list.elements.flatMap((el) => (ts.isStringLiteralLike(el) ? [el.text] : []));
}
