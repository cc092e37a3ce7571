// Checks that make a value a primitive before it reaches a filter: `typeof x === 'string'`
// (also as an early exit, `if (typeof x !== 'string') return …`), and ObjectId validity
// tests of Mongoose and the driver (`isValidObjectId(x)`, `Types.ObjectId.isValid(x)`).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { conditionImplies, type Guard } from '../../taint';

const PRIMITIVE_TYPEOFS = new Set(['string', 'number', 'boolean', 'bigint']);
const ID_CHECKS = new Set(['isValidObjectId', 'isObjectIdOrHexString', 'isValid']);
const ID_PACKAGES = new Set(['mongoose', 'mongodb', 'bson']);

export function isPrimitiveGuard(ctx: RuleContext, guard: Guard): boolean {
  return conditionImplies(ctx, guard.condition, guard.holds, (leaf, holds) => typeofLeaf(ctx, leaf, holds, guard.ref) || idCheckLeaf(ctx, leaf, holds, guard.ref));
}

function within(outer: ts.Node, inner: ts.Node): boolean {
  return inner.getSourceFile() === outer.getSourceFile() && inner.pos >= outer.pos && inner.end <= outer.end;
}

/** `typeof x === 'string'` holding, or `typeof x !== 'string'` failing. */
function typeofLeaf(ctx: RuleContext, leaf: ts.Expression, holds: boolean, ref: ts.Expression): boolean {
  const { ts } = ctx;
  if (!ts.isBinaryExpression(leaf)) return false;
  const op = leaf.operatorToken.kind;
  const eq = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
  const ne = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  if (!((eq && holds) || (ne && !holds))) return false;
  const [l, r] = [skipOuter(ts, leaf.left), skipOuter(ts, leaf.right)];
  const typeOf = ts.isTypeOfExpression(l) ? l : ts.isTypeOfExpression(r) ? r : undefined;
  const other = typeOf === l ? r : l;
  return !!typeOf && within(typeOf.expression, ref) && ts.isStringLiteralLike(other) && PRIMITIVE_TYPEOFS.has(other.text);
}

/** `mongoose.isValidObjectId(x)` / `Types.ObjectId.isValid(x)` / `ObjectId.isValid(x)` holding. */
function idCheckLeaf(ctx: RuleContext, leaf: ts.Expression, holds: boolean, ref: ts.Expression): boolean {
  const { ts } = ctx;
  if (!holds || !ts.isCallExpression(leaf) || !leaf.arguments[0] || !within(leaf.arguments[0], ref)) return false;
  const callee = skipOuter(ts, leaf.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  if (!ID_CHECKS.has(name)) return false;
  const target = resolveCall(ctx, leaf);
  return !!target?.module && ID_PACKAGES.has(target.module);
}

/**
 * A shorthand field (`{ name }`) guarded by an enclosing `if` or an earlier early exit on the
 * same variable. The engine records guards on references it follows, but reaches a shorthand's
 * variable without one, so the rule looks for them itself.
 */
export function isShorthandGuarded(ctx: RuleContext, prop: ts.ShorthandPropertyAssignment): boolean {
  const { ts } = ctx;
  const symbol = ctx.checker.getShorthandAssignmentValueSymbol(prop);
  if (!symbol) return false;
  const refIn = (scope: ts.Node): ts.Expression | undefined => {
    let found: ts.Expression | undefined;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isIdentifier(n) && ctx.checker.getSymbolAtLocation(n) === symbol) found = n;
      else ts.forEachChild(n, visit);
    };
    visit(scope);
    return found;
  };
  const guards = (condition: ts.Expression, holds: boolean): boolean => {
    const ref = refIn(condition);
    return !!ref && isPrimitiveGuard(ctx, { condition, holds, ref });
  };
  let child: ts.Node = prop;
  for (let parent: ts.Node = prop.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) && child !== parent.expression && guards(parent.expression, child === parent.thenStatement)) return true;
    if (ts.isConditionalExpression(parent) && child !== parent.condition && guards(parent.condition, child === parent.whenTrue)) return true;
    if (ts.isBlock(parent) || ts.isSourceFile(parent)) {
      for (const stmt of parent.statements) {
        if (stmt === child) break;
        if (ts.isIfStatement(stmt) && !stmt.elseStatement && alwaysExits(ts, stmt.thenStatement) && guards(stmt.expression, false)) return true;
      }
    }
    if (ts.isFunctionLike(parent)) break;
  }
  return false;
}

function alwaysExits(ts: RuleContext['ts'], stmt: ts.Statement): boolean {
  if (ts.isReturnStatement(stmt) || ts.isThrowStatement(stmt) || ts.isContinueStatement(stmt) || ts.isBreakStatement(stmt)) return true;
  return ts.isBlock(stmt) && stmt.statements.length > 0 && alwaysExits(ts, stmt.statements[stmt.statements.length - 1]);
}
