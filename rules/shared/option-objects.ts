// Options objects read as far as the code states them — an inline literal or a `const`
// nothing mutates; anything else (a parameter, a spread, a computed key) is unknown, and
// unknown means the rule stays silent — and a property added to one in its own layout.
import type { ts } from 'ts-morph';
import type { FileEdit, RuleContext } from '../api';
import { skipOuter } from './callee';
import { unchangedConstInitializer } from './constant-values';

export type PropertyLookup =
  | { readonly found: true; readonly value: ts.Expression; readonly property: ts.ObjectLiteralElementLike }
  | { readonly found: false }
  | undefined; // unknown

/** The object literal an options expression certainly is, or undefined. */
export function objectLiteralOf(ctx: RuleContext, expr: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  if (!expr) return undefined;
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (ts.isIdentifier(e)) {
    const init = unchangedConstInitializer(ctx, e);
    const inner = init && skipOuter(ts, init);
    return inner && ts.isObjectLiteralExpression(inner) ? inner : undefined;
  }
  return undefined;
}

/** The value of property `name`; `{ found: false }` only when the literal certainly lacks it. */
export function propertyOf(ctx: RuleContext, obj: ts.ObjectLiteralExpression, name: string): PropertyLookup {
  const { ts } = ctx;
  let unknown = false;
  for (const p of obj.properties) {
    if (ts.isSpreadAssignment(p)) unknown = true;
    const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : undefined);
    if (p.name && key === undefined) unknown = true;
    if (key !== name) continue;
    if (ts.isPropertyAssignment(p)) return { found: true, value: p.initializer, property: p };
    if (ts.isShorthandPropertyAssignment(p)) return { found: true, value: p.name, property: p };
    return undefined;
  }
  return unknown ? undefined : { found: false };
}

/** True when the expression is `Infinity` / `Number.POSITIVE_INFINITY` / `Number.MAX_SAFE_INTEGER`: no limit at all. */
export function isUnbounded(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (ts.isIdentifier(e)) return e.text === 'Infinity' && isGlobalValue(ctx, e);
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Number') {
    return ['POSITIVE_INFINITY', 'MAX_SAFE_INTEGER', 'MAX_VALUE'].includes(e.name.text) && isGlobalValue(ctx, e.expression);
  }
  return false;
}

function isGlobalValue(ctx: RuleContext, id: ts.Identifier): boolean {
  const decl = ctx.checker.getSymbolAtLocation(id)?.declarations?.[0];
  return !!decl && decl.getSourceFile().fileName.includes('/typescript/lib/');
}

/** Adds `text` as the last property, following the literal's layout (one line or one property a line). */
export function insertProperty(ctx: RuleContext, obj: ts.ObjectLiteralExpression, text: string): FileEdit {
  const sf = obj.getSourceFile();
  const fileName = sf.fileName;
  const props = obj.properties;
  if (props.length === 0) {
    return { fileName, start: obj.getStart(sf), end: obj.getEnd(), newText: `{ ${text} }` };
  }
  const last = props[props.length - 1];
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line;
  const multiline = lineOf(obj.getStart(sf)) !== lineOf(last.getStart(sf));
  if (!multiline) return { fileName, start: last.getEnd(), end: last.getEnd(), newText: `, ${text}` };
  const lineStart = sf.getPositionOfLineAndCharacter(lineOf(last.getStart(sf)), 0);
  const indent = /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
  if (props.hasTrailingComma) {
    const comma = sf.text.indexOf(',', last.getEnd());
    return { fileName, start: comma + 1, end: comma + 1, newText: `\n${indent}${text},` };
  }
  return { fileName, start: last.getEnd(), end: last.getEnd(), newText: `,\n${indent}${text}` };
}
