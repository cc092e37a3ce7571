// How a `createHash(...)` object is used: what is fed to `.update(...)` and where the
// `.digest()` ends up — in one chain (`createHash('md5').update(x).digest('hex')`) or
// through a local binding (`const h = createHash('md5'); h.update(x); h.digest()`).
// weak-crypto decides from these two ends whether the digest protects a password or a
// secret, or merely names content (cache key, ETag, checksum).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { skipOuter } from './callee';
import { enclosingFunctionName, isConstDeclaration, purposeOfName, storageName, strongerPurpose, type DataPurpose } from './weak-crypto-names';

export interface HashUse {
  /** Arguments of `.update(...)`. */
  readonly inputs: readonly ts.Expression[];
  /** The `.digest(...)` calls. */
  readonly digests: readonly ts.CallExpression[];
}

/** Method calls on the value that keep it the same datum (`digest.toString('hex')`, `.slice(0, 16)`). */
const PASS_THROUGH = new Set(['toString', 'slice', 'substring', 'substr', 'toUpperCase', 'toLowerCase', 'padStart']);

export function hashUseOf(ctx: RuleContext, create: ts.CallExpression): HashUse {
  const { ts } = ctx;
  const inputs: ts.Expression[] = [];
  const digests: ts.CallExpression[] = [];
  const followChain = (start: ts.Expression): ts.Expression => {
    let node: ts.Expression = start;
    for (;;) {
      const access = outerOf(ts, node).parent;
      if (!access || !ts.isPropertyAccessExpression(access) || !ts.isCallExpression(access.parent) || access.parent.expression !== access) return node;
      const call = access.parent;
      if (access.name.text === 'update' && call.arguments[0]) inputs.push(call.arguments[0]);
      else if (access.name.text === 'digest') {
        digests.push(call);
        return call;
      } else return node;
      node = call;
    }
  };
  const end = followChain(create);
  // `const hash = createHash('md5')` then `hash.update(x)` / `hash.digest()` elsewhere in the scope.
  const holder = outerOf(ts, end).parent;
  if (end !== create || !holder || !ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return { inputs, digests };
  const symbol = ctx.checker.getSymbolAtLocation(holder.name);
  if (!symbol) return { inputs, digests };
  for (const ref of referencesIn(ctx, scopeOf(ts, holder), symbol, holder.name)) followChain(ref);
  return { inputs, digests };
}

/** Where a digest goes, as a purpose: the binding or property storing it, what it is compared with, the header it is sent in. */
export function purposeOfDigest(ctx: RuleContext, digest: ts.Expression, depth = 0): DataPurpose | undefined {
  const { ts } = ctx;
  let node: ts.Expression = digest;
  // digest.toString('hex').slice(0, 8) is still the digest.
  for (;;) {
    const access = outerOf(ts, node).parent;
    if (access && ts.isPropertyAccessExpression(access) && PASS_THROUGH.has(access.name.text) && ts.isCallExpression(access.parent) && access.parent.expression === access) node = access.parent;
    else break;
  }
  const outer = outerOf(ts, node);
  const parent = outer.parent;
  if (!parent) return undefined;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    const own = purposeOfName(parent.name.text);
    if (own || depth > 0 || !isConstDeclaration(ts, parent)) return own;
    return purposeOfBindingUses(ctx, parent, depth);
  }
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.initializer === outer) {
    const name = storageName(ts, parent.name);
    return name ? purposeOfName(name) : undefined;
  }
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    const other = parent.left === outer ? parent.right : parent.left;
    const isAssignment = op === ts.SyntaxKind.EqualsToken && parent.right === outer;
    const isComparison = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (!isAssignment && !isComparison) return undefined;
    const name = storageName(ts, other);
    return name && !ts.isStringLiteralLike(skipOuter(ts, other)) ? purposeOfName(name) : undefined;
  }
  if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === outer)) {
    const name = enclosingFunctionName(ts, parent);
    return name ? purposeOfName(name) : undefined;
  }
  if (ts.isCallExpression(parent) && parent.expression !== outer) {
    // Buffer.from(digest, 'hex') is still the digest.
    if (isBufferFrom(ts, parent) && depth < 3) return purposeOfDigest(ctx, parent, depth + 1);
    return purposeOfCallArgument(ctx, parent, outer);
  }
  return undefined;
}

/**
 * A digest passed to a call: `res.setHeader('ETag', d)` / `cache.set(d, …)` name content;
 * `timingSafeEqual(d, stored.signature)` compares it with what the other argument is.
 */
function purposeOfCallArgument(ctx: RuleContext, call: ts.CallExpression, arg: ts.Expression): DataPurpose | undefined {
  const { ts } = ctx;
  let purpose: DataPurpose | undefined;
  for (const other of call.arguments) {
    if (other === arg) continue;
    const o = skipOuter(ts, other);
    // A header or key name given as a literal says what the digest is (`'ETag'`, `'X-Signature'`).
    const held = ts.isCallExpression(o) && o.arguments.length > 0 ? skipOuter(ts, o.arguments[0]) : o;
    const name = ts.isStringLiteralLike(held) ? held.text : storageName(ts, held);
    purpose = strongerPurpose(purpose, name ? purposeOfName(name) : undefined);
  }
  const callee = skipOuter(ts, call.expression);
  const receiver = ts.isPropertyAccessExpression(callee) ? storageName(ts, callee.expression) : undefined;
  return strongerPurpose(purpose, receiver ? purposeOfName(receiver) : undefined);
}

/** `const digest = …` used later: where its uses go (stored as `user.passwordHash`, compared with `row.signature`). */
function purposeOfBindingUses(ctx: RuleContext, decl: ts.VariableDeclaration, depth: number): DataPurpose | undefined {
  const { ts } = ctx;
  if (!ts.isIdentifier(decl.name)) return undefined;
  const symbol = ctx.checker.getSymbolAtLocation(decl.name);
  if (!symbol) return undefined;
  let purpose: DataPurpose | undefined;
  for (const ref of referencesIn(ctx, scopeOf(ts, decl), symbol, decl.name)) {
    const parent = ref.parent;
    // `{ passwordHash: digest }` written as shorthand `{ digest }` carries the binding's own name, already read.
    if (ts.isShorthandPropertyAssignment(parent)) continue;
    purpose = strongerPurpose(purpose, purposeOfDigest(ctx, ref, depth + 1));
  }
  return purpose;
}

function isBufferFrom(ts: RuleContext['ts'], call: ts.CallExpression): boolean {
  const callee = skipOuter(ts, call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'from' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Buffer';
}

function outerOf(ts: RuleContext['ts'], node: ts.Expression): ts.Expression {
  let n: ts.Expression = node;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isAwaitExpression(n.parent))) n = n.parent;
  return n;
}

function scopeOf(ts: RuleContext['ts'], node: ts.Node): ts.Node {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isFunctionLike(n) || ts.isSourceFile(n)) return n;
  return node.getSourceFile();
}

function referencesIn(ctx: RuleContext, scope: ts.Node, symbol: ts.Symbol, declName: ts.Identifier): ts.Identifier[] {
  const { ts } = ctx;
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n !== declName && n.text === declName.text && ctx.checker.getSymbolAtLocation(n) === symbol) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return out;
}
