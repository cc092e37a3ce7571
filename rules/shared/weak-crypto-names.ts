// What a hashed value is *for*, read from the names around a `createHash` chain: the
// binding or property it was read from, the one it is stored in or compared with.
// Names are only a signal here: weak-crypto consults them after the type checker has
// established that the call really is node:crypto's `createHash`.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { skipOuter } from './callee';

/** A password, a security secret (token, signature, key), or data whose digest is an identifier (cache key, ETag, checksum). */
export type DataPurpose = 'password' | 'secret' | 'benign';

/** `hashedPassword` → ['hashed', 'password']; `API_KEY` → ['api', 'key']. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

const PASSWORD_WORDS = new Set(['pwd', 'pw', 'pass', 'passwd', 'passphrase']);
const SECRET_WORDS = new Set(['token', 'tokens', 'signature', 'sig', 'hmac', 'secret', 'otp', 'nonce', 'csrf', 'apikey']);
// A digest used as an identifier of content: collisions cost a cache miss, not a breach.
const BENIGN_WORDS = new Set(['etag', 'cache', 'cachekey', 'checksum', 'checksums']);

/** The purpose a name reveals, if any; an identifier of content wins over everything else. */
export function purposeOfName(name: string): DataPurpose | undefined {
  const words = nameWords(name);
  if (words.some((w, i) => BENIGN_WORDS.has(w) || (w === 'e' && words[i + 1] === 'tag'))) return 'benign';
  if (words.some((w) => PASSWORD_WORDS.has(w) || w.includes('password'))) return 'password';
  if (words.some((w, i) => SECRET_WORDS.has(w) || (w === 'api' && words[i + 1] === 'key'))) return 'secret';
  return undefined;
}

/** Ranks purposes so several signals combine: benign beats password beats secret. */
export function strongerPurpose(a: DataPurpose | undefined, b: DataPurpose | undefined): DataPurpose | undefined {
  const rank = (p: DataPurpose | undefined) => (p === 'benign' ? 3 : p === 'password' ? 2 : p === 'secret' ? 1 : 0);
  return rank(a) >= rank(b) ? a : b;
}

/** The name a storage place is known by: `user.passwordHash` → passwordHash, `creds['pwd']` → pwd. */
export function storageName(ts: RuleContext['ts'], expr: ts.Node): string | undefined {
  const e = ts.isExpression(expr) ? skipOuter(ts, expr) : expr;
  if (ts.isIdentifier(e) || ts.isPrivateIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) return e.argumentExpression.text;
  if (ts.isStringLiteralLike(e)) return e.text;
  return undefined;
}

/**
 * The purpose of a hashed input: its own name (`password`, `dto.password`, `req.body.password`),
 * what a local `const` was initialised from (`const pw = req.body.password`), or any part of a
 * concatenation (`salt + password`) or of a conversion (`Buffer.from(password)`, `password.trim()`).
 */
export function purposeOfInput(ctx: RuleContext, expr: ts.Expression, depth = 0): DataPurpose | undefined {
  const { ts } = ctx;
  if (depth > 6) return undefined;
  const e = skipOuter(ts, expr);
  if (ts.isTemplateExpression(e)) return e.templateSpans.reduce<DataPurpose | undefined>((p, s) => strongerPurpose(p, purposeOfInput(ctx, s.expression, depth + 1)), undefined);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return strongerPurpose(purposeOfInput(ctx, e.left, depth + 1), purposeOfInput(ctx, e.right, depth + 1));
  }
  if (ts.isCallExpression(e)) {
    // A conversion keeps what the value is: Buffer.from(pw), String(pw), pw.normalize('NFKC').
    const callee = skipOuter(ts, e.expression);
    const receiver = ts.isPropertyAccessExpression(callee) ? purposeOfInput(ctx, callee.expression, depth + 1) : undefined;
    return receiver ?? (e.arguments[0] ? purposeOfInput(ctx, e.arguments[0], depth + 1) : undefined);
  }
  const name = storageName(ts, e);
  let own = name !== undefined && !ts.isStringLiteralLike(e) ? purposeOfName(name) : undefined;
  // `user.passwordHash` fed to a digest is already a hash (e.g. to bind a reset token to it): security data, not a password.
  if (own === 'password' && name && nameWords(name).some((w) => w === 'hash' || w === 'hashed' || w === 'digest')) own = 'secret';
  if (own || !ts.isIdentifier(e)) return own;
  const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isIdentifier(decl.name) && isConstDeclaration(ts, decl)) {
    return purposeOfInput(ctx, decl.initializer, depth + 1);
  }
  if (decl && ts.isBindingElement(decl) && ts.isIdentifier(decl.name)) {
    // const { password: pw } = req.body
    const key = decl.propertyName && ts.isIdentifier(decl.propertyName) ? decl.propertyName.text : undefined;
    return key ? purposeOfName(key) : undefined;
  }
  return undefined;
}

export function isConstDeclaration(ts: RuleContext['ts'], decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** The name of the function a `return` or arrow body belongs to: `function hashPassword()` → hashPassword. */
export function enclosingFunctionName(ts: RuleContext['ts'], node: ts.Node): string | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n)) {
      if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isFunctionExpression(n)) && n.name && !ts.isComputedPropertyName(n.name)) return storageName(ts, n.name);
      const holder = n.parent;
      if (holder && (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && !ts.isComputedPropertyName(holder.name)) {
        return ts.isIdentifier(holder.name) || ts.isStringLiteral(holder.name) ? holder.name.text : undefined;
      }
      return undefined;
    }
  }
  return undefined;
}
