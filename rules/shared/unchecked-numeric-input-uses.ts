// Where a number parsed from request input does harm if it is NaN or unbounded: arithmetic
// (NaN spreads silently into totals and offsets), allocations and loop bounds (a huge
// value is a denial of service), timers, a list query's skip/offset (and its take/limit
// once capped), and values a Prisma write stores. Followed forward from the conversion
// through `||`/`??` defaults, `Math.min`/`Math.max`, parentheses and `const` bindings,
// collecting what the code proved on the way (guards, defaults, clamps).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { listQueryOf } from '../inventory/list-queries';
import { guardsAt } from '../taint/guards';
import { skipOuter } from './callee';
import { prismaModelCall } from './schema/prisma-client';
import { factsOfGuards, isConstantNumber, isLibGlobal, libMemberCall, mergeFacts, type NumericFacts } from './unchecked-numeric-input-values';

export interface HarmfulUse {
  /** The expression where the number lands (`(page - 1) * limit`, `Buffer.alloc(size)`). */
  readonly node: ts.Node;
  /** How the message names the use: "arithmetic", "an allocation"… */
  readonly what: string;
  /** What is missing there. */
  readonly missing: 'finite' | 'upper' | 'both';
}

const MAX_BINDINGS = 3;
const ALLOCATORS = new Set(['alloc', 'allocUnsafe', 'allocUnsafeSlow']);
const TYPED_ARRAYS = new Set(['Array', 'ArrayBuffer', 'SharedArrayBuffer', 'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array', 'Uint8ClampedArray', 'BigInt64Array', 'BigUint64Array']);
const TIMERS = new Set(['setTimeout', 'setInterval']);
const OFFSET_KEYS = new Set(['skip', 'offset']);
const LIMIT_KEYS = new Set(['take', 'limit']);
const PRISMA_WRITES: ReadonlySet<string> = new Set(['create', 'update', 'upsert', 'createMany', 'updateMany', 'createManyAndReturn']);
const ROUNDING = new Set(['floor', 'ceil', 'round', 'trunc', 'abs']);

/** The first place the value of `expr` is used unchecked, given what is already known about it. */
export function harmfulUseOf(ctx: RuleContext, expr: ts.Expression, known: NumericFacts, depth = 0): HarmfulUse | undefined {
  const { ts } = ctx;
  let n: ts.Expression = expr;
  let facts = known;
  for (;;) {
    const p = n.parent;
    if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isSatisfiesExpression(p)) n = p;
    else if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.BarBarToken) {
      // NaN is falsy: `x || 20` replaces it (the default is the code's own number).
      if (p.left === n) facts = mergeFacts(facts, { finite: true });
      n = p;
    } else if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) n = p;
    else if (ts.isConditionalExpression(p) && p.condition !== n) n = p;
    else if (ts.isCallExpression(p) && p.arguments.includes(n) && libMemberCall(ctx, p, 'Math')) {
      const fn = libMemberCall(ctx, p, 'Math') as string;
      if (fn === 'min' && p.arguments.some((a) => a !== n && isConstantNumber(ctx, a))) facts = mergeFacts(facts, { upper: true });
      else if (fn !== 'max' && fn !== 'min' && !ROUNDING.has(fn)) return undefined;
      n = p;
    } else break;
  }
  const p = n.parent;
  if (ts.isVariableDeclaration(p) && p.initializer === n) return throughBinding(ctx, p, facts, depth);
  const use = sinkOf(ctx, n, facts);
  return use && missingOf(use.needs, facts) ? { node: use.node, what: use.what, missing: missingOf(use.needs, facts)! } : undefined;
}

interface Sink {
  readonly node: ts.Node;
  readonly what: string;
  readonly needs: NumericFacts;
}

function missingOf(needs: NumericFacts, facts: NumericFacts): HarmfulUse['missing'] | undefined {
  const finite = needs.finite && !facts.finite;
  const upper = needs.upper && !facts.upper;
  return finite && upper ? 'both' : finite ? 'finite' : upper ? 'upper' : undefined;
}

/** `const page = Number(…)`: each later read of `page`, with the guards that hold there. */
function throughBinding(ctx: RuleContext, decl: ts.VariableDeclaration, facts: NumericFacts, depth: number): HarmfulUse | undefined {
  const { ts } = ctx;
  if (depth >= MAX_BINDINGS || !ts.isIdentifier(decl.name)) return undefined;
  // A `let` the code reassigns (`if (isNaN(page)) page = 1;`) is beyond this forward walk: stay silent.
  const isConst = !!(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const);
  const symbol = ctx.checker.getSymbolAtLocation(decl.name);
  if (!symbol) return undefined;
  const scope = decl.parent.parent.parent;
  const reads: ts.Identifier[] = [];
  let reassigned = false;
  const visit = (x: ts.Node): void => {
    if (ts.isIdentifier(x) && x !== decl.name && readSymbol(ctx, x) === symbol) {
      if (ts.isBinaryExpression(x.parent) && x.parent.left === x && x.parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && x.parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) reassigned = true;
      else if (ts.isPrefixUnaryExpression(x.parent) || ts.isPostfixUnaryExpression(x.parent)) reassigned = reassigned || isIncrement(ts, x.parent);
      reads.push(x);
    }
    ts.forEachChild(x, visit);
  };
  visit(scope);
  if (!isConst && reassigned) return undefined;
  for (const read of reads) {
    if (ctx.isCancellationRequested()) return undefined;
    const use = harmfulUseOf(ctx, read, mergeFacts(facts, factsOfGuards(ctx, guardsAt(ctx, read))), depth + 1);
    if (use) return use;
  }
  return undefined;
}

/** `{ quantity }`: the shorthand's name reads the variable, not the property. */
function readSymbol(ctx: RuleContext, id: ts.Identifier): ts.Symbol | undefined {
  const { ts } = ctx;
  return ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id ? ctx.checker.getShorthandAssignmentValueSymbol(id.parent) : ctx.checker.getSymbolAtLocation(id);
}

function isIncrement(ts: RuleContext['ts'], u: ts.PrefixUnaryExpression | ts.PostfixUnaryExpression): boolean {
  return u.operator === ts.SyntaxKind.PlusPlusToken || u.operator === ts.SyntaxKind.MinusMinusToken;
}

const ARITHMETIC = new Set<string>(['-', '*', '/', '%', '**', '-=', '*=', '/=', '%=', '+=', '+']);

function sinkOf(ctx: RuleContext, n: ts.Expression, facts: NumericFacts): Sink | undefined {
  const { ts } = ctx;
  const p = n.parent;
  const finite = { finite: true, upper: false };
  if (ts.isBinaryExpression(p)) {
    const op = p.operatorToken.getText();
    if (ARITHMETIC.has(op)) {
      if ((op === '+' || op === '+=') && !bothNumeric(ctx, p)) return undefined;
      return { node: p, what: 'arithmetic', needs: finite };
    }
    // `for (let i = 0; i < n; i++)`: a client-chosen bound runs the loop as long as it likes.
    if (isLoopCondition(ts, p) && ['<', '<=', '>', '>='].includes(op)) return { node: p, what: 'a loop bound', needs: { finite: false, upper: true } };
    return undefined;
  }
  if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(n)) return callSink(ctx, p, n, facts);
  if ((ts.isPropertyAssignment(p) && p.initializer === n) || (ts.isShorthandPropertyAssignment(p) && p.name === n)) return propertySink(ctx, p, facts);
  return undefined;
}

function bothNumeric(ctx: RuleContext, b: ts.BinaryExpression): boolean {
  const { ts } = ctx;
  const numeric = (e: ts.Expression) => !!(ctx.checker.getTypeAtLocation(e).flags & ts.TypeFlags.NumberLike);
  return numeric(b.left) && numeric(b.right);
}

function isLoopCondition(ts: RuleContext['ts'], e: ts.Node): boolean {
  let n = e;
  while (ts.isBinaryExpression(n.parent) && (n.parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || n.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)) n = n.parent;
  const p = n.parent;
  return (ts.isForStatement(p) && p.condition === n) || (ts.isWhileStatement(p) && p.expression === n) || (ts.isDoStatement(p) && p.expression === n);
}

function callSink(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression, arg: ts.Expression, facts: NumericFacts): Sink | undefined {
  const { ts } = ctx;
  const both = { finite: true, upper: true };
  const callee = skipOuter(ts, call.expression);
  const index = call.arguments?.indexOf(arg) ?? -1;
  if (ts.isIdentifier(callee) && isLibGlobal(ctx, callee)) {
    if (TYPED_ARRAYS.has(callee.text) && index === 0 && call.arguments?.length === 1) return { node: call, what: 'an allocation', needs: both };
    if (TIMERS.has(callee.text) && index === 1) return { node: call, what: 'a timer', needs: both };
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (ts.isCallExpression(call)) {
    const buffer = libMemberCall(ctx, call, 'Buffer');
    if (buffer && ALLOCATORS.has(buffer) && index === 0) return { node: call, what: 'an allocation', needs: both };
    if (method === 'repeat' && index === 0 && isLibGlobal(ctx, callee.name)) return { node: call, what: 'an allocation', needs: both };
    if ((OFFSET_KEYS.has(method) || LIMIT_KEYS.has(method)) && index === 0 && inListQueryChain(ctx, call)) return paginationSink(call, method, facts);
  }
  return undefined;
}

function propertySink(ctx: RuleContext, prop: ts.PropertyAssignment | ts.ShorthandPropertyAssignment, facts: NumericFacts): Sink | undefined {
  const { ts } = ctx;
  const key = ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name) ? prop.name.text : undefined;
  const obj = prop.parent;
  if (!key || !ts.isObjectLiteralExpression(obj)) return undefined;
  const outer = skipOuter(ts, obj);
  const call = outer.parent;
  if (ts.isCallExpression(call) && call.arguments.includes(outer) && (OFFSET_KEYS.has(key) || LIMIT_KEYS.has(key)) && listQueryOf(ctx, call)) return paginationSink(call, key, facts);
  // `prisma.order.create({ data: { quantity } })`: NaN or a fraction stored where a count belongs.
  const data = obj.parent;
  if (ts.isPropertyAssignment(data) && data.name.getText() === 'data' && ts.isObjectLiteralExpression(data.parent)) {
    const write = data.parent.parent;
    if (ts.isCallExpression(write) && write.arguments[0] === data.parent && prismaModelCall(ctx, write, PRISMA_WRITES)) return { node: prop, what: 'a stored value', needs: { finite: true, upper: false } };
  }
  return undefined;
}

/** take/limit without a maximum is unclamped-page-size's finding; once capped, NaN is this rule's. */
function paginationSink(node: ts.Node, key: string, facts: NumericFacts): Sink | undefined {
  if (LIMIT_KEYS.has(key) && !facts.upper) return undefined;
  return { node, what: `the query's \`${key}\``, needs: { finite: true, upper: false } };
}

/** `.skip(n)` / `.limit(n)` on a chain that is (or ends in) a list query. */
function inListQueryChain(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  let e: ts.Expression = call;
  while (ts.isCallExpression(e)) {
    if (listQueryOf(ctx, e)) return true;
    const callee = skipOuter(ts, e.expression);
    if (!ts.isPropertyAccessExpression(callee)) break;
    e = skipOuter(ts, callee.expression);
  }
  let n: ts.Node = call;
  while (ts.isPropertyAccessExpression(n.parent) && ts.isCallExpression(n.parent.parent)) {
    n = n.parent.parent;
    if (listQueryOf(ctx, n as ts.CallExpression)) return true;
  }
  return false;
}
