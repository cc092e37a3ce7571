// Where an object's keys become a record's columns: the write methods of Mongoose,
// Prisma, TypeORM and Sequelize, `new Model(data)` of Mongoose, and `Object.assign`
// onto an ORM entity. Decided by what the call resolves to (the package and the class
// declaring the method), never by the receiver's name.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { isLibFile, packageOfFile, resolveCall, skipOuter } from '../../shared/callee';
import { shortText } from '../../shared/source-text';

export interface DataArgument {
  /** The expression whose keys are written. */
  readonly expr: ts.Expression;
  /** `User.create`, `prisma.user.update`, `Object.assign`. */
  readonly label: string;
}

/** Mongoose model methods → index of the argument holding the document's fields. */
const MONGOOSE_MODEL: Readonly<Record<string, number>> = {
  create: 0, insertMany: 0, findByIdAndUpdate: 1, findOneAndUpdate: 1, updateOne: 1, updateMany: 1, replaceOne: 1, findOneAndReplace: 1,
};
const MONGOOSE_DOCUMENT: Readonly<Record<string, number>> = { set: 0, overwrite: 0 };
/** TypeORM Repository / BaseEntity statics. `merge(entity, ...sources)` is handled apart. */
const TYPEORM_REPOSITORY: Readonly<Record<string, number>> = { save: 0, create: 0, insert: 0, update: 1, upsert: 0, preload: 0 };
/** EntityManager takes the entity class first: `manager.save(User, data)`. */
const TYPEORM_MANAGER: Readonly<Record<string, number>> = { save: 1, create: 1, insert: 1, update: 2, upsert: 1, preload: 1 };
/** Sequelize model statics and instance methods. */
const SEQUELIZE: Readonly<Record<string, number>> = { create: 0, build: 0, update: 0, upsert: 0, set: 0 };
const PRISMA_WRITES = new Set(['create', 'update', 'upsert', 'createMany', 'updateMany', 'createManyAndReturn', 'updateManyAndReturn']);
const PRISMA_DATA_KEYS = new Set(['data', 'create', 'update']);

/** The arguments of `node` whose keys an ORM writes to a record. */
export function dataArgumentsAt(ctx: RuleContext, node: ts.Node): DataArgument[] {
  const { ts } = ctx;
  if (ts.isNewExpression(node)) return node.arguments?.length === 1 && isMongooseModel(ctx, node.expression) ? [{ expr: node.arguments[0], label: `new ${shortText(ctx, node.expression)}` }] : [];
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return [];
  const callee = skipOuter(ts, node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return [];
  const method = callee.name.text;
  const label = shortText(ctx, callee);
  if (method === 'assign') return objectAssignTargets(ctx, node, label);
  if (!(method in MONGOOSE_MODEL || method in MONGOOSE_DOCUMENT || method in TYPEORM_REPOSITORY || method === 'merge' || method in SEQUELIZE || PRISMA_WRITES.has(method))) return [];
  const target = resolveCall(ctx, node);
  if (!target?.module) return [];
  const at = (index: number | undefined): DataArgument[] => {
    const arg = index === undefined ? undefined : node.arguments[index];
    return arg && !ts.isSpreadElement(arg) ? [{ expr: arg, label }] : [];
  };
  switch (target.module) {
    case 'mongoose':
      if (target.owner === 'Document') return node.arguments.length === 1 ? at(MONGOOSE_DOCUMENT[method]) : [];
      return target.owner === 'Model' || isMongooseModel(ctx, callee.expression) ? at(MONGOOSE_MODEL[method]) : [];
    case 'typeorm':
      if (method === 'merge') return node.arguments.slice(target.owner === 'EntityManager' ? 2 : 1).filter((a) => !ts.isSpreadElement(a)).map((expr) => ({ expr, label }));
      if (target.owner === 'EntityManager') return at(TYPEORM_MANAGER[method]);
      return target.owner === 'Repository' || target.owner === 'BaseEntity' ? at(TYPEORM_REPOSITORY[method]) : [];
    case 'sequelize':
      // `instance.set('name', value)` / `instance.update('name', value)` write one named field.
      return isStringTyped(ctx, node.arguments[0]) ? [] : at(SEQUELIZE[method]);
    case '@prisma/client':
      return PRISMA_WRITES.has(method) && target.memberPath.length >= 2 ? prismaData(ctx, node.arguments[0], label) : [];
    default:
      return [];
  }
}

function isStringTyped(ctx: RuleContext, e: ts.Expression): boolean {
  return !!(ctx.checker.getTypeAtLocation(e).flags & ctx.ts.TypeFlags.StringLike);
}

/** `{ data: … }`, and upsert's `{ create: …, update: … }`, of a Prisma write. */
function prismaData(ctx: RuleContext, arg: ts.Expression | undefined, label: string): DataArgument[] {
  const { ts } = ctx;
  const args = arg && skipOuter(ts, arg);
  if (!args || !ts.isObjectLiteralExpression(args)) return [];
  const out: DataArgument[] = [];
  for (const p of args.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && PRISMA_DATA_KEYS.has(p.name.text)) out.push({ expr: p.initializer, label });
    else if (ts.isShorthandPropertyAssignment(p) && PRISMA_DATA_KEYS.has(p.name.text)) out.push({ expr: p.name, label });
  }
  return out;
}

/** `Object.assign(user, data)` where `user` is an ORM entity: every source's keys land on it. */
function objectAssignTargets(ctx: RuleContext, call: ts.CallExpression, label: string): DataArgument[] {
  const { ts } = ctx;
  const receiver = skipOuter(ts, (skipOuter(ts, call.expression) as ts.PropertyAccessExpression).expression);
  if (!ts.isIdentifier(receiver) || receiver.text !== 'Object' || call.arguments.length < 2) return [];
  const decl = ctx.checker.getSymbolAtLocation(receiver)?.declarations?.[0];
  if (!decl || !isLibFile(decl.getSourceFile().fileName)) return [];
  if (!isOrmEntity(ctx, ctx.checker.getTypeAtLocation(call.arguments[0]))) return [];
  return call.arguments.slice(1).filter((a) => !ts.isSpreadElement(a)).map((expr) => ({ expr, label }));
}

function declaredInPackage(symbol: ts.Symbol | undefined, pkg: string, names?: readonly string[]): boolean {
  if (!symbol || (names && !names.includes(symbol.name))) return false;
  return (symbol.declarations ?? []).some((d) => packageOfFile(d.getSourceFile().fileName) === pkg);
}

/** A Mongoose `Model` (what `model('User', schema)` returns, or a `Model<T>` injection). */
function isMongooseModel(ctx: RuleContext, e: ts.Expression): boolean {
  const type = ctx.checker.getTypeAtLocation(e);
  const parts = type.isIntersection() ? type.types : [type];
  return parts.some((t) => declaredInPackage(t.getSymbol() ?? t.aliasSymbol, 'mongoose', ['Model']));
}

/** A Mongoose document, a Sequelize model instance, or an instance of a TypeORM `@Entity()` class. */
export function isOrmEntity(ctx: RuleContext, type: ts.Type, depth = 0): boolean {
  const { ts } = ctx;
  if (depth > 4) return false;
  if (type.isUnion()) return type.types.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined))).every((t) => isOrmEntity(ctx, t, depth + 1));
  if (type.isIntersection()) return type.types.some((t) => isOrmEntity(ctx, t, depth + 1));
  const symbol = type.getSymbol();
  if (declaredInPackage(symbol, 'mongoose', ['Document']) || declaredInPackage(symbol, 'sequelize', ['Model'])) return true;
  const cls = symbol?.declarations?.find(ts.isClassDeclaration);
  if (!cls) return false;
  if ((ts.getDecorators(cls) ?? []).some((d) => ts.isCallExpression(d.expression) && resolveCall(ctx, d.expression)?.module === 'typeorm' && calleeText(ts, d.expression.expression) === 'Entity')) return true;
  if (!(type.flags & ts.TypeFlags.Object) || !((type as ts.ObjectType).objectFlags & ts.ObjectFlags.ClassOrInterface)) return false;
  return ctx.checker.getBaseTypes(type as ts.InterfaceType).some((b) => isOrmEntity(ctx, b, depth + 1));
}

function calleeText(ts: RuleContext['ts'], e: ts.Expression): string | undefined {
  return ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
}
