// Does an unverified `jwt.decode(token)` decide who the caller is or what they may do?
// Follows the decoded payload through the bindings of the function that decodes it and
// finds the first use that is an authorisation decision: attached to the request
// (`req.user = payload`), returned from a middleware/guard, or its claims compared or
// looked up (`payload.role === 'admin'`). Reading the time claims (`exp`), the issuer or
// the header (to pick a key) is not one, and nothing counts when the same function
// verifies the same token.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { isCallTo, packageOfFile, skipOuter } from './callee';
import { findRouteHandlers, isRequestObject, registrationsOf } from './http';
import { constInitializer } from './constant-values';
import { jwtCallKind } from './jwt-calls';
import { shortText } from './source-text';

export interface AuthUse {
  /** The expression that makes the decision. */
  readonly node: ts.Node;
  /** How the message names it: "assigned to `req.user`". */
  readonly what: string;
}

/** Claims that say when the token expires, who issued it or how it is signed: reading them decides no access. */
const NON_AUTH_CLAIMS = new Set(['exp', 'iat', 'nbf', 'iss', 'kid', 'alg', 'typ']);
const COMPARISONS = new Set<number>();
const LOOKUPS = new Set(['includes', 'has', 'indexOf', 'some', 'every']);
/** Other libraries' verifiers: a token they verify is not trusted unverified. */
const OTHER_VERIFIERS: Readonly<Record<string, readonly string[]>> = { jose: ['jwtVerify'], '@nestjs/jwt': ['verify', 'verifyAsync'] };
const MAX_DEPTH = 6;

type FunctionScope = ts.FunctionLikeDeclaration | ts.SourceFile;

export function authUseOfDecode(ctx: RuleContext, decode: ts.CallExpression): AuthUse | undefined {
  const { ts } = ctx;
  const token = decode.arguments[0];
  if (!token) return undefined;
  const scope = enclosingFunction(ctx, decode);
  if (verifiesSameToken(ctx, decode, token)) return undefined;
  const derived = trackDerived(ctx, scope, decode);
  let found: AuthUse | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    found = decisionAt(ctx, node, derived, scope, decode);
    if (!found) ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

function enclosingFunction(ctx: RuleContext, node: ts.Node): FunctionScope {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ctx.ts.isFunctionLike(n) && 'body' in n && n.body) return n as ts.FunctionLikeDeclaration;
  }
  return node.getSourceFile();
}

/** True when the decoding function, or one enclosing it, verifies the same token. */
function verifiesSameToken(ctx: RuleContext, decode: ts.CallExpression, token: ts.Expression): boolean {
  const { ts } = ctx;
  for (let scope: FunctionScope = enclosingFunction(ctx, decode); ; scope = enclosingFunction(ctx, scope)) {
    let found = false;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(node) && node !== decode && node.arguments[0] && isVerifier(ctx, node) && sameValue(ctx, node.arguments[0], token, 0)) found = true;
      else ts.forEachChild(node, visit);
    };
    visit(scope);
    if (found) return true;
    if (ts.isSourceFile(scope)) return false;
  }
}

function isVerifier(ctx: RuleContext, call: ts.CallExpression): boolean {
  if (jwtCallKind(ctx, call) === 'verify') return true;
  return Object.entries(OTHER_VERIFIERS).some(([module, names]) => isCallTo(ctx, call, module, names));
}

/** Two expressions denote the same value: the same variable, or the same accesses/calls on it. */
function sameValue(ctx: RuleContext, a: ts.Expression, b: ts.Expression, depth: number): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, a);
  const y = skipOuter(ts, b);
  if (depth > MAX_DEPTH) return false;
  if (ts.isIdentifier(x) && ts.isIdentifier(y)) {
    const sx = ctx.checker.getSymbolAtLocation(x);
    if (sx && sx === ctx.checker.getSymbolAtLocation(y)) return true;
  }
  const ix = ts.isIdentifier(x) ? constInitializer(ctx, x) : undefined;
  if (ix) return sameValue(ctx, ix, y, depth + 1);
  const iy = ts.isIdentifier(y) ? constInitializer(ctx, y) : undefined;
  if (iy) return sameValue(ctx, x, iy, depth + 1);
  if (x.kind !== y.kind) return false;
  if (ts.isPropertyAccessExpression(x) && ts.isPropertyAccessExpression(y)) return x.name.text === y.name.text && sameValue(ctx, x.expression, y.expression, depth + 1);
  if (ts.isElementAccessExpression(x) && ts.isElementAccessExpression(y)) {
    return sameValue(ctx, x.argumentExpression, y.argumentExpression, depth + 1) && sameValue(ctx, x.expression, y.expression, depth + 1);
  }
  if (ts.isCallExpression(x) && ts.isCallExpression(y)) {
    return x.arguments.length === y.arguments.length && sameValue(ctx, x.expression, y.expression, depth + 1) && x.arguments.every((arg, i) => sameValue(ctx, arg, y.arguments[i], depth + 1));
  }
  if ((ts.isStringLiteral(x) || ts.isNumericLiteral(x)) && (ts.isStringLiteral(y) || ts.isNumericLiteral(y))) return x.text === y.text;
  return x.kind === ts.SyntaxKind.ThisKeyword;
}

/** Variables holding the decoded payload or one of its claims, with the claim path they hold. */
function trackDerived(ctx: RuleContext, scope: FunctionScope, decode: ts.CallExpression): Map<ts.Symbol, readonly string[]> {
  const { ts } = ctx;
  const held = new Map<ts.Symbol, readonly string[]>();
  const bind = (name: ts.BindingName, path: readonly string[]): void => {
    if (ts.isIdentifier(name)) {
      const symbol = ctx.checker.getSymbolAtLocation(name);
      if (symbol && !held.has(symbol)) held.set(symbol, path);
      return;
    }
    if (!ts.isObjectBindingPattern(name)) return;
    for (const el of name.elements) {
      const key = el.propertyName ?? el.name;
      if (!el.dotDotDotToken && ts.isIdentifier(key)) bind(el.name, [...path, key.text]);
    }
  };
  // Declarations come in source order; one pass catches chains (`const p = decode(); const u = p.user`).
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const path = claimPath(ctx, node.initializer, held, decode);
      if (path) bind(node.name, path);
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return held;
}

/** The claim path an expression reads from the decoded payload, or undefined when it is not derived from it. */
function claimPath(ctx: RuleContext, e: ts.Expression, held: ReadonlyMap<ts.Symbol, readonly string[]>, decode: ts.CallExpression): readonly string[] | undefined {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (x === decode) return [];
  if (ts.isIdentifier(x)) {
    const symbol = ctx.checker.getSymbolAtLocation(x);
    return symbol ? held.get(symbol) : undefined;
  }
  if (ts.isPropertyAccessExpression(x)) {
    const base = claimPath(ctx, x.expression, held, decode);
    return base && [...base, x.name.text];
  }
  if (ts.isElementAccessExpression(x)) {
    const base = claimPath(ctx, x.expression, held, decode);
    const key = skipOuter(ts, x.argumentExpression);
    return base && (ts.isStringLiteral(key) ? [...base, key.text] : base);
  }
  // `payload?.scopes ?? []`: the fallback only stands in when the claim is missing.
  if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || x.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return claimPath(ctx, x.left, held, decode);
  }
  return undefined;
}

/** A claim path whose reading decides access (not the time claims, issuer or header). */
function decidesAccess(path: readonly string[] | undefined): boolean {
  if (!path) return false;
  if (path[0] === 'header') return false;
  const claim = path[0] === 'payload' ? path[1] : path[0];
  return claim === undefined || !NON_AUTH_CLAIMS.has(claim);
}

function decisionAt(ctx: RuleContext, node: ts.Node, held: ReadonlyMap<ts.Symbol, readonly string[]>, scope: FunctionScope, decode: ts.CallExpression): AuthUse | undefined {
  const { ts } = ctx;
  const derived = (e: ts.Expression): boolean => decidesAccess(claimPath(ctx, e, held, decode));
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsToken && derived(node.right) && isIdentitySlot(ctx, node.left)) {
      return { node, what: `assigned to \`${shortText(ctx, node.left)}\`` };
    }
    if (comparisonOperators(ctx).has(op)) {
      const side = derived(node.left) ? node.right : derived(node.right) ? node.left : undefined;
      if (side && !isNullish(ctx, side)) return { node, what: `compared in \`${shortText(ctx, node)}\`` };
    }
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && LOOKUPS.has(node.expression.name.text)) {
    if (derived(node.expression.expression) || node.arguments.some(derived)) return { node, what: `checked in \`${shortText(ctx, node)}\`` };
  }
  if (ts.isReturnStatement(node) && node.expression && !ts.isSourceFile(scope) && enclosingFunction(ctx, node) === scope && returnsClaims(ctx, node.expression, derived) && isAuthFunction(ctx, scope)) {
    return { node, what: `returned from the authentication function \`${functionLabel(ctx, scope)}\`` };
  }
  return undefined;
}

function comparisonOperators(ctx: RuleContext): ReadonlySet<number> {
  if (COMPARISONS.size === 0) {
    const k = ctx.ts.SyntaxKind;
    for (const op of [k.EqualsEqualsEqualsToken, k.ExclamationEqualsEqualsToken, k.EqualsEqualsToken, k.ExclamationEqualsToken, k.LessThanToken, k.GreaterThanToken, k.LessThanEqualsToken, k.GreaterThanEqualsToken]) COMPARISONS.add(op);
  }
  return COMPARISONS;
}

function isNullish(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  return x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined') || ts.isVoidExpression(x);
}

function returnsClaims(ctx: RuleContext, e: ts.Expression, derived: (e: ts.Expression) => boolean): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (derived(x)) return true;
  if (ts.isAwaitExpression(x)) return derived(x.expression);
  return ts.isObjectLiteralExpression(x) && x.properties.some((p) => (ts.isPropertyAssignment(p) && derived(p.initializer)) || (ts.isShorthandPropertyAssignment(p) && derived(p.name)) || (ts.isSpreadAssignment(p) && derived(p.expression)));
}

/** `req.user`, `req.auth.id`, `res.locals.user`, `request.user` in a Nest guard: where a request's identity is kept. */
function isIdentitySlot(ctx: RuleContext, target: ts.Expression): boolean {
  const { ts } = ctx;
  let e = skipOuter(ts, target);
  if (!ts.isPropertyAccessExpression(e) && !ts.isElementAccessExpression(e)) return false;
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const base = skipOuter(ts, e.expression);
    if (isRequestObject(ctx, base) || isNestRequest(ctx, base)) return true;
    if (ts.isPropertyAccessExpression(e) && e.name.text === 'locals' && isResponseType(ctx, base)) return true;
    e = base;
  }
  return false;
}

/** `const request = context.switchToHttp().getRequest()` in a Nest guard (typed `any`). */
function isNestRequest(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (!ts.isIdentifier(e)) return false;
  const init = constInitializer(ctx, e);
  const call = init && skipOuter(ts, init);
  return !!call && ts.isCallExpression(call) && isCallTo(ctx, call, '@nestjs/common', ['getRequest']);
}

function isResponseType(ctx: RuleContext, e: ts.Expression): boolean {
  const symbol = ctx.checker.getTypeAtLocation(e).getSymbol();
  return !!symbol && symbol.name === 'Response' && (symbol.declarations ?? []).some((d) => ['express', 'express-serve-static-core'].includes(packageOfFile(d.getSourceFile().fileName) ?? ''));
}

/** A route handler or middleware, a function given the request, or a Nest guard's `canActivate`. */
function isAuthFunction(ctx: RuleContext, scope: ts.FunctionLikeDeclaration): boolean {
  const { ts } = ctx;
  if (findRouteHandlers(ctx).some((h) => h.fn === scope) || registrationsOf(ctx, scope).length > 0) return true;
  if (scope.parameters.some((p) => ts.isIdentifier(p.name) && isRequestObject(ctx, p.name))) return true;
  return ts.isMethodDeclaration(scope) && ts.isIdentifier(scope.name) && scope.name.text === 'canActivate' && implementsNestCanActivate(ctx, scope.parent);
}

function implementsNestCanActivate(ctx: RuleContext, cls: ts.Node): boolean {
  const { ts } = ctx;
  if (!ts.isClassDeclaration(cls)) return false;
  return (cls.heritageClauses ?? []).some((h) =>
    h.types.some((t) => {
      let symbol = ctx.checker.getSymbolAtLocation(t.expression);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
      return symbol?.name === 'CanActivate' && (symbol.declarations ?? []).some((d) => packageOfFile(d.getSourceFile().fileName) === '@nestjs/common');
    }),
  );
}

function functionLabel(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): string {
  const { ts } = ctx;
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const p = fn.parent;
  if ((ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)) && ts.isIdentifier(p.name)) return p.name.text;
  return shortText(ctx, fn);
}
