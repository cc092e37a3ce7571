// Personal data inside a value sent to a third party: a field named as personal data
// (`email`, `phoneNumber`, `firstName`, `ipAddress`, `dateOfBirth`, `address`, and the
// credentials/identity numbers of pii-log-values: `ssn`, `cardNumber`…), a whole request
// body, or a whole object whose project-declared type carries such fields (a User).
// Names are a signal only on raw values: a call (`hash(email)`), a number, a boolean or a
// constant is not personal data, and masking words (`hashedEmail`) clear a name.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { skipOuter } from './callee';
import { requestPartOf } from './http';
import { isSensitiveName } from './pii-log-values';
import { nameWords } from './secret-names';

export interface PersonalValue {
  readonly node: ts.Expression;
  /** `user.email`, `req.body`, `user`. */
  readonly label: string;
  /** 'field': named as personal data; 'object': a whole object with personal fields; 'request': a whole body. */
  readonly kind: 'field' | 'object' | 'request';
  /** The property assignment carrying it, when it is one (the fix removes it). */
  readonly property?: ts.ObjectLiteralElementLike;
  /** The personal fields of a whole object. */
  readonly fields: readonly string[];
}

/** Last word(s) of a name that make it personal data. */
const PII_TAILS: readonly (readonly string[])[] = [
  ['email'], ['mail'], ['phone'], ['mobile'], ['telephone'], ['phone', 'number'], ['phonenumber'],
  ['first', 'name'], ['last', 'name'], ['full', 'name'], ['given', 'name'], ['family', 'name'], ['surname'],
  ['firstname'], ['lastname'], ['fullname'], ['address'], ['street'], ['postcode'], ['zip'], ['zipcode'], ['postal', 'code'],
  ['ip'], ['ipaddress'], ['dob'], ['birthdate'], ['birthday'], ['date', 'of', 'birth'], ['birth', 'date'],
];
/** Names that are personal data only on an object that has other personal fields (`user.name`, not `plan.name`). */
const CONTEXTUAL_NAMES = new Set(['name', 'username', 'displayname']);
const MASKING_WORDS = new Set(['hash', 'hashed', 'digest', 'masked', 'mask', 'anonymized', 'anonymised', 'anonymous', 'redacted', 'domain', 'verified', 'count', 'id', 'ids']);

export function isPersonalName(name: string): boolean {
  const words = nameWords(name);
  if (words.some((w) => MASKING_WORDS.has(w))) return false;
  return isSensitiveName(name) || PII_TAILS.some((tail) => tail.length <= words.length && tail.every((w, i) => words[words.length - tail.length + i] === w));
}

/** Personal values inside one argument of a third-party call. */
export function personalValuesIn(ctx: RuleContext, arg: ts.Expression): PersonalValue[] {
  const out: PersonalValue[] = [];
  collect(ctx, arg, undefined, undefined, out, 0);
  return out;
}

function collect(ctx: RuleContext, expr: ts.Expression, keyName: string | undefined, property: ts.ObjectLiteralElementLike | undefined, out: PersonalValue[], depth: number): void {
  const { ts } = ctx;
  if (depth > 6) return;
  const e = skipOuter(ts, expr);
  if (ts.isObjectLiteralExpression(e)) {
    for (const p of e.properties) {
      if (ts.isShorthandPropertyAssignment(p)) collect(ctx, p.name, p.name.text, p, out, depth + 1);
      else if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) collect(ctx, p.initializer, p.name.text, p, out, depth + 1);
      else if (ts.isSpreadAssignment(p)) collect(ctx, p.expression, undefined, undefined, out, depth + 1);
    }
    return;
  }
  if (ts.isTemplateExpression(e)) {
    for (const span of e.templateSpans) collect(ctx, span.expression, undefined, undefined, out, depth + 1);
    return;
  }
  if (!(ts.isIdentifier(e) || ts.isPropertyAccessExpression(e))) return;
  const found = classify(ctx, e, keyName, property);
  if (found) out.push(found);
}

function classify(ctx: RuleContext, e: ts.Identifier | ts.PropertyAccessExpression, keyName: string | undefined, property: ts.ObjectLiteralElementLike | undefined): PersonalValue | undefined {
  const { ts } = ctx;
  const type = ctx.checker.getTypeAtLocation(e);
  if (isHarmlessType(ctx, type)) return undefined;
  const label = e.getText(ctx.sourceFile).replace(/\s+/g, '');
  const own = ts.isIdentifier(e) ? e.text : e.name.text;
  if (keyName !== undefined && nameWords(keyName).some((w) => MASKING_WORDS.has(w)) && !isPersonalName(own)) return undefined;
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'body' && requestPartOf(ctx, e) === 'body') return { node: e, label, kind: 'request', property, fields: [] };
  if (isPersonalName(own) || (keyName !== undefined && isPersonalName(keyName) && !isMaskedValue(own))) return { node: e, label, kind: 'field', property, fields: [] };
  if (ts.isPropertyAccessExpression(e) && CONTEXTUAL_NAMES.has(own.toLowerCase()) && personalFieldsOf(ctx, ctx.checker.getTypeAtLocation(e.expression)).length > 0) {
    return { node: e, label, kind: 'field', property, fields: [] };
  }
  const fields = personalFieldsOf(ctx, type);
  return fields.length > 0 ? { node: e, label, kind: 'object', property, fields } : undefined;
}

function isMaskedValue(name: string): boolean {
  return nameWords(name).some((w) => MASKING_WORDS.has(w));
}

function isHarmlessType(ctx: RuleContext, type: ts.Type): boolean {
  const { ts } = ctx;
  const harmless = ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.StringLiteral | ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void | ts.TypeFlags.Never;
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => (t.flags & harmless) !== 0);
}

/** String fields named as personal data on a project-declared object type (an entity, a DTO, a Prisma model). */
export function personalFieldsOf(ctx: RuleContext, type: ts.Type): string[] {
  const { ts } = ctx;
  if (!(type.flags & ts.TypeFlags.Object) || type.getCallSignatures().length > 0) return [];
  const decl = (type.getSymbol() ?? type.aliasSymbol)?.declarations?.[0];
  if (!decl) return [];
  const file = decl.getSourceFile().fileName;
  if (file.includes('/node_modules/') && !file.includes('/node_modules/.prisma/')) return [];
  return ctx.checker
    .getPropertiesOfType(type)
    .filter((p) => isPersonalName(p.name) && holdsString(ctx, ctx.checker.getTypeOfSymbol(p)))
    .map((p) => p.name);
}

function holdsString(ctx: RuleContext, type: ts.Type): boolean {
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((t) => (t.flags & (ctx.ts.TypeFlags.StringLike | ctx.ts.TypeFlags.Any)) !== 0);
}
