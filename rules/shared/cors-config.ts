// A CORS configuration given to the `cors` middleware or Nest's `enableCors`: does it
// let every origin make credentialed requests? Read from the options object as far as
// the code states it; an origin function counts as allowing everything only when each
// answer it gives is "yes" (`true`, or the request's own origin echoed back).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, resolveCall, skipOuter } from './callee';
import { unchangedConstInitializer } from './constant-values';
import { optionValue, resolveObject } from './cookie-options';
import { functionOf } from './http';

export type OpenOrigin = 'reflected' | 'wildcard' | 'default-wildcard' | 'always-allows';

export interface PermissiveCors {
  readonly origin: OpenOrigin;
  /** The `origin` property's value, when written. */
  readonly originNode?: ts.Node;
}

/** The options argument when the call configures CORS: `cors(options)` or Nest's `app.enableCors(options)`. */
export function corsOptionsArgument(ctx: RuleContext, call: ts.CallExpression): ts.Expression | 'none' | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (ts.isIdentifier(callee) && call.arguments.length <= 1) {
    if (!isCorsFactory(ctx, call)) return undefined;
  } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'enableCors') {
    const target = resolveCall(ctx, call);
    if (target?.module !== '@nestjs/common' && target?.module !== '@nestjs/core') return undefined;
  } else {
    return undefined;
  }
  return call.arguments[0] ?? 'none';
}

function isCorsFactory(ctx: RuleContext, call: ts.CallExpression): boolean {
  const target = resolveCall(ctx, call);
  if (target?.module !== 'cors') return false;
  if (target.via === 'types') return !!target.declaration && ctx.ts.isFunctionDeclaration(target.declaration);
  const origin = originOf(ctx, call.expression);
  return !!origin && origin.members.length === 0 && (origin.exportPath.length === 0 || (origin.exportPath.length === 1 && origin.exportPath[0] === 'default'));
}

/** How the options open CORS to every origin with credentials, or undefined when they do not (or cannot be known). */
export function permissiveCors(ctx: RuleContext, optionsArg: ts.Expression): PermissiveCors | undefined {
  const { ts } = ctx;
  const options = resolveObject(ctx, optionsArg);
  // A delegate `(req, cb) => …` or options built elsewhere: nothing to read.
  if (!options) return undefined;
  if (optionValue(ctx, options.props.get('credentials')) !== 'true') return undefined;
  const originNode = options.props.get('origin');
  if (!originNode) return { origin: 'default-wildcard' };
  // `origin(requestOrigin, callback) { … }` written as a method.
  if (ts.isMethodDeclaration(originNode)) return alwaysAllows(ctx, originNode) ? { origin: 'always-allows', originNode } : undefined;
  if (!ts.isExpression(originNode)) return undefined;
  const value = skipOuter(ts, originNode);
  if (optionValue(ctx, value) === 'true') return { origin: 'reflected', originNode };
  if (isWildcard(ctx, value)) return { origin: 'wildcard', originNode };
  const fn = originFunction(ctx, value);
  if (fn && alwaysAllows(ctx, fn)) return { origin: 'always-allows', originNode };
  return undefined;
}

function isWildcard(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (ts.isStringLiteralLike(e)) return e.text === '*';
  const type = ctx.checker.getTypeAtLocation(e);
  return type.isStringLiteral() && type.value === '*';
}

function originFunction(ctx: RuleContext, e: ts.Expression): ts.FunctionLikeDeclaration | undefined {
  const { ts } = ctx;
  if (ts.isFunctionExpression(e) || ts.isArrowFunction(e)) return e;
  if (ts.isIdentifier(e)) {
    const init = unchangedConstInitializer(ctx, e);
    if (init) return originFunction(ctx, skipOuter(ts, init));
  }
  return functionOf(ctx, e);
}

/**
 * `(origin, callback) => callback(null, true)`: every call of the callback says yes and
 * none says no. A callback given a computed answer (`allowed.includes(origin)`) or an
 * error on some path means the function checks something.
 */
function alwaysAllows(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): boolean {
  const { ts } = ctx;
  const [originParam, callbackParam] = fn.parameters;
  if (!fn.body || !callbackParam || !ts.isIdentifier(callbackParam.name)) return false;
  const callbackSymbol = ctx.checker.getSymbolAtLocation(callbackParam.name);
  const originSymbol = originParam && ts.isIdentifier(originParam.name) ? ctx.checker.getSymbolAtLocation(originParam.name) : undefined;
  let answers = 0;
  let onlyYes = true;
  const visit = (node: ts.Node): void => {
    if (!onlyYes) return;
    if (ts.isIdentifier(node) && node !== callbackParam.name && ctx.checker.getSymbolAtLocation(node) === callbackSymbol) {
      const call = node.parent;
      // The callback handed on (`next(callback)`) answers somewhere we cannot see.
      if (!ts.isCallExpression(call) || call.expression !== node) onlyYes = false;
      else if (saysYes(ctx, call, originSymbol)) answers++;
      else onlyYes = false;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return onlyYes && answers > 0;
}

/** `callback(null, true)` or `callback(null, origin)`. */
function saysYes(ctx: RuleContext, call: ts.CallExpression, originSymbol: ts.Symbol | undefined): boolean {
  const { ts } = ctx;
  const [error, allow] = call.arguments;
  if (!error || !allow) return false;
  const err = skipOuter(ts, error);
  if (err.kind !== ts.SyntaxKind.NullKeyword && !(ts.isIdentifier(err) && err.text === 'undefined')) return false;
  const a = skipOuter(ts, allow);
  if (a.kind === ts.SyntaxKind.TrueKeyword) return true;
  return !!originSymbol && ts.isIdentifier(a) && ctx.checker.getSymbolAtLocation(a) === originSymbol;
}
