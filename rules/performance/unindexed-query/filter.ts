// Reading a query's filter object (`where: { … }`, a Mongo filter) into the fields
// it constrains and how: equality or range (an index serves both), or not in a
// way an index serves (`not`, `contains`, `$ne`). What cannot be seen — spreads,
// computed keys, OR branches, a filter built elsewhere — makes the filter
// opaque, and an opaque filter is never reported.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';

export type FieldUse = 'equality' | 'range';

export interface FilterField {
  readonly name: string;
  readonly use: FieldUse;
  readonly value: ts.Expression;
}

export interface Filter {
  readonly fields: readonly FilterField[];
  /** Parts of the filter we cannot read; they might constrain an indexed field. */
  readonly opaque: boolean;
}

/** What one key of a filter object means, decided by the ORM's dialect. */
export type KeyMeaning =
  | { readonly kind: 'field'; readonly use: FieldUse }
  | { readonly kind: 'ignore' }
  | { readonly kind: 'and'; readonly parts: readonly ts.Expression[] }
  | { readonly kind: 'opaque' };

export type Classify = (key: string, value: ts.Expression) => KeyMeaning;

const MAX_DEPTH = 6;

/** The variable an identifier reads (for `{ where }`, the variable, not the property). */
export function valueSymbol(ctx: RuleContext, id: ts.Identifier): ts.Symbol | undefined {
  const p = id.parent;
  if (p && ctx.ts.isShorthandPropertyAssignment(p) && p.name === id) return ctx.checker.getShorthandAssignmentValueSymbol(p);
  return ctx.checker.getSymbolAtLocation(id);
}

/** The property itself when its value is an object literal written in place (what a finding underlines). */
export function inlineObjectProperty(ctx: RuleContext, found: { value: ts.Expression; node: ts.ObjectLiteralElementLike } | undefined): ts.Node | undefined {
  return found && ctx.ts.isObjectLiteralExpression(skipOuter(ctx.ts, found.value)) ? found.node : undefined;
}

/** The argument itself when it is an object literal written in place. */
export function inlineObject(ctx: RuleContext, arg: ts.Expression | undefined): ts.Node | undefined {
  return arg && ctx.ts.isObjectLiteralExpression(skipOuter(ctx.ts, arg)) ? arg : undefined;
}

/** The object literal an expression is, following a `const` with an object initializer. */
export function objectLiteralOf(ctx: RuleContext, expr: ts.Expression | undefined, depth = 0): ts.ObjectLiteralExpression | undefined {
  const { ts } = ctx;
  if (!expr || depth > 3) return undefined;
  const e = skipOuter(ts, expr);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (!ts.isIdentifier(e)) return undefined;
  const decl = valueSymbol(ctx, e)?.declarations?.[0];
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isIdentifier(decl.name)) return undefined;
  // Only a `const` keeps the literal it was given.
  if (!(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return undefined;
  return objectLiteralOf(ctx, decl.initializer, depth + 1);
}

/** The value of property `key` of an object literal (shorthand `{ where }` gives the identifier). */
export function propertyValue(ctx: RuleContext, obj: ts.ObjectLiteralExpression, key: string): { value: ts.Expression; node: ts.ObjectLiteralElementLike } | undefined {
  const { ts } = ctx;
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && propertyKey(ctx, p) === key) return { value: p.initializer, node: p };
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return { value: p.name, node: p };
  }
  return undefined;
}

/** True when the object literal may hold keys we cannot see (a spread). */
export function hasSpread(ctx: RuleContext, obj: ts.ObjectLiteralExpression): boolean {
  return obj.properties.some((p) => ctx.ts.isSpreadAssignment(p));
}

export function propertyKey(ctx: RuleContext, p: ts.ObjectLiteralElementLike): string | undefined {
  const { ts } = ctx;
  const n = p.name;
  if (!n) return undefined;
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
  if (ts.isComputedPropertyName(n) && ts.isStringLiteralLike(n.expression)) return n.expression.text;
  return undefined;
}

/** Reads a filter expression; undefined when it is not an object we can see at all. */
export function readFilter(ctx: RuleContext, expr: ts.Expression, classify: Classify): Filter | undefined {
  const obj = objectLiteralOf(ctx, expr);
  if (!obj) return undefined;
  const fields: FilterField[] = [];
  let opaque = false;
  const walk = (o: ts.ObjectLiteralExpression, depth: number): void => {
    const { ts } = ctx;
    for (const p of o.properties) {
      const key = propertyKey(ctx, p);
      if (key === undefined || ts.isSpreadAssignment(p) || !(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p))) {
        opaque = true;
        continue;
      }
      const value = ts.isPropertyAssignment(p) ? p.initializer : p.name;
      const meaning = classify(key, value);
      if (meaning.kind === 'field') fields.push({ name: key, use: meaning.use, value });
      else if (meaning.kind === 'opaque') opaque = true;
      else if (meaning.kind === 'and') {
        for (const part of meaning.parts) {
          const sub = objectLiteralOf(ctx, part);
          if (sub && depth < MAX_DEPTH) walk(sub, depth + 1);
          else opaque = true;
        }
      }
    }
  };
  walk(obj, 0);
  return { fields, opaque };
}

/** The sub-filters of an AND combinator's value: an array of objects, or one object. */
export function andParts(ctx: RuleContext, value: ts.Expression): ts.Expression[] | undefined {
  const e = skipOuter(ctx.ts, value);
  if (ctx.ts.isArrayLiteralExpression(e)) return e.elements.some((x) => ctx.ts.isSpreadElement(x)) ? undefined : [...e.elements];
  if (ctx.ts.isObjectLiteralExpression(e)) return [e];
  return undefined;
}

/**
 * The order a compound index should take: equality fields first, then the sort field, then ranges
 * (MongoDB's "ESR" guideline, and what lets a B-tree return a first page without sorting): rows
 * equal on the leading columns come out ordered by the next one, so the sort must follow the
 * equalities directly; a range there would scatter the order. A range on the sort field itself is
 * that field.
 */
export function indexOrder(names: readonly { name: string; use: FieldUse }[], sort?: string): string[] {
  const out: string[] = [];
  for (const n of names) if (n.use === 'equality' && !out.includes(n.name)) out.push(n.name);
  if (sort !== undefined && !out.includes(sort)) out.push(sort);
  for (const n of names) if (n.use === 'range' && !out.includes(n.name)) out.push(n.name);
  return out;
}

/**
 * The one scalar field a paginated query sorts on: `orderBy: { createdAt: 'desc' }` (Prisma, also
 * as the first of an array), `order: { createdAt: 'DESC' }` (TypeORM), `order: [['createdAt',
 * 'DESC']]` (Sequelize), only when one of `limitKeys` bounds the page. Several sort keys, a sort
 * through a relation or a computed one give undefined.
 */
export function paginatedSort(ctx: RuleContext, args: ts.ObjectLiteralExpression, orderKey: string, limitKeys: readonly string[]): { name: string; value: ts.Expression } | undefined {
  const { ts } = ctx;
  if (!limitKeys.some((k) => propertyValue(ctx, args, k))) return undefined;
  const order = propertyValue(ctx, args, orderKey);
  if (!order) return undefined;
  let first: ts.Expression | undefined = skipOuter(ts, order.value);
  if (ts.isArrayLiteralExpression(first)) {
    if (first.elements.length !== 1) return undefined;
    first = skipOuter(ts, first.elements[0]);
    // Sequelize: [['createdAt', 'DESC']] or ['createdAt'].
    if (ts.isArrayLiteralExpression(first)) {
      const [field, dir] = first.elements;
      const column = field && skipOuter(ts, field);
      if (!column || !ts.isStringLiteralLike(column) || first.elements.length > 2 || (dir && !ts.isStringLiteralLike(skipOuter(ts, dir)))) return undefined;
      return column.text.includes('.') ? undefined : { name: column.text, value: column };
    }
    if (ts.isStringLiteralLike(first)) return first.text.includes('.') ? undefined : { name: first.text, value: first };
  }
  if (!first || !ts.isObjectLiteralExpression(first) || first.properties.length !== 1) return undefined;
  const p = first.properties[0];
  if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name)) return undefined;
  const dir = skipOuter(ts, p.initializer);
  // `{ author: { name: 'asc' } }` sorts through a relation.
  const plain = ts.isStringLiteralLike(dir) || ts.isNumericLiteral(dir) || (ts.isPrefixUnaryExpression(dir) && ts.isNumericLiteral(dir.operand));
  return plain ? { name: p.name.text, value: p.initializer } : undefined;
}
