// Where a computed amount ends up: returned, put in an object (a row to store, a body to
// send), assigned to a property, or passed to a project/library call (a payment API,
// `res.json`). Display (templates, `toFixed`, `Intl` formatting, logging) and rounding to
// integer cents (`Math.round(x * 100)`) are not destinations: the float is harmless there.
// Followed forward through `const`/`let` bindings and `reduce`/`map` callbacks.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { isLibFile, skipOuter } from './callee';
import { shortText } from './source-text';
import { isArithmetic } from './float-money-values';

const MAX_DEPTH = 4;
const COLLECTING_CALLBACKS = new Set(['reduce', 'reduceRight', 'map', 'flatMap']);

export interface Destination {
  /** "is returned", "is stored in `order.total`"… */
  readonly what: string;
  readonly node: ts.Node;
}

export function destinationOf(ctx: RuleContext, e: ts.Expression, depth = 0, seen = new Set<ts.Node>()): Destination | undefined {
  const { ts } = ctx;
  if (depth > MAX_DEPTH || seen.has(e)) return undefined;
  seen.add(e);
  // `total += x` itself: its value lives on in the variable or property it updates.
  if (ts.isBinaryExpression(e) && e.operatorToken.kind !== ts.SyntaxKind.EqualsToken && e.operatorToken.kind >= ts.SyntaxKind.FirstCompoundAssignment && e.operatorToken.kind <= ts.SyntaxKind.LastCompoundAssignment) {
    return assignedTo(ctx, e.left, depth, seen);
  }
  let n: ts.Expression = e;
  for (;;) {
    const p = n.parent;
    if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isSatisfiesExpression(p)) n = p;
    else if (ts.isConditionalExpression(p) && p.condition !== n) n = p;
    else if (ts.isBinaryExpression(p) && (p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || p.operatorToken.kind === ts.SyntaxKind.BarBarToken)) n = p;
    else break;
  }
  const p = n.parent;
  if (ts.isReturnStatement(p)) return returnedFrom(ctx, p, depth, seen);
  if (ts.isArrowFunction(p) && p.body === n) return returnedFrom(ctx, p, depth, seen);
  if (ts.isPropertyAssignment(p) && p.initializer === n) return { what: `is stored or sent as \`${p.name.getText()}\``, node: p };
  if (ts.isShorthandPropertyAssignment(p)) return { what: `is stored or sent as \`${p.name.text}\``, node: p };
  if (ts.isVariableDeclaration(p) && p.initializer === n && ts.isIdentifier(p.name)) return throughReads(ctx, p.name, depth, seen);
  if (ts.isBinaryExpression(p) && p.right === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) return assignedTo(ctx, p.left, depth, seen);
  if (ts.isCallExpression(p) && p.arguments.includes(n)) return passedTo(ctx, p);
  return undefined;
}

/** A value returned from a `reduce`/`map` callback lands in that call's result; otherwise it leaves the function. */
function returnedFrom(ctx: RuleContext, at: ts.Node, depth: number, seen: Set<ts.Node>): Destination | undefined {
  const { ts } = ctx;
  let fn: ts.Node | undefined = at;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  const call = fn?.parent;
  if (fn && call && ts.isCallExpression(call) && call.arguments[0] === fn) {
    const callee = skipOuter(ts, call.expression);
    if (ts.isPropertyAccessExpression(callee) && COLLECTING_CALLBACKS.has(callee.name.text)) return destinationOf(ctx, call, depth + 1, seen);
    // Other callbacks (forEach, JSX render props, framework hooks): the value's fate is the callee's.
    return undefined;
  }
  return { what: 'is returned', node: at };
}

function assignedTo(ctx: RuleContext, left: ts.Expression, depth: number, seen: Set<ts.Node>): Destination | undefined {
  const { ts } = ctx;
  const target = skipOuter(ts, left);
  if (ts.isIdentifier(target)) return throughReads(ctx, target, depth, seen);
  if (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) return { what: `is stored in \`${shortText(ctx, target)}\``, node: target };
  return undefined;
}

/** The reads of a local that are not themselves more arithmetic (that arithmetic is reported in its own right). */
function throughReads(ctx: RuleContext, name: ts.Identifier, depth: number, seen: Set<ts.Node>): Destination | undefined {
  const { ts } = ctx;
  const symbol = ctx.checker.getSymbolAtLocation(name);
  const decl = symbol?.valueDeclaration;
  if (!symbol || !decl || decl.getSourceFile() !== ctx.sourceFile) return undefined;
  let scope: ts.Node = decl;
  while (scope.parent && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  const reads: ts.Identifier[] = [];
  const visit = (x: ts.Node): void => {
    if (ts.isIdentifier(x) && x !== name && readSymbol(ctx, x) === symbol && !isWrittenHere(ctx, x)) reads.push(x);
    ts.forEachChild(x, visit);
  };
  visit(scope);
  for (const read of reads) {
    let up: ts.Node = read;
    while (ts.isParenthesizedExpression(up.parent)) up = up.parent;
    if (isArithmetic(ctx, up.parent)) continue;
    const dest = destinationOf(ctx, read, depth + 1, seen);
    if (dest) return dest;
  }
  return undefined;
}

function readSymbol(ctx: RuleContext, id: ts.Identifier): ts.Symbol | undefined {
  const { ts } = ctx;
  return ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id ? ctx.checker.getShorthandAssignmentValueSymbol(id.parent) : ctx.checker.getSymbolAtLocation(id);
}

function isWrittenHere(ctx: RuleContext, id: ts.Identifier): boolean {
  const { ts } = ctx;
  const p = id.parent;
  return ts.isBinaryExpression(p) && p.left === id && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

/** Passed to a call of the project or a library (a payment API, `res.json`); not to the standard library (Math, Number, console, Intl). */
function passedTo(ctx: RuleContext, call: ts.CallExpression): Destination | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
  if (!nameNode) return undefined;
  const decls = ctx.checker.getSymbolAtLocation(nameNode)?.declarations ?? [];
  if (decls.some((d) => isLibFile(d.getSourceFile().fileName) || d.getSourceFile().fileName.includes('/@types/node/'))) return undefined;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'console') return undefined;
  return { what: `is passed to \`${shortText(ctx, callee)}\``, node: call };
}
