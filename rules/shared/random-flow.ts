// Where a `Math.random()` value goes inside its function: through arithmetic, rounding,
// `toString(36)`/`slice`, templates, concatenation, a charset index (`chars[i]`), a
// callback's return (`Array.from(…, () => …)`, `.replace(/x/g, () => …)`) and local
// variables, until it lands in a name (binding, property, assignment target, returning
// function, parameter of the called function, cookie name) that says it must be
// unguessable. Comparisons and unknown calls end the path: `Math.random() < 0.1` is
// sampling, not a secret.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { resolveCall, skipOuter } from './callee';
import { isUnguessableName } from './random-names';

export interface RandomSink {
  /** The name that makes the value sensitive (`resetToken`, `jti`, `sessionId` cookie). */
  readonly name: string;
  readonly node: ts.Node;
  /** How the message introduces the name. */
  readonly kind: 'binding' | 'property' | 'return' | 'argument' | 'cookie';
}

const MAX_STEPS = 200;
const CARRYING_METHODS = new Set(['toString', 'slice', 'substring', 'substr', 'padStart', 'padEnd', 'toUpperCase', 'toLowerCase', 'toFixed', 'toPrecision', 'repeat', 'concat', 'replace', 'replaceAll', 'join', 'charAt', 'at', 'trim', 'split', 'map']);
const CARRYING_FUNCTIONS = new Set(['String', 'Number', 'parseInt', 'parseFloat', 'BigInt']);
const MATH_ROUNDING = new Set(['floor', 'ceil', 'round', 'trunc', 'abs', 'min', 'max']);
const CARRYING_OPERATORS = new Set<number>();

/** True for a call of the global `Math.random` (not a local `Math` or a library's `random`). */
export function isMathRandom(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'random' || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Math') return false;
  const target = resolveCall(ctx, call);
  return !!target && target.isGlobal && target.owner === 'Math';
}

/** The first sensitive name the random value reaches in the same function, or undefined. */
export function randomSink(ctx: RuleContext, start: ts.CallExpression): RandomSink | undefined {
  const { ts } = ctx;
  if (CARRYING_OPERATORS.size === 0) {
    const K = ts.SyntaxKind;
    for (const k of [K.PlusToken, K.MinusToken, K.AsteriskToken, K.SlashToken, K.PercentToken, K.BarToken, K.AmpersandToken, K.CaretToken, K.LessThanLessThanToken, K.GreaterThanGreaterThanToken, K.GreaterThanGreaterThanGreaterThanToken, K.AsteriskAsteriskToken]) CARRYING_OPERATORS.add(k);
  }
  const seen = new Set<ts.Node>();
  const work: ts.Expression[] = [start];
  for (let steps = 0; work.length > 0 && steps < MAX_STEPS; steps++) {
    const e = work.pop()!;
    if (seen.has(e)) continue;
    seen.add(e);
    const found = step(ctx, e, work);
    if (found) return found;
  }
  return undefined;
}

/** Pushes what `e` flows into; returns a sink when `e` lands in a sensitive name. */
function step(ctx: RuleContext, e: ts.Expression, work: ts.Expression[]): RandomSink | undefined {
  const { ts } = ctx;
  const p = e.parent;
  const sink = (name: string | undefined, node: ts.Node, kind: RandomSink['kind']): RandomSink | undefined => (name && isUnguessableName(name) ? { name, node, kind } : undefined);

  if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isSatisfiesExpression(p) || ts.isTemplateSpan(p) || ts.isArrayLiteralExpression(p) || ts.isSpreadElement(p)) {
    work.push(ts.isTemplateSpan(p) ? p.parent : p);
    return undefined;
  }
  if (ts.isConditionalExpression(p) && p.condition !== e) return void work.push(p);
  if (ts.isPrefixUnaryExpression(p)) return void work.push(p);
  if (ts.isElementAccessExpression(p) && p.argumentExpression === e) return void work.push(p);
  if (ts.isBinaryExpression(p)) {
    const op = p.operatorToken.kind;
    if (CARRYING_OPERATORS.has(op)) return void work.push(p);
    if (p.right === e && isAssignmentOperator(ts, op)) {
      const target = skipOuter(ts, p.left);
      if (ts.isIdentifier(target)) return sink(target.text, target, 'binding') ?? void pushReferences(ctx, target, work);
      if (ts.isPropertyAccessExpression(target)) return sink(target.name.text, target, 'property');
      if (ts.isElementAccessExpression(target) && ts.isStringLiteralLike(target.argumentExpression)) return sink(target.argumentExpression.text, target, 'property');
    }
    return undefined;
  }
  // A method called on the value: `r.toString(36)`, `s.slice(2)`, `parts.join('')`.
  if (ts.isPropertyAccessExpression(p) && p.expression === e && ts.isCallExpression(p.parent) && p.parent.expression === p && CARRYING_METHODS.has(p.name.text)) {
    return void work.push(p.parent);
  }
  if (ts.isCallExpression(p) || ts.isNewExpression(p)) {
    if (!p.arguments?.includes(e)) return undefined;
    return argumentStep(ctx, p, e, work, sink);
  }
  if (ts.isVariableDeclaration(p) && p.initializer === e && ts.isIdentifier(p.name)) return sink(p.name.text, p.name, 'binding') ?? void pushReferences(ctx, p.name, work);
  if (ts.isPropertyAssignment(p) && p.initializer === e && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return sink(p.name.text, p.name, 'property');
  if (ts.isShorthandPropertyAssignment(p)) return sink(p.name.text, p.name, 'property');
  if (ts.isPropertyDeclaration(p) && p.initializer === e && ts.isIdentifier(p.name)) return sink(p.name.text, p.name, 'property');
  if (ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === e)) return returnStep(ctx, p, work, sink);
  return undefined;
}

function argumentStep(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression, arg: ts.Expression, work: ts.Expression[], sink: (n: string | undefined, node: ts.Node, k: RandomSink['kind']) => RandomSink | undefined): RandomSink | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const index = call.arguments!.indexOf(arg);
  if (ts.isIdentifier(callee) && CARRYING_FUNCTIONS.has(callee.text)) return void work.push(call);
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    if (ts.isIdentifier(callee.expression) && callee.expression.text === 'Math' && MATH_ROUNDING.has(method)) return void work.push(call);
    if (ts.isIdentifier(callee.expression) && callee.expression.text === 'String' && method === 'fromCharCode') return void work.push(call);
    if (method === 'concat' || method === 'charAt' || method === 'at') return void work.push(call);
    // res.cookie('sid', value), reply.setCookie('session', value), ctx.cookies.set('token', value)
    const nameArg = call.arguments![0];
    if (index === 1 && (method === 'cookie' || method === 'setCookie' || method === 'set') && nameArg && ts.isStringLiteralLike(nameArg) && isCookieApi(ctx, call, method)) {
      return sink(nameArg.text, nameArg, 'cookie');
    }
  }
  // An inline `((token) => …)(value)` names a local, not what a library does with the value.
  if (ts.isFunctionExpression(callee) || ts.isArrowFunction(callee)) return undefined;
  return sink(parameterName(ctx, call, index), arg, 'argument');
}

function isCookieApi(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression, method: string): boolean {
  if (!ctx.ts.isCallExpression(call)) return false;
  const target = resolveCall(ctx, call);
  if (!target?.module) return false;
  if (method === 'set') return target.module === 'cookies' || target.owner === 'Cookies';
  return ['express', 'express-serve-static-core', '@fastify/cookie', 'fastify', 'koa'].includes(target.module);
}

/** A callback's return carries into the call that runs it; a named function's return is checked by its name. */
function returnStep(ctx: RuleContext, from: ts.Node, work: ts.Expression[], sink: (n: string | undefined, node: ts.Node, k: RandomSink['kind']) => RandomSink | undefined): RandomSink | undefined {
  const { ts } = ctx;
  let fn: ts.Node | undefined = from;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn) return undefined;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && (ts.isCallExpression(fn.parent) || ts.isNewExpression(fn.parent)) && fn.parent.arguments?.includes(fn)) {
    work.push(fn.parent);
    return undefined;
  }
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return sink(fn.name.text, fn.name, 'return');
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return sink(fn.parent.name.text, fn.parent.name, 'return');
  return undefined;
}

/** Every later read of a local variable, within the function that declares it. */
function pushReferences(ctx: RuleContext, name: ts.Identifier, work: ts.Expression[]): void {
  const { ts } = ctx;
  const symbol = ctx.checker.getSymbolAtLocation(name);
  if (!symbol) return;
  let scope: ts.Node = name;
  while (scope.parent && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n !== name && n.text === name.text && ctx.checker.getSymbolAtLocation(n) === symbol) {
      // The left side of its own assignment is a write, not a read.
      if (!(ts.isBinaryExpression(n.parent) && n.parent.left === n && n.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken)) work.push(n);
    }
    // `{ token }` reads `token` through the shorthand's value symbol.
    if (ts.isShorthandPropertyAssignment(n) && n.name.text === name.text && ctx.checker.getShorthandAssignmentValueSymbol(n) === symbol) work.push(n.name);
    ts.forEachChild(n, visit);
  };
  visit(scope);
}

function parameterName(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression, index: number): string | undefined {
  const { ts } = ctx;
  const decl = ctx.checker.getResolvedSignature(call)?.getDeclaration();
  if (!decl || !('parameters' in decl)) return undefined;
  const param = decl.parameters[index];
  return param && !param.dotDotDotToken && ts.isIdentifier(param.name) ? param.name.text : undefined;
}

function isAssignmentOperator(ts: RuleContext['ts'], op: ts.SyntaxKind): boolean {
  return op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.PlusEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken;
}
