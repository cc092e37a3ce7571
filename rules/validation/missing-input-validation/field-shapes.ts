// The shape a fix should declare for each field a handler reads, inferred from how the
// code uses it: its static type where the code already declares one (a DTO, Fastify
// generics), the type the checker expects where it is passed, comparisons, `typeof`
// tests, conversions and the methods called on it. Defaults and optional parameters
// make it optional.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { carriersOf, type Carrier, type FieldRead, type RequestData } from './sources';

export type FieldType =
  | { readonly kind: 'string' | 'number' | 'boolean' | 'unknown' }
  | { readonly kind: 'array'; readonly element: 'string' | 'number' | 'unknown' }
  | { readonly kind: 'enum'; readonly values: readonly string[] };

export interface FieldShape {
  readonly name: string;
  readonly type: FieldType;
  readonly optional: boolean;
}

const STRING_METHODS = new Set(['toLowerCase', 'toUpperCase', 'trim', 'trimStart', 'trimEnd', 'split', 'startsWith', 'endsWith', 'replace', 'replaceAll', 'padStart', 'padEnd', 'localeCompare', 'normalize', 'charAt', 'substring', 'toLocaleLowerCase', 'toLocaleUpperCase', 'match']);
const ARRAY_METHODS = new Set(['map', 'filter', 'forEach', 'every', 'some', 'reduce', 'join', 'flatMap', 'find', 'findIndex', 'sort']);
const NUMBER_OPERATORS = new Set<number>();

/**
 * One shape per field name, in the order the fields are first read. A field the code
 * only tests (`giftWrap === true`) and never uses is declared optional: the code
 * already copes with it being absent.
 */
export function fieldShapes(ctx: RuleContext, data: RequestData, reads: readonly FieldRead[], used: ReadonlySet<string>, fn: ts.Node): FieldShape[] {
  const byName = new Map<string, FieldRead[]>();
  for (const r of [...reads].sort((a, b) => a.node.getStart() - b.node.getStart())) byName.set(r.field, [...(byName.get(r.field) ?? []), r]);
  return [...byName].map(([name, rs]) => {
    const shape = shapeOf(ctx, data, name, rs, fn);
    return used.has(name) ? shape : { ...shape, optional: true };
  });
}

function shapeOf(ctx: RuleContext, data: RequestData, name: string, reads: readonly FieldRead[], fn: ts.Node): FieldShape {
  let type: FieldType | undefined;
  let optional = false;
  const consider = (t: { type?: FieldType; optional?: boolean } | undefined): void => {
    if (!t) return;
    if (t.optional) optional = true;
    if (!type && t.type) type = t.type;
  };
  // The type the code already declares for the read (a DTO property, Fastify generics).
  // Only a definite type counts here: Express's loose `ParsedQs` unions say nothing, not even "optional".
  for (const r of reads) {
    const declared = typeToShape(ctx, ctx.checker.getTypeAtLocation(r.isAccess ? r.node : declaredName(ctx, r.node)));
    if (declared?.type) consider(declared);
  }
  const carriers = reads.flatMap((r) => carriersOf(ctx, data, r, fn));
  for (const c of carriers) if (c.defaulted) optional = true;
  for (const c of carriers) if (!c.converted) consider(contextual(ctx, c));
  for (const c of carriers) consider(fromUse(ctx, c));
  return { name, type: type ?? { kind: 'string' }, optional };
}

/** Shapes of an object type's properties (a Fastify body generic, a DTO class used whole). */
export function shapesOfType(ctx: RuleContext, type: ts.Type): FieldShape[] {
  const { ts } = ctx;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown) || !(type.flags & ts.TypeFlags.Object)) return [];
  const out: FieldShape[] = [];
  for (const prop of ctx.checker.getPropertiesOfType(type)) {
    const decl = prop.valueDeclaration;
    if (!decl || !(ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl))) continue;
    const shape = typeToShape(ctx, ctx.checker.getTypeOfSymbol(prop));
    out.push({ name: prop.name, type: shape?.type ?? { kind: 'unknown' }, optional: !!(prop.flags & ts.SymbolFlags.Optional) || !!shape?.optional });
  }
  return out;
}

function declaredName(ctx: RuleContext, node: ts.Node): ts.Node {
  const { ts } = ctx;
  return ts.isBindingElement(node) || ts.isParameter(node) ? node.name : node;
}

function contextual(ctx: RuleContext, c: Carrier): { type?: FieldType; optional?: boolean } | undefined {
  const type = ctx.checker.getContextualType(c.expr);
  return type ? typeToShape(ctx, type) : undefined;
}

function typeToShape(ctx: RuleContext, type: ts.Type): { type?: FieldType; optional?: boolean } | undefined {
  const { ts } = ctx;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  if (type.isUnion()) {
    const rest = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)));
    const optional = rest.length < type.types.length;
    if (rest.length && rest.every((t) => t.isStringLiteral())) return { type: { kind: 'enum', values: rest.map((t) => (t as ts.StringLiteralType).value) }, optional };
    if (rest.length && rest.every((t) => t.flags & ts.TypeFlags.BooleanLike)) return { type: { kind: 'boolean' }, optional };
    if (rest.length === 1) return { ...typeToShape(ctx, rest[0]), optional };
    return optional ? { optional } : undefined;
  }
  if (type.flags & ts.TypeFlags.NumberLike) return { type: { kind: 'number' } };
  if (type.flags & ts.TypeFlags.StringLike) return { type: { kind: 'string' } };
  if (type.flags & ts.TypeFlags.BooleanLike) return { type: { kind: 'boolean' } };
  if (ctx.checker.isArrayType(type)) {
    const element = ctx.checker.getTypeArguments(type as ts.TypeReference)[0];
    const kind = element && element.flags & ts.TypeFlags.NumberLike ? 'number' : element && element.flags & ts.TypeFlags.StringLike ? 'string' : 'unknown';
    return { type: { kind: 'array', element: kind } };
  }
  return undefined;
}

/** What the surrounding code does with the value. */
function fromUse(ctx: RuleContext, c: Carrier): { type?: FieldType; optional?: boolean } | undefined {
  const { ts } = ctx;
  if (c.converted === 'Number' || c.converted === 'parseFloat') return { type: { kind: 'number' } };
  if (c.converted === 'parseInt') return { type: { kind: 'string' } };
  // Boolean(x) copes with a missing value.
  if (c.converted === 'Boolean') return { type: { kind: 'boolean' }, optional: true };
  if (c.converted) return undefined;
  const e = c.expr;
  const p = e.parent;
  if (ts.isPropertyAccessExpression(p) && p.expression === e) {
    if (p.questionDotToken) return { optional: true };
    const method = p.name.text;
    if (STRING_METHODS.has(method)) return { type: { kind: 'string' } };
    if (ARRAY_METHODS.has(method)) return { type: { kind: 'array', element: 'unknown' } };
    return undefined;
  }
  if (ts.isTypeOfExpression(p)) {
    const cmp = p.parent;
    if (ts.isBinaryExpression(cmp)) {
      const lit = skipOuter(ts, cmp.left === p ? cmp.right : cmp.left);
      if (ts.isStringLiteralLike(lit) && ['string', 'number', 'boolean'].includes(lit.text)) return { type: { kind: lit.text as 'string' | 'number' | 'boolean' } };
    }
    return undefined;
  }
  if (ts.isBinaryExpression(p)) {
    const op = p.operatorToken.kind;
    const other = skipOuter(ts, p.left === e ? p.right : p.left);
    if (isArithmetic(ts, op)) return { type: { kind: 'number' } };
    if (isComparison(ts, op) || isEquality(ts, op)) {
      if (ts.isNumericLiteral(other) || (ts.isPrefixUnaryExpression(other) && ts.isNumericLiteral(other.operand))) return { type: { kind: 'number' } };
      if (ts.isStringLiteralLike(other)) return { type: { kind: 'string' } };
      if (other.kind === ts.SyntaxKind.TrueKeyword || other.kind === ts.SyntaxKind.FalseKeyword) return { type: { kind: 'boolean' } };
      if (other.kind === ts.SyntaxKind.UndefinedKeyword || other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined')) return isEquality(ts, op) && !exits(ts, p) ? { optional: true } : undefined;
    }
    return undefined;
  }
  if (ts.isCallExpression(p) && p.arguments[0] === e && ts.isPropertyAccessExpression(p.expression) && ts.isIdentifier(p.expression.expression)) {
    const owner = p.expression.expression.text;
    const fn = p.expression.name.text;
    if (owner === 'Number' && (fn === 'isInteger' || fn === 'isFinite' || fn === 'isSafeInteger')) return { type: { kind: 'number' } };
    if (owner === 'Array' && fn === 'isArray') return { type: { kind: 'array', element: 'unknown' } };
  }
  return undefined;
}

/** `if (x === undefined) return …`: a required field's presence check, not a sign it is optional. */
function exits(ts: RuleContext['ts'], cmp: ts.Node): boolean {
  let n = cmp;
  while (ts.isParenthesizedExpression(n.parent) || ts.isBinaryExpression(n.parent)) n = n.parent;
  const stmt = n.parent;
  if (!ts.isIfStatement(stmt) || stmt.expression !== n) return false;
  const then = ts.isBlock(stmt.thenStatement) ? stmt.thenStatement.statements[stmt.thenStatement.statements.length - 1] : stmt.thenStatement;
  return !!then && (ts.isReturnStatement(then) || ts.isThrowStatement(then));
}

function isArithmetic(ts: RuleContext['ts'], op: ts.SyntaxKind): boolean {
  if (!NUMBER_OPERATORS.size) {
    for (const k of [ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.PercentToken, ts.SyntaxKind.AsteriskAsteriskToken]) NUMBER_OPERATORS.add(k);
  }
  return NUMBER_OPERATORS.has(op);
}

function isComparison(ts: RuleContext['ts'], op: ts.SyntaxKind): boolean {
  return op === ts.SyntaxKind.LessThanToken || op === ts.SyntaxKind.GreaterThanToken || op === ts.SyntaxKind.LessThanEqualsToken || op === ts.SyntaxKind.GreaterThanEqualsToken;
}

function isEquality(ts: RuleContext['ts'], op: ts.SyntaxKind): boolean {
  return op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
}
