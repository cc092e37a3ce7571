// Numbers parsed from request input, and what the code proved about them. Shared by
// unchecked-numeric-input (NaN reaching arithmetic, allocations, queries) and
// unclamped-page-size (a client-chosen page size with no maximum). A conversion is
// `Number(x)`, `parseInt(x)`, `parseFloat(x)` (also `Number.parseInt`) or unary `+x`, by
// what the callee resolves to (the standard library), never by its text alone.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { conditionImplies } from '../taint/guards';
import { flowsOf } from '../taint/propagation';
import type { Flow, Guard, TaintSource } from '../taint/types';
import { isLibFile, skipOuter } from './callee';

const GLOBAL_CONVERSIONS = new Set(['Number', 'parseInt', 'parseFloat']);
const NUMBER_STATICS = new Set(['parseInt', 'parseFloat']);

export interface NumericConversion {
  /** The whole conversion (`Number(req.query.page)`, `+page`). */
  readonly node: ts.Expression;
  /** What is converted. */
  readonly arg: ts.Expression;
}

/** What the code established about a number where it is used. */
export interface NumericFacts {
  /** NaN (and ±Infinity for `isFinite`) excluded. */
  readonly finite: boolean;
  /** Bounded from above (a maximum). */
  readonly upper: boolean;
}

export const NO_FACTS: NumericFacts = { finite: false, upper: false };

export function mergeFacts(a: NumericFacts, b: Partial<NumericFacts>): NumericFacts {
  return { finite: a.finite || !!b.finite, upper: a.upper || !!b.upper };
}

/** True when the identifier is declared only in the standard library (a global, not a local shadow). */
export function isLibGlobal(ctx: RuleContext, id: ts.Node): boolean {
  const decls = ctx.checker.getSymbolAtLocation(id)?.declarations ?? [];
  return decls.length > 0 && decls.every((d) => isLibFile(d.getSourceFile().fileName) || d.getSourceFile().fileName.includes('/@types/node/'));
}

/** `Math.min(...)` etc.: a call of a lib global object's member. */
export function libMemberCall(ctx: RuleContext, call: ts.CallExpression, object: string): string | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== object) return undefined;
  return isLibGlobal(ctx, callee.expression) ? callee.name.text : undefined;
}

export function numericConversionOf(ctx: RuleContext, node: ts.Node): NumericConversion | undefined {
  const { ts } = ctx;
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.PlusToken) {
    return ts.isNumericLiteral(skipOuter(ts, node.operand)) ? undefined : { node, arg: node.operand };
  }
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return undefined;
  const callee = skipOuter(ts, node.expression);
  const arg = node.arguments[0];
  if (ts.isIdentifier(callee) && GLOBAL_CONVERSIONS.has(callee.text) && isLibGlobal(ctx, callee)) return { node, arg };
  const member = libMemberCall(ctx, node, 'Number');
  return member && NUMBER_STATICS.has(member) ? { node, arg } : undefined;
}

/**
 * The request input a value carries, unvalidated: a flow from request data (Express,
 * Fastify, Koa, Next, Nest) that no schema parsed, no validated DTO constrained and no
 * format test (`/^\d+$/.test(x)`, `validator.isInt(x)`) guards.
 */
export function uncheckedRequestInput(ctx: RuleContext, expr: ts.Expression): TaintSource | undefined {
  for (const flow of flowsOf(ctx, expr)) {
    if (flow.origin.kind !== 'source') continue;
    const source = flow.origin.source;
    if (source.kind === 'browser' || source.validated) continue;
    if (flow.transforms.some((t) => t.kind === 'schema')) continue;
    if (hasFormatTest(ctx, flow)) continue;
    return source;
  }
  return undefined;
}

/** A guard that calls a test on the value (`/^\d+$/.test(x)`, `isInt(x)`, `typeof x`): its format was checked. */
function hasFormatTest(ctx: RuleContext, flow: Flow): boolean {
  const { ts } = ctx;
  return flow.guards.some((g) => {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && n.arguments.some((a) => sameReference(ctx, a, g.ref))) found = true;
      else ts.forEachChild(n, visit);
    };
    visit(g.condition);
    return found;
  });
}

/** Same variable or the same member path on it (`page`, `req.query.page`). */
export function sameReference(ctx: RuleContext, a: ts.Expression, b: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, a);
  const y = skipOuter(ts, b);
  if (ts.isIdentifier(x) && ts.isIdentifier(y)) {
    const sx = symbolOf(ctx, x);
    return !!sx && sx === symbolOf(ctx, y);
  }
  if (ts.isPropertyAccessExpression(x) && ts.isPropertyAccessExpression(y)) return x.name.text === y.name.text && sameReference(ctx, x.expression, y.expression);
  return false;
}

function symbolOf(ctx: RuleContext, id: ts.Identifier): ts.Symbol | undefined {
  const { ts } = ctx;
  return ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id ? ctx.checker.getShorthandAssignmentValueSymbol(id.parent) : ctx.checker.getSymbolAtLocation(id);
}

const COMPARISONS = new Set<number>();
function isComparison(ts: RuleContext['ts'], kind: ts.SyntaxKind): boolean {
  if (COMPARISONS.size === 0) {
    for (const k of [ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken]) COMPARISONS.add(k);
  }
  return COMPARISONS.has(kind);
}

/** What the guards holding at a use prove about the number they test. */
export function factsOfGuards(ctx: RuleContext, guards: readonly Guard[]): NumericFacts {
  let facts = NO_FACTS;
  for (const g of guards) {
    if (g.caseOf) continue;
    if (conditionImplies(ctx, g.condition, g.holds, (leaf, holds) => provesFinite(ctx, leaf, holds, g.ref))) facts = mergeFacts(facts, { finite: true });
    if (conditionImplies(ctx, g.condition, g.holds, (leaf, holds) => provesUpper(ctx, leaf, holds, g.ref))) facts = mergeFacts(facts, { upper: true });
  }
  return facts;
}

const FINITE_TESTS = new Set(['isFinite', 'isInteger', 'isSafeInteger']);

function provesFinite(ctx: RuleContext, leaf: ts.Expression, holds: boolean, ref: ts.Expression): boolean {
  const { ts } = ctx;
  if (ts.isCallExpression(leaf) && leaf.arguments.length > 0 && sameReference(ctx, leaf.arguments[0], ref)) {
    const callee = skipOuter(ts, leaf.expression);
    const name = ts.isIdentifier(callee) && isLibGlobal(ctx, callee) ? callee.text : libMemberCall(ctx, leaf, 'Number');
    if (!name) return false;
    return name === 'isNaN' ? !holds : holds && FINITE_TESTS.has(name);
  }
  // Any comparison with NaN is false: one that holds proves the value is a number.
  if (ts.isBinaryExpression(leaf) && holds && isComparison(ts, leaf.operatorToken.kind)) return sameReference(ctx, leaf.left, ref) || sameReference(ctx, leaf.right, ref);
  return false;
}

function provesUpper(ctx: RuleContext, leaf: ts.Expression, holds: boolean, ref: ts.Expression): boolean {
  const { ts } = ctx;
  if (!ts.isBinaryExpression(leaf)) return false;
  const K = ts.SyntaxKind;
  const op = leaf.operatorToken.kind;
  const left = sameReference(ctx, leaf.left, ref);
  const right = sameReference(ctx, leaf.right, ref);
  if (!left && !right) return false;
  if (op === K.EqualsEqualsEqualsToken || op === K.EqualsEqualsToken) return holds;
  // Normalise to `ref <op> other`.
  const below = left ? op === K.LessThanToken || op === K.LessThanEqualsToken : op === K.GreaterThanToken || op === K.GreaterThanEqualsToken;
  const above = left ? op === K.GreaterThanToken || op === K.GreaterThanEqualsToken : op === K.LessThanToken || op === K.LessThanEqualsToken;
  return (below && holds) || (above && !holds);
}

/** A number the code wrote: a literal, or a const/enum/readonly of a numeric literal type. */
export function isConstantNumber(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (ts.isNumericLiteral(x)) return true;
  if (ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.MinusToken) return ts.isNumericLiteral(skipOuter(ts, x.operand));
  return !!(ctx.checker.getTypeAtLocation(x).flags & ts.TypeFlags.NumberLiteral);
}
