// The page size a list query is bounded with, and whether the client chooses it with no
// maximum. Bounds: Prisma/TypeORM `take`, Sequelize `limit` (options objects), `.limit()`
// / `.take()` in a Mongoose, knex or TypeORM query-builder chain, and the value bound to
// `LIMIT $n` / `LIMIT ?` of a raw SQL query. Client control is decided by the taint
// engine's request sources, followed backward through conversions, defaults, arithmetic
// and bindings; `Math.min`, a guard proving a maximum, or a schema/validated DTO clamps it.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import type { ListQuery } from '../inventory/list-queries';
import { guardsAt } from '../taint/guards';
import { flowsOf } from '../taint/propagation';
import { parameterSource } from '../taint/sources';
import { skipOuter } from './callee';
import { sqlSinkOf } from './sql-sinks';
import { variableWrites } from './string-building';
import { factsOfGuards, isConstantNumber, libMemberCall, numericConversionOf } from './unchecked-numeric-input-values';

const MAX_DEPTH = 12;
const BOUND_KEYS = new Set(['take', 'limit']);
const PASS_THROUGH_MATH = new Set(['max', 'floor', 'ceil', 'round', 'trunc', 'abs']);

export interface ClientSize {
  /** How the message names where it came from: `req.query.limit`. */
  readonly label: string;
  /** Where it entered. */
  readonly node: ts.Node;
}

/** `take: x`, `limit: x` in the query's options, or `.limit(x)`/`.take(x)` along its chain. */
export function boundExpressionsOf(ctx: RuleContext, list: ListQuery): ts.Expression[] {
  const { ts } = ctx;
  const out: ts.Expression[] = [];
  for (const arg of list.call.arguments) {
    const o = skipOuter(ts, arg);
    if (!ts.isObjectLiteralExpression(o)) continue;
    for (const p of o.properties) {
      if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && BOUND_KEYS.has(p.name.text)) out.push(p.initializer);
      else if (ts.isShorthandPropertyAssignment(p) && BOUND_KEYS.has(p.name.text)) out.push(p.name);
    }
  }
  for (const call of chainCalls(ctx, list.call)) {
    const callee = skipOuter(ts, call.expression);
    if (ts.isPropertyAccessExpression(callee) && BOUND_KEYS.has(callee.name.text) && call.arguments.length === 1) out.push(call.arguments[0]);
  }
  return out;
}

/** The calls of the chain a call is part of, before and after it. */
function chainCalls(ctx: RuleContext, call: ts.CallExpression): ts.CallExpression[] {
  const { ts } = ctx;
  const out: ts.CallExpression[] = [];
  let e: ts.Expression = call;
  while (ts.isCallExpression(e)) {
    if (e !== call) out.push(e);
    const callee = skipOuter(ts, e.expression);
    if (!ts.isPropertyAccessExpression(callee)) break;
    e = skipOuter(ts, callee.expression);
  }
  let n: ts.Node = call;
  while (ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n && ts.isCallExpression(n.parent.parent)) {
    n = n.parent.parent;
    out.push(n as ts.CallExpression);
  }
  return out;
}

/** The value a raw SQL query binds to its `LIMIT $n` / `LIMIT ?` placeholder. */
export function sqlLimitValueOf(ctx: RuleContext, call: ts.CallExpression): ts.Expression | undefined {
  const { ts } = ctx;
  const sink = sqlSinkOf(ctx, call);
  if (!sink || !sink.spec.executes || sink.spec.values.kind !== 'argument') return undefined;
  const text = skipOuter(ts, sink.text);
  if (!ts.isStringLiteralLike(text)) return undefined;
  const values = call.arguments[sink.spec.values.index];
  const array = values && skipOuter(ts, values);
  if (!array || !ts.isArrayLiteralExpression(array)) return undefined;
  const dollar = /\blimit\s+\$(\d+)/i.exec(text.text);
  if (dollar) return array.elements[Number(dollar[1]) - 1];
  const question = /\blimit\s+\?/i.exec(text.text);
  if (!question) return undefined;
  const before = text.text.slice(0, question.index).split('?').length - 1;
  return array.elements[before];
}

/** The request input that sets `expr` with no maximum on the way, if any. */
export function clientSizeOf(ctx: RuleContext, expr: ts.Expression, depth = 0): ClientSize | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (depth > MAX_DEPTH || isConstantNumber(ctx, e)) return undefined;
  const next = (x: ts.Expression | undefined) => (x ? clientSizeOf(ctx, x, depth + 1) : undefined);
  const conversion = numericConversionOf(ctx, e);
  if (conversion) return next(conversion.arg);
  if (ts.isCallExpression(e)) {
    const math = libMemberCall(ctx, e, 'Math');
    if (math === 'min') return undefined;
    if (math && PASS_THROUGH_MATH.has(math)) return firstOf(e.arguments.map((a) => () => next(a)));
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    const K = ts.SyntaxKind;
    if ([K.BarBarToken, K.QuestionQuestionToken, K.PlusToken, K.AsteriskToken, K.MinusToken].includes(op)) return next(e.left) ?? next(e.right);
    return undefined;
  }
  if (ts.isConditionalExpression(e)) return next(e.whenTrue) ?? next(e.whenFalse);
  if (ts.isIdentifier(e)) {
    if (factsOfGuards(ctx, guardsAt(ctx, e)).upper) return undefined;
    const local = throughDeclaration(ctx, e, depth);
    if (local !== 'unknown') return local;
  }
  return fromRequest(ctx, e);
}

function firstOf(tries: readonly (() => ClientSize | undefined)[]): ClientSize | undefined {
  for (const t of tries) {
    const r = t();
    if (r) return r;
  }
  return undefined;
}

/** A local's writes, or a Nest `@Query('limit')` parameter; 'unknown' when the engine's flows must answer. */
function throughDeclaration(ctx: RuleContext, id: ts.Identifier, depth: number): ClientSize | undefined | 'unknown' {
  const { ts } = ctx;
  const symbol = ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id ? ctx.checker.getShorthandAssignmentValueSymbol(id.parent) : ctx.checker.getSymbolAtLocation(id);
  const decl = symbol?.valueDeclaration;
  if (!decl) return undefined;
  if (ts.isParameter(decl)) {
    const source = parameterSource(ctx, decl);
    if (source) return source.kind === 'request' && !source.validated ? { label: decl.name.getText(), node: source.node } : undefined;
    return 'unknown';
  }
  if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) {
    const writes = variableWrites(ctx, decl);
    if (!writes) return 'unknown';
    // `if (limit > 100) limit = 100;`: a later write of a constant or a `Math.min` caps it.
    if (writes.slice(1).some((w) => isConstantNumber(ctx, w) || (ts.isCallExpression(skipOuter(ts, w)) && libMemberCall(ctx, skipOuter(ts, w) as ts.CallExpression, 'Math') === 'min'))) return undefined;
    return firstOf(writes.map((w) => () => clientSizeOf(ctx, w, depth + 1)));
  }
  return 'unknown';
}

/** Request data read here (`req.query.limit`, `const { limit } = req.query`), unvalidated and not capped by a guard. */
function fromRequest(ctx: RuleContext, e: ts.Expression): ClientSize | undefined {
  for (const flow of flowsOf(ctx, e)) {
    if (flow.origin.kind !== 'source') continue;
    const source = flow.origin.source;
    if (source.kind !== 'request' || source.validated || flow.transforms.some((t) => t.kind === 'schema')) continue;
    if (factsOfGuards(ctx, flow.guards).upper) continue;
    return { label: source.label, node: source.node };
  }
  return undefined;
}
