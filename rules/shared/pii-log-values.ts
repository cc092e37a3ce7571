// What makes a logged value sensitive (CWE-532): a credential or payment/identity value
// named so (`password`, `accessToken`, `req.headers.authorization`, `{ cvv }`), a whole
// request body/headers/cookies object, or a whole object whose type carries credential
// fields (a User entity with `password`). Names are only a signal: the value must also be
// the raw value — not a call (hashing, masking), not a number, boolean or constant.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { isLibFile, skipOuter } from './callee';
import { requestPartOf } from './http';
import { nameWords } from './secret-names';

/** A sensitive value found inside a log call's argument. */
export interface SensitiveValue {
  readonly node: ts.Expression;
  /** How the message names it: `user.password`, `req.body`. */
  readonly label: string;
  /** Why: 'secret' (a credential by name), 'request' (a whole request part), 'object' (an object with credential fields). */
  readonly kind: 'secret' | 'request' | 'object';
  /** Key path inside the logged object (pino merging object), for redact matching; [] when the argument itself. */
  readonly path: readonly string[];
  /** Paths, relative to `path`, that hold the sensitive data (the credential fields of an object). */
  readonly fields: readonly string[];
}

/** Compound names whose words end the name: `credit card`, `card number`, `api key`. */
const SECRET_TAILS: readonly (readonly string[])[] = [
  ['password'], ['passwd'], ['passphrase'], ['secret'], ['token'], ['apikey'], ['api', 'key'], ['private', 'key'],
  ['authorization'], ['cookie'], ['cookies'], ['credit', 'card'], ['creditcard'], ['card', 'number'], ['cardnumber'],
  ['cvv'], ['cvc'], ['ssn'], ['iban'], ['secret', 'key'],
];

/** True when the name's last word(s) name a credential or a payment/identity number. */
export function isSensitiveName(name: string): boolean {
  const words = nameWords(name);
  return SECRET_TAILS.some((tail) => tail.length <= words.length && tail.every((w, i) => words[words.length - tail.length + i] === w));
}

/** A field that makes a whole object sensitive to log: its name holds a credential word anywhere (`passwordHash` too). */
function isCredentialField(name: string): boolean {
  const words = nameWords(name);
  if (isSensitiveName(name)) return true;
  return words.some((w) => w === 'password' || w === 'passwd' || w === 'ssn' || w === 'cvv' || w === 'iban');
}

const MASKING_WORDS = new Set(['mask', 'masked', 'redact', 'redacted', 'hash', 'hashed', 'digest', 'fingerprint', 'obfuscate', 'obfuscated', 'truncate', 'anonymize', 'anonymise', 'last4']);

/** Sensitive values inside one log-call argument. */
export function sensitiveValuesIn(ctx: RuleContext, arg: ts.Expression): SensitiveValue[] {
  const out: SensitiveValue[] = [];
  collect(ctx, arg, [], undefined, out, 0);
  return out;
}

function collect(ctx: RuleContext, expr: ts.Expression, path: readonly string[], keyName: string | undefined, out: SensitiveValue[], depth: number): void {
  const { ts } = ctx;
  if (depth > 6) return;
  const e = skipOuter(ts, expr);
  if (ts.isObjectLiteralExpression(e)) {
    for (const p of e.properties) {
      if (ts.isShorthandPropertyAssignment(p)) collect(ctx, p.name, [...path, p.name.text], p.name.text, out, depth + 1);
      else if (ts.isPropertyAssignment(p)) {
        const key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : undefined;
        if (key !== undefined) collect(ctx, p.initializer, [...path, key], key, out, depth + 1);
      } else if (ts.isSpreadAssignment(p)) collect(ctx, p.expression, path, undefined, out, depth + 1);
    }
    return;
  }
  if (ts.isTemplateExpression(e)) {
    for (const span of e.templateSpans) collect(ctx, span.expression, path, undefined, out, depth + 1);
    return;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    collect(ctx, e.left, path, undefined, out, depth + 1);
    collect(ctx, e.right, path, undefined, out, depth + 1);
    return;
  }
  // JSON.stringify(user) writes the same fields as the object itself.
  if (ts.isCallExpression(e) && isJsonStringify(ctx, e) && e.arguments[0]) {
    collect(ctx, e.arguments[0], path, keyName, out, depth + 1);
    return;
  }
  if (!(ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e))) return;
  const found = classify(ctx, e, path, keyName);
  if (found) out.push(found);
}

function classify(ctx: RuleContext, e: ts.Identifier | ts.PropertyAccessExpression | ts.ElementAccessExpression, path: readonly string[], keyName: string | undefined): SensitiveValue | undefined {
  const { ts } = ctx;
  const type = ctx.checker.getTypeAtLocation(e);
  if (isHarmlessType(ctx, type)) return undefined;
  const label = e.getText(ctx.sourceFile).replace(/\s+/g, '');
  const own = ownName(ctx, e);
  if (ts.isPropertyAccessExpression(e)) {
    const part = requestPartOf(ctx, e);
    if ((part === 'body' || part === 'headers' || part === 'cookies') && e.name.text === part) return { node: e, label, kind: 'request', path, fields: [] };
  }
  if ((own !== undefined && isSensitiveName(own)) || (keyName !== undefined && isSensitiveName(keyName))) {
    if (isMaskedBinding(ctx, e) || (keyName !== undefined && nameWords(keyName).some((w) => MASKING_WORDS.has(w)))) return undefined;
    return { node: e, label, kind: 'secret', path, fields: [] };
  }
  const fields = credentialFieldsOf(ctx, type);
  if (fields.length > 0) return { node: e, label, kind: 'object', path, fields };
  return undefined;
}

function isJsonStringify(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'stringify' || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'JSON') return false;
  const decls = ctx.checker.getSymbolAtLocation(callee.expression)?.declarations ?? [];
  return decls.some((d) => isLibFile(d.getSourceFile().fileName));
}

/** The name a value goes by: the variable, the property read, or a constant element key. */
function ownName(ctx: RuleContext, e: ts.Expression): string | undefined {
  const { ts } = ctx;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) return e.argumentExpression.text;
  return undefined;
}

/** Numbers, booleans, literal constants and absent values reveal no secret (`password.length`, `!!token`). */
function isHarmlessType(ctx: RuleContext, type: ts.Type): boolean {
  const { ts } = ctx;
  const harmless = ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.StringLiteral | ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void | ts.TypeFlags.Never;
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => (t.flags & harmless) !== 0);
}

/** `const token = maskToken(raw)` / `const secret = hash(value)`: the variable already holds a masked form. */
function isMaskedBinding(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (!ts.isIdentifier(e)) return false;
  const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return false;
  let init = skipOuter(ts, decl.initializer);
  if (ts.isAwaitExpression(init)) init = skipOuter(ts, init.expression);
  for (let c: ts.Expression = init; ts.isCallExpression(c) || ts.isPropertyAccessExpression(c); c = c.expression) {
    const name = ts.isCallExpression(c) ? undefined : c.name.text;
    const callee = ts.isCallExpression(c) && ts.isIdentifier(c.expression) ? c.expression.text : name;
    if (callee && (nameWords(callee).some((w) => MASKING_WORDS.has(w)) || callee === 'createHash' || callee === 'createHmac')) return true;
  }
  return false;
}

/**
 * Credential fields of a project-declared object type (an entity, a model, a DTO) or of a
 * Prisma model; library objects (a request, an axios config) are left to the other checks.
 */
function credentialFieldsOf(ctx: RuleContext, type: ts.Type): string[] {
  const { ts } = ctx;
  const elem = ctx.checker.isArrayType(type) ? ctx.checker.getTypeArguments(type as ts.TypeReference)[0] : type;
  if (!elem || !(elem.flags & ts.TypeFlags.Object) || elem.getCallSignatures().length > 0) return [];
  const symbol = elem.getSymbol() ?? elem.aliasSymbol;
  const decl = symbol?.declarations?.[0];
  if (!decl) return [];
  const file = decl.getSourceFile().fileName;
  if (file.includes('/node_modules/') && !file.includes('/node_modules/.prisma/')) return [];
  // `passwordChangedAt: Date` or `tokenCount: number` hold no credential: only string fields count.
  return ctx.checker
    .getPropertiesOfType(elem)
    .filter((p) => isCredentialField(p.name) && holdsString(ctx, ctx.checker.getTypeOfSymbol(p)))
    .map((p) => p.name);
}

function holdsString(ctx: RuleContext, type: ts.Type): boolean {
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((t) => (t.flags & (ctx.ts.TypeFlags.String | ctx.ts.TypeFlags.Any)) !== 0);
}
