// What a jsonwebtoken call is and what its options say: `sign`/`verify`/`decode` of the
// jsonwebtoken package (by the checker, or by imports in untyped code), the options
// object a call passes (inline or through a `const`), and the algorithm a verify should
// pin, inferred from how the project signs its tokens or from the kind of key.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { resolveCall, skipOuter } from './callee';
import { constantString, constInitializer } from './constant-values';

export type JwtCallKind = 'sign' | 'verify' | 'decode';

const KINDS: readonly string[] = ['sign', 'verify', 'decode'];
const MAX_DEPTH = 4;

/** `sign`, `verify` or `decode` when the call resolves to jsonwebtoken's. */
export function jwtCallKind(ctx: RuleContext, call: ts.CallExpression): JwtCallKind | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  // Cheap syntactic gate before the checker is asked.
  if (!name || !KINDS.includes(name)) return undefined;
  const target = resolveCall(ctx, call);
  return target?.module === 'jsonwebtoken' && KINDS.includes(target.name) ? (target.name as JwtCallKind) : undefined;
}

/**
 * The options a call passes at `index`: the object literal (inline or a `const`'s
 * initializer), 'none' when no options are passed (absent, `undefined`, or the argument is
 * the callback), 'unknown' when they come from somewhere this cannot read.
 */
export function optionsAt(ctx: RuleContext, call: ts.CallExpression, index: number): ts.ObjectLiteralExpression | 'none' | 'unknown' {
  const { ts } = ctx;
  const arg = call.arguments[index];
  if (!arg) return 'none';
  const e = skipOuter(ts, arg);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return 'none';
  if (ts.isIdentifier(e) && e.text === 'undefined') return 'none';
  const literal = objectLiteralOf(ctx, e, 0);
  if (literal) return literal;
  // A named callback: a function value cannot be the options.
  if (ctx.checker.getTypeAtLocation(e).getCallSignatures().length > 0) return 'none';
  return 'unknown';
}

function objectLiteralOf(ctx: RuleContext, e: ts.Expression, depth: number): ts.ObjectLiteralExpression | undefined {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (ts.isObjectLiteralExpression(x)) return x;
  if (!ts.isIdentifier(x) || depth >= MAX_DEPTH) return undefined;
  const init = constInitializer(ctx, x);
  return init && objectLiteralOf(ctx, init, depth + 1);
}


/**
 * A property of an options object: the assignment, 'absent', or 'unknown' when a spread
 * might supply it.
 */
export function optionProperty(ctx: RuleContext, options: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | 'absent' | 'unknown' {
  const { ts } = ctx;
  let spread = false;
  for (const p of options.properties) {
    if (ts.isSpreadAssignment(p)) spread = true;
    else if (p.name && !ts.isComputedPropertyName(p.name) && !ts.isPrivateIdentifier(p.name) && p.name.text === name) return p;
    else if (p.name && ts.isComputedPropertyName(p.name)) spread = true;
  }
  return spread ? 'unknown' : 'absent';
}

/** The value of a property assignment (`x: v` or shorthand `x`). */
export function propertyValue(ctx: RuleContext, p: ts.ObjectLiteralElementLike): ts.Expression | undefined {
  const { ts } = ctx;
  if (ts.isPropertyAssignment(p)) return p.initializer;
  if (ts.isShorthandPropertyAssignment(p)) return p.name;
  return undefined;
}


/** The elements of an algorithms list: inline or a `const` array. */
export function arrayElements(ctx: RuleContext, e: ts.Expression): readonly ts.Expression[] | undefined {
  const { ts } = ctx;
  let x = skipOuter(ts, e);
  for (let depth = 0; ts.isIdentifier(x) && depth < MAX_DEPTH; depth++) {
    const init = constInitializer(ctx, x);
    if (!init) return undefined;
    x = skipOuter(ts, init);
  }
  return ts.isArrayLiteralExpression(x) ? x.elements : undefined;
}

// ---- which algorithm a verify should pin ----

const signedWith = new WeakMap<ts.Program, ReadonlySet<string>>();

/** The algorithms the project's own `jwt.sign` calls name in their options. */
function projectSignAlgorithms(ctx: RuleContext): ReadonlySet<string> {
  const cached = signedWith.get(ctx.program);
  if (cached) return cached;
  const { ts } = ctx;
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length >= 3 && jwtCallKind(ctx, node) === 'sign') {
      const options = optionsAt(ctx, node, 2);
      const alg = typeof options === 'object' ? optionProperty(ctx, options, 'algorithm') : undefined;
      const value = alg && typeof alg === 'object' ? propertyValue(ctx, alg) : undefined;
      const text = value && constantString(ctx, value);
      if (text) found.add(text);
    }
    ts.forEachChild(node, visit);
  };
  for (const sf of ctx.program.getSourceFiles()) {
    if (!sf.isDeclarationFile && !sf.fileName.includes('/node_modules/')) visit(sf);
  }
  signedWith.set(ctx.program, found);
  return found;
}

/**
 * The algorithm `verify` should accept: the one algorithm the project signs with, else
 * HS256 when the key is a shared secret string (a literal or an environment variable —
 * never a PEM read from a file, whose algorithm the key alone does not tell).
 */
export function inferVerifyAlgorithm(ctx: RuleContext, verify: ts.CallExpression): string | undefined {
  const signed = [...projectSignAlgorithms(ctx)].filter((a) => a !== 'none');
  if (signed.length === 1) return signed[0];
  if (signed.length > 1) return undefined;
  const key = verify.arguments[1];
  return key && isSecretString(ctx, key, 0) ? 'HS256' : undefined;
}

function isSecretString(ctx: RuleContext, e: ts.Expression, depth: number): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (ts.isStringLiteral(x) || ts.isNoSubstitutionTemplateLiteral(x)) return !x.text.includes('-----BEGIN');
  if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || x.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return isSecretString(ctx, x.left, depth + 1) && isSecretString(ctx, x.right, depth + 1);
  }
  // process.env.JWT_SECRET
  if (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) {
    const env = skipOuter(ts, x.expression);
    if (!ts.isPropertyAccessExpression(env) || env.name.text !== 'env' || !ts.isIdentifier(env.expression) || env.expression.text !== 'process') return false;
    // Node's global `process`, not a local of that name.
    return (ctx.checker.getSymbolAtLocation(env.expression)?.declarations ?? []).some((d) => d.getSourceFile().isDeclarationFile);
  }
  if (ts.isIdentifier(x) && depth < MAX_DEPTH) {
    const init = constInitializer(ctx, x);
    return !!init && isSecretString(ctx, init, depth + 1);
  }
  return false;
}
