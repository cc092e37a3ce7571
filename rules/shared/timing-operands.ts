// What one side of an equality check is, for timing-unsafe-comparison: whether it comes
// from outside (request data, a function parameter, a digest computed from input) and
// whether it holds a secret (a secret-named env var or property, an HMAC digest). Names
// are only a signal: a side must also be a value the caller or the configuration supplies.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { isCallTo, resolveCall, skipOuter } from './callee';
import { isRequestObject } from './http';
import { requestSourceOf } from './request-source';
import { processEnvName } from './secret-bindings';
import { validatingCall } from './validation-libs';
import { isSecretLikeName, nameWords } from './secret-names';

export interface Operand {
  /** Supplied from outside: request data, a parameter, or a digest computed from input. */
  readonly external: boolean;
  /** Read from the request itself (a header, the body): never the "stored" side. */
  readonly request: boolean;
  /** Holds a credential, by a secret-like name or by being an HMAC digest. */
  readonly secret: boolean;
  /** A digest computed here (`createHmac(...).digest()`). */
  readonly digest: boolean;
  /** Where it came from, for the related information (a request read, a parameter, an env var). */
  readonly origin?: ts.Node;
}

const NOTHING: Operand = { external: false, request: false, secret: false, digest: false };
const MAX_DEPTH = 6;
/** Words that make a trailing `hash`/`digest` a credential's (`passwordHash`, `tokenDigest`), unlike `contentHash`. */
const DIGEST_QUALIFIERS = new Set(['password', 'passwd', 'pwd', 'pass', 'token', 'key', 'secret', 'api', 'apikey', 'signature', 'otp', 'pin']);
const SIGNATURE_WORDS = new Set(['signature', 'sig', 'hmac']);
/** Calls that keep what a value is: `digest.toString('hex')`, `header.trim()`. */
const PASS_THROUGH = new Set(['toString', 'trim', 'toLowerCase', 'toUpperCase', 'slice', 'substring', 'replace']);

/** True for names of credentials, signatures and credential digests; `x-hub-signature-256` and `authorization` included. */
export function isTimingSecretName(name: string): boolean {
  if (isSecretLikeName(name)) return true;
  const words = nameWords(name).filter((w) => !/^\d+$/.test(w));
  const last = words[words.length - 1];
  if (!last) return false;
  if (SIGNATURE_WORDS.has(last) || last === 'authorization' || last === 'apikey') return true;
  if ((last === 'hash' || last === 'digest' || last === 'hashed') && words.slice(0, -1).some((w) => DIGEST_QUALIFIERS.has(w))) return true;
  return last === 'key' && words.includes('api');
}

/** A side the comparison is trivially about: a literal, `undefined`/`null`, `typeof x`, a length or a flag. */
export function isConstantSide(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || ts.isTypeOfExpression(e) || e.kind === ts.SyntaxKind.NullKeyword || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return true;
  if (ts.isIdentifier(e) && e.text === 'undefined') return true;
  if (ts.isVoidExpression(e)) return true;
  const type = ctx.checker.getTypeAtLocation(e);
  const scalar = ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.StringLiteral;
  return (type.flags & scalar) !== 0 || (type.isUnion() && type.types.every((t) => (t.flags & scalar) !== 0));
}

export function describeOperand(ctx: RuleContext, expr: ts.Expression, depth = 0): Operand {
  const { ts } = ctx;
  if (depth > MAX_DEPTH) return NOTHING;
  const e = skipOuter(ts, ts.isAwaitExpression(skipOuter(ts, expr)) ? (skipOuter(ts, expr) as ts.AwaitExpression).expression : expr);
  const env = processEnvName(ts, e);
  if (env !== undefined) return { ...NOTHING, secret: isTimingSecretName(env), origin: e };
  const fromRequest = requestRead(ctx, e);
  if (fromRequest) return fromRequest;
  if (ts.isTemplateExpression(e)) return e.templateSpans.reduce((acc, s) => combine(acc, describeOperand(ctx, s.expression, depth + 1)), NOTHING);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return combine(describeOperand(ctx, e.left, depth + 1), describeOperand(ctx, e.right, depth + 1));
  // `req.headers.authorization ?? ''`: the fallback is a default, the value is what the left side reads.
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return describeOperand(ctx, e.left, depth + 1);
  if (ts.isCallExpression(e)) return describeCall(ctx, e, depth);
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const key = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : undefined;
    const base = describeOperand(ctx, e.expression, depth + 1);
    // `dto.token` of a parameter comes from the caller; `user.token` / `this.apiKey` is stored.
    return { ...NOTHING, external: base.external && !base.digest, request: base.request, secret: key !== undefined && isTimingSecretName(key), origin: base.external ? base.origin : e };
  }
  if (ts.isIdentifier(e)) return describeIdentifier(ctx, e, depth);
  return NOTHING;
}

function describeIdentifier(ctx: RuleContext, id: ts.Identifier, depth: number): Operand {
  const { ts } = ctx;
  const decl = ctx.checker.getSymbolAtLocation(id)?.valueDeclaration;
  const named = isTimingSecretName(id.text);
  if (!decl) return NOTHING;
  if (ts.isParameter(decl)) return { ...NOTHING, external: true, secret: named, origin: decl };
  if (ts.isVariableDeclaration(decl) && decl.initializer) {
    const inner = describeOperand(ctx, decl.initializer, depth + 1);
    return { ...inner, secret: inner.secret || named, origin: inner.origin ?? decl };
  }
  if (ts.isBindingElement(decl)) {
    // const { token } = dto / = req.body / = process.env
    const varDecl = ts.findAncestor(decl, ts.isVariableDeclaration);
    const param = ts.findAncestor(decl, ts.isParameter);
    const key = decl.propertyName && ts.isIdentifier(decl.propertyName) ? decl.propertyName.text : id.text;
    const base = varDecl?.initializer ? describeOperand(ctx, varDecl.initializer, depth + 1) : param ? { ...NOTHING, external: true } : NOTHING;
    return { ...NOTHING, external: base.external && !base.digest, request: base.request, secret: named || isTimingSecretName(key), origin: decl };
  }
  return { ...NOTHING, secret: named, origin: decl };
}

function describeCall(ctx: RuleContext, call: ts.CallExpression, depth: number): Operand {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  // `Body.parse(req.body)`: validated input is still what the caller sent.
  if (call.arguments[0] && validatingCall(ctx, call)) {
    const input = describeOperand(ctx, call.arguments[0], depth + 1);
    return { ...NOTHING, external: input.external, request: input.request, origin: input.origin };
  }
  if (ts.isIdentifier(callee)) return digestHelperResult(ctx, callee, call, depth);
  if (!ts.isPropertyAccessExpression(callee)) return NOTHING;
  const method = callee.name.text;
  // Buffer.from(x) / String(x) keep what x is.
  if (method === 'from' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Buffer' && call.arguments[0]) return describeOperand(ctx, call.arguments[0], depth + 1);
  if (PASS_THROUGH.has(method)) return describeOperand(ctx, callee.expression, depth + 1);
  if (method === 'digest') {
    const kind = digestKind(ctx, callee.expression);
    if (kind === 'hmac') return { external: true, request: false, secret: true, digest: true, origin: call };
    if (kind === 'hash') return { external: true, request: false, secret: false, digest: true, origin: call };
  }
  return NOTHING;
}

/** `sign(payload)` where `function sign(p) { return createHmac(…).update(p).digest('hex') }`: followed one level. */
function digestHelperResult(ctx: RuleContext, callee: ts.Identifier, call: ts.CallExpression, depth: number): Operand {
  const { ts } = ctx;
  let symbol = ctx.checker.getSymbolAtLocation(callee);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const fn = symbol?.valueDeclaration;
  if (!fn || !ts.isFunctionDeclaration(fn) || !fn.body || depth >= MAX_DEPTH - 1) return NOTHING;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression && describeOperand(ctx, n.expression, MAX_DEPTH - 2).digest) found = true;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return found ? { external: true, request: false, secret: true, digest: true, origin: call } : NOTHING;
}

/** `createHmac(...).update(x)` → 'hmac'; a `createHash` chain → 'hash' (a credential only if its binding's name says so). */
function digestKind(ctx: RuleContext, receiver: ts.Expression, depth = 0): 'hmac' | 'hash' | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, receiver);
  if (depth > 8) return undefined;
  if (ts.isCallExpression(e)) {
    if (isCallTo(ctx, e, 'crypto', ['createHmac'])) return 'hmac';
    if (isCallTo(ctx, e, 'crypto', ['createHash'])) return 'hash';
    const callee = skipOuter(ts, e.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'update') return digestKind(ctx, callee.expression, depth + 1);
    return undefined;
  }
  if (ts.isIdentifier(e)) {
    const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return digestKind(ctx, decl.initializer, depth + 1);
  }
  return undefined;
}

/** Request data: `req.headers['x-api-key']`, `req.body.token`, `req.get('x-signature')`, a Nest `@Headers('x-api-key')` parameter. */
function requestRead(ctx: RuleContext, e: ts.Expression): Operand | undefined {
  const { ts } = ctx;
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(ts, e.expression);
    const arg = e.arguments[0] && skipOuter(ts, e.arguments[0]);
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'get' || callee.name.text === 'header') && arg && ts.isStringLiteralLike(arg) && isRequestObject(ctx, callee.expression)) {
      return { external: true, request: true, secret: isTimingSecretName(arg.text), digest: false, origin: e };
    }
    return undefined;
  }
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e) && !ts.isElementAccessExpression(e)) return undefined;
  const source = requestSourceOf(ctx, e);
  if (!source) return undefined;
  const last = source.label.split('.').pop() ?? '';
  return { external: true, request: true, secret: isTimingSecretName(last) || (ts.isIdentifier(e) && isTimingSecretName(e.text)), digest: false, origin: source.node };
}

function combine(a: Operand, b: Operand): Operand {
  return { external: a.external || b.external, request: a.request || b.request, secret: a.secret || b.secret, digest: a.digest || b.digest, origin: a.origin ?? b.origin };
}

/** `Buffer#equals` of node's Buffer, by the declaration the checker resolves it to. */
export function isBufferMethod(ctx: RuleContext, call: ts.CallExpression, names: readonly string[]): boolean {
  const target = resolveCall(ctx, call);
  return !!target && names.includes(target.name) && (target.module === 'buffer' || target.module === 'node' || target.owner === 'Buffer' || target.owner === 'BufferConstructor' || target.owner === 'Uint8Array');
}
