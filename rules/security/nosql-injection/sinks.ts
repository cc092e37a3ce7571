// Where a query filter reaches MongoDB: the filter argument of Mongoose model methods
// (also `Model<T>`-typed Nest injections and `.where(filter)` on a model's query) and of
// the MongoDB driver's collections. A filter written as an object literal is taken apart:
// each field value is a sink of its own (an object there becomes an operator), `$where`,
// `$function`, `$accumulator` and `$expr` values are code, `$and`/`$or`/`$nor` are
// followed; any other filter expression is a sink as a whole.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { schemaOfModel } from '../../shared/schema/mongoose';
import { shortText } from '../../shared/source-text';
import { variableWrites } from '../../shared/string-building';
import type { Sink } from '../../taint';
import { isConstrainedType, isPrimitiveByConstruction } from './values';

export type NoSqlSinkForm = 'whole' | 'field' | 'code';

export interface NoSqlSinkData {
  readonly form: NoSqlSinkForm;
  /** `User.findOne`, `users.find`. */
  readonly label: string;
  /** The field a `field` sink filters on (`_id` for findById). */
  readonly field?: string;
  /**
   * A shorthand field (`{ email }`): the engine follows it only as part of its object literal, so
   * the sink's expr is the literal and the flows that matter are those through this property.
   */
  readonly shorthand?: ts.ShorthandPropertyAssignment;
  /** The Mongoose schema of the model, when known (the fix reads the field's type there). */
  readonly schema?: ts.NewExpression;
  /** The static type is a primitive, or an object of primitive fields (what a schema parse gives). */
  readonly constrained: boolean;
}

/** Methods whose first argument is a filter, on Mongoose models and on driver collections. */
const FILTER_METHODS = new Set([
  'find', 'findOne', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'findOneAndRemove', 'updateOne', 'updateMany',
  'deleteOne', 'deleteMany', 'countDocuments', 'count', 'exists', 'replaceOne', 'where', 'distinct',
]);
/** Mongoose methods taking an `_id` value: `findById(id)` is `findOne({ _id: id })`. */
const ID_METHODS = new Set(['findById', 'findByIdAndUpdate', 'findByIdAndDelete', 'findByIdAndRemove']);
const CODE_OPERATORS = new Set(['$where', '$function', '$accumulator', '$expr']);
const LOGICAL_OPERATORS = new Set(['$and', '$or', '$nor']);

export function noSqlSinksAt(ctx: RuleContext, node: ts.Node): Sink[] {
  const { ts } = ctx;
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return [];
  const callee = skipOuter(ts, node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return [];
  const method = callee.name.text;
  if (!FILTER_METHODS.has(method) && !ID_METHODS.has(method)) return [];
  const target = queryTarget(ctx, callee.expression, node);
  if (!target) return [];
  const label = `${shortText(ctx, callee.expression)}.${method}`;
  const arg = node.arguments[method === 'distinct' ? 1 : 0];
  if (!arg || ts.isSpreadElement(arg)) return [];
  if (ID_METHODS.has(method)) {
    if (target.driver !== 'mongoose') return [];
    return fieldSink(ctx, arg, { label, field: '_id', schema: target.schema });
  }
  // `.where('age')` names a path; only `.where({ … })` is a filter.
  if (method === 'where' && ts.isStringLiteralLike(skipOuter(ts, arg))) return [];
  return filterSinks(ctx, arg, label, target.schema, 0);
}

interface QueryTarget {
  readonly driver: 'mongoose' | 'mongodb';
  readonly schema?: ts.NewExpression;
}

/** The receiver is a Mongoose model (or a query made from one) or a driver collection. */
function queryTarget(ctx: RuleContext, receiver: ts.Expression, call: ts.CallExpression): QueryTarget | undefined {
  const { ts } = ctx;
  let root = skipOuter(ts, receiver);
  // `User.find().where({ … })`: a query chained on a model.
  while (ts.isCallExpression(root) && ts.isPropertyAccessExpression(skipOuter(ts, root.expression))) root = skipOuter(ts, (skipOuter(ts, root.expression) as ts.PropertyAccessExpression).expression);
  // The model's `model('User', schema)` is the cheap proof; asking the checker for its methods is slow.
  const model = schemaOfModel(ctx, root);
  if (model) return { driver: 'mongoose', schema: model.schema };
  if (isDeclaredAsMongooseModel(ctx, root)) return { driver: 'mongoose' };
  const resolved = resolveCall(ctx, call);
  if (resolved?.module === 'mongodb') return { driver: 'mongodb' };
  if (resolved?.module === 'mongoose') return { driver: 'mongoose' };
  return undefined;
}

/** `this.userModel` declared `Model<User>` (Nest's `@InjectModel`), a parameter `users: Model<IUser>`. */
function isDeclaredAsMongooseModel(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const name = ts.isPropertyAccessExpression(e) ? e.name : ts.isIdentifier(e) ? e : undefined;
  const decl = name && ctx.checker.getSymbolAtLocation(name)?.valueDeclaration;
  if (!decl || !(ts.isPropertyDeclaration(decl) || ts.isParameter(decl) || ts.isVariableDeclaration(decl)) || !decl.type) return false;
  if (!ts.isTypeReferenceNode(decl.type)) return false;
  const typeName = ts.isQualifiedName(decl.type.typeName) ? decl.type.typeName.right : decl.type.typeName;
  let symbol = ctx.checker.getSymbolAtLocation(typeName);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  return symbol?.name === 'Model' && (symbol.declarations ?? []).some((d) => d.getSourceFile().fileName.includes('/node_modules/mongoose/'));
}

/** The object literal a filter is written as: inline, or a `const` holding one. */
function filterLiteral(ctx: RuleContext, e: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (ts.isObjectLiteralExpression(x)) return x;
  if (!ts.isIdentifier(x)) return undefined;
  const decl = ctx.checker.getSymbolAtLocation(x)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl)) return undefined;
  const writes = variableWrites(ctx, decl);
  const only = writes?.length === 1 ? skipOuter(ts, writes[0]) : undefined;
  // A literal changed after it was written (`filter.role = …`) is not read field by field.
  return only && ts.isObjectLiteralExpression(only) && !isMutated(ctx, decl) ? only : undefined;
}

function isMutated(ctx: RuleContext, decl: ts.VariableDeclaration): boolean {
  const { ts } = ctx;
  const symbol = ctx.checker.getSymbolAtLocation(decl.name);
  const scope = ts.findAncestor(decl, ts.isFunctionLike) ?? decl.getSourceFile();
  let mutated = false;
  const visit = (n: ts.Node): void => {
    if (mutated) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && (ts.isPropertyAccessExpression(n.left) || ts.isElementAccessExpression(n.left))) {
      const base = skipOuter(ts, n.left.expression);
      if (ts.isIdentifier(base) && ctx.checker.getSymbolAtLocation(base) === symbol) mutated = true;
    }
    if (ts.isCallExpression(n) && n.arguments.some((a) => ts.isIdentifier(a) && ctx.checker.getSymbolAtLocation(a) === symbol) && skipOuter(ts, n.expression).getText() === 'Object.assign') mutated = true;
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return mutated;
}

function filterSinks(ctx: RuleContext, filter: ts.Expression, label: string, schema: ts.NewExpression | undefined, depth: number): Sink[] {
  const { ts } = ctx;
  const literal = depth < 4 ? filterLiteral(ctx, filter) : undefined;
  if (!literal) return [sink(ctx, filter, { form: 'whole', label, schema })];
  const out: Sink[] = [];
  const shorthand: ts.ShorthandPropertyAssignment[] = [];
  for (const p of literal.properties) {
    if (ts.isSpreadAssignment(p)) {
      out.push(sink(ctx, p.expression, { form: 'whole', label, schema }));
      continue;
    }
    if (ts.isShorthandPropertyAssignment(p)) {
      if (!p.name.text.startsWith('$') && !isPrimitiveByConstruction(ctx, p.name)) shorthand.push(p);
      continue;
    }
    if (!ts.isPropertyAssignment(p)) continue;
    const key = ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name) ? p.name.text : undefined;
    if (key === undefined) continue;
    const value = skipOuter(ts, p.initializer);
    if (CODE_OPERATORS.has(key)) out.push(sink(ctx, p.initializer, { form: 'code', label: `${label} (${key})`, schema }));
    else if (LOGICAL_OPERATORS.has(key)) {
      if (ts.isArrayLiteralExpression(value)) for (const el of value.elements) out.push(...(ts.isSpreadElement(el) ? [] : filterSinks(ctx, el, label, schema, depth + 1)));
      else out.push(sink(ctx, p.initializer, { form: 'whole', label, schema }));
    } else if (!key.startsWith('$')) out.push(...fieldSink(ctx, p.initializer, { label, field: key, schema }));
  }
  for (const p of shorthand) out.push(sink(ctx, literal, { form: 'field', label, field: p.name.text, shorthand: p, schema }));
  return out;
}

/**
 * A field's value. Operator objects written in the code (`{ $gt: x }`) compare with their
 * operand, and a sub-document literal matches exactly: neither lets a value become an operator.
 */
function fieldSink(ctx: RuleContext, value: ts.Expression, data: { label: string; field: string; schema?: ts.NewExpression }): Sink[] {
  const { ts } = ctx;
  const v = skipOuter(ts, value);
  if (ts.isObjectLiteralExpression(v) || ts.isArrayLiteralExpression(v) || isPrimitiveByConstruction(ctx, v)) return [];
  return [sink(ctx, value, { form: 'field', ...data })];
}

function sink(ctx: RuleContext, expr: ts.Expression, data: Omit<NoSqlSinkData, 'constrained'>): Sink {
  const typed = data.shorthand ? data.shorthand.name : expr;
  const constrained = isConstrainedType(ctx, ctx.checker.getTypeAtLocation(typed));
  return { expr, label: data.label, data: { ...data, constrained } satisfies NoSqlSinkData };
}
