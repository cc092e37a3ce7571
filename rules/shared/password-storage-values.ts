// What a value written to a password column is, for plaintext-password-storage: the
// password exactly as the client sent it (request data, or a parameter / DTO property
// named like a password), read through bindings and harmless string methods. A slow
// hash (bcrypt, argon2, scrypt, pbkdf2) — or anything else computed, such as a fast
// digest, which weak-crypto reports — is not a plain read, so it is never flagged.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { resolveCall, skipOuter } from './callee';
import { requestSourceOf } from './request-source';
import { nameWords } from './secret-names';
import { validatingCall } from './validation-libs';

export interface PlainPassword {
  /** Where the password entered: the request read, the parameter, the binding. */
  readonly origin: ts.Node;
  readonly label: string;
}

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'pw']);
const HASH_WORDS = new Set(['hash', 'hashed', 'digest']);
/** Words naming whose password it is: the user's own. */
const OWNER_WORDS = new Set(['user', 'account', 'login', 'member', 'customer', 'admin']);
/** Methods that give back the same password text. */
const SAME_TEXT = new Set(['trim', 'normalize', 'toString']);
const MAX_DEPTH = 8;

/**
 * A column for a user's login password: `password`, `userPassword`, `passwordHash`, `hashed_password`;
 * not `passwordResetToken`, and not `smtpPassword` (a third-party credential must stay readable: encrypt it).
 */
export function isPasswordColumn(name: string): boolean {
  const words = nameWords(name);
  if (!words.some((w) => PASSWORD_WORDS.has(w))) return false;
  return words.every((w) => PASSWORD_WORDS.has(w) || HASH_WORDS.has(w) || OWNER_WORDS.has(w));
}

/** Names of inputs that carry a password: the column names plus `secret` (`clientSecret` typed by a user). */
function isPasswordInputName(name: string): boolean {
  const words = nameWords(name);
  return PASSWORD_WORDS.has(words[words.length - 1] ?? '') || words[words.length - 1] === 'secret';
}

/** The password as the client sent it, if `expr` is one; undefined for anything computed or unknown. */
export function plainPasswordOf(ctx: RuleContext, expr: ts.Expression, depth = 0): PlainPassword | undefined {
  const { ts } = ctx;
  if (depth > MAX_DEPTH) return undefined;
  const e = skipOuter(ts, expr);
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(ts, e.expression);
    if (ts.isPropertyAccessExpression(callee) && SAME_TEXT.has(callee.name.text) && e.arguments.length <= 1) return plainPasswordOf(ctx, callee.expression, depth + 1);
    if (ts.isIdentifier(callee) && callee.text === 'String' && e.arguments.length === 1) return plainPasswordOf(ctx, e.arguments[0], depth + 1);
    return undefined;
  }
  if ((ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) && requestSourceOf(ctx, e)) {
    const source = requestSourceOf(ctx, e)!;
    return { origin: source.node, label: source.label };
  }
  if (ts.isPropertyAccessExpression(e)) {
    // dto.password of a parameter (a Nest @Body() DTO, a service method's input) or of a parsed body.
    if (!isPasswordInputName(e.name.text)) return undefined;
    const base = inputObjectOf(ctx, e.expression, depth + 1);
    return base && { origin: e, label: `${base.label}.${e.name.text}` };
  }
  if (!ts.isIdentifier(e) || isReassigned(ctx, e)) return undefined;
  const decl = symbolOf(ctx, e)?.valueDeclaration;
  if (!decl) return undefined;
  if (ts.isParameter(decl)) return isPasswordInputName(e.text) ? { origin: decl, label: e.text } : undefined;
  if (ts.isVariableDeclaration(decl) && decl.initializer) return plainPasswordOf(ctx, decl.initializer, depth + 1);
  if (ts.isBindingElement(decl)) {
    // const { password } = dto / = Body.parse(req.body) / async create({ password }: CreateUserDto)
    const key = decl.propertyName && ts.isIdentifier(decl.propertyName) ? decl.propertyName.text : e.text;
    if (!isPasswordInputName(key) || !ts.isObjectBindingPattern(decl.parent)) return undefined;
    const holder = decl.parent.parent;
    if (ts.isParameter(holder)) return { origin: decl, label: e.text };
    if (ts.isVariableDeclaration(holder) && holder.initializer) {
      const base = inputObjectOf(ctx, holder.initializer, depth + 1);
      return base && { origin: decl, label: `${base.label}.${key}` };
    }
  }
  return undefined;
}

/** An object the caller supplied: a parameter, request data, or a schema's parse of either (through `const`s). */
export function inputObjectOf(ctx: RuleContext, expr: ts.Expression, depth = 0): { label: string; fromRequest: boolean } | undefined {
  const { ts } = ctx;
  if (depth > MAX_DEPTH) return undefined;
  let e = skipOuter(ts, expr);
  if (ts.isAwaitExpression(e)) e = skipOuter(ts, e.expression);
  if (ts.isCallExpression(e)) return e.arguments[0] && validatingCall(ctx, e) ? inputObjectOf(ctx, e.arguments[0], depth + 1) : undefined;
  const source = requestSourceOf(ctx, e);
  if (source) return { label: source.label, fromRequest: true };
  if (!ts.isIdentifier(e)) return undefined;
  const decl = symbolOf(ctx, e)?.valueDeclaration;
  if (decl && ts.isParameter(decl)) return { label: e.text, fromRequest: false };
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer && !isReassigned(ctx, e)) return inputObjectOf(ctx, decl.initializer, depth + 1);
  return undefined;
}

/** The variable an identifier reads, also in shorthand `{ password }` (whose own symbol is the property). */
function symbolOf(ctx: RuleContext, id: ts.Identifier): ts.Symbol | undefined {
  const p = id.parent;
  if (ctx.ts.isShorthandPropertyAssignment(p) && p.name === id) return ctx.checker.getShorthandAssignmentValueSymbol(p);
  return ctx.checker.getSymbolAtLocation(id);
}

/** `pw = await bcrypt.hash(pw, 12)` after the declaration: what is stored is no longer the read value. */
function isReassigned(ctx: RuleContext, id: ts.Identifier): boolean {
  const { ts } = ctx;
  const symbol = symbolOf(ctx, id);
  const decl = symbol?.valueDeclaration;
  if (!symbol || !decl) return false;
  const scope = ts.findAncestor(decl, (n) => ts.isFunctionLike(n) && n !== decl) ?? decl.getSourceFile();
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(skipOuter(ts, n.left)) && ctx.checker.getSymbolAtLocation(skipOuter(ts, n.left)) === symbol) found = true;
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}

/** Whether `obj.<column> = …` is assigned anywhere in the function (e.g. `dto.password = await hash(dto.password)`). */
export function assignsMember(ctx: RuleContext, scope: ts.Node, symbol: ts.Symbol, column: string): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipOuter(ts, n.left);
      if (ts.isPropertyAccessExpression(left) && left.name.text === column && ts.isIdentifier(left.expression) && ctx.checker.getSymbolAtLocation(left.expression) === symbol) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}

// ---- slow hashes (used to read Mongoose pre-save hooks) ----

const SLOW_HASHES: Record<string, readonly string[]> = {
  bcrypt: ['hash', 'hashSync'],
  bcryptjs: ['hash', 'hashSync'],
  argon2: ['hash'],
  '@node-rs/argon2': ['hash', 'hashSync'],
  '@node-rs/bcrypt': ['hash', 'hashSync'],
  crypto: ['scrypt', 'scryptSync', 'pbkdf2', 'pbkdf2Sync'],
};

function isSlowHashCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const target = resolveCall(ctx, call);
  return !!target?.module && (SLOW_HASHES[target.module] ?? []).includes(target.name);
}

/** A body that calls a slow hash, directly or through a project function it calls (one level, also in another file). */
export function hashesWithSlowHash(ctx: RuleContext, body: ts.Node, depth = 0): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      if (isSlowHashCall(ctx, n)) found = true;
      else if (depth === 0) {
        const fn = projectFunction(ctx, n);
        if (fn?.body && hashesWithSlowHash(ctx, fn.body, depth + 1)) found = true;
      }
    }
    // promisify(scrypt) names the slow hash without calling it here.
    if (ts.isIdentifier(n) && !found && ts.isCallExpression(n.parent) && n.parent.arguments.includes(n)) {
      let s = ctx.checker.getSymbolAtLocation(n);
      if (s && s.flags & ts.SymbolFlags.Alias) s = ctx.checker.getAliasedSymbol(s);
      const file = s?.declarations?.[0]?.getSourceFile().fileName ?? '';
      if (s && ['scrypt', 'pbkdf2'].includes(s.name) && /\/@types\/node\//.test(file)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

function projectFunction(ctx: RuleContext, call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const name = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
  let symbol = name && ctx.checker.getSymbolAtLocation(name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  let decl: ts.Node | undefined = symbol?.valueDeclaration;
  if (!decl || decl.getSourceFile().fileName.includes('/node_modules/')) return undefined;
  if (ts.isVariableDeclaration(decl) && decl.initializer) decl = skipOuter(ts, decl.initializer);
  return decl && (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl) || ts.isArrowFunction(decl) || ts.isFunctionExpression(decl)) ? decl : undefined;
}
