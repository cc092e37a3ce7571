// Calls that write a record to storage, for plaintext-password-storage: Prisma, TypeORM,
// Sequelize, Mongoose, the MongoDB driver and knex, recognised by the package the call
// resolves to. For each, the expressions holding the written record(s), and for Mongoose
// the model, whose schema may hash passwords in a `pre('save')` hook.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { resolveCall, skipOuter } from './callee';
import { shortText } from './source-text';

export interface StorageWrite {
  readonly node: ts.CallExpression | ts.NewExpression;
  /** How to name it in a message: `prisma.user.create`. */
  readonly label: string;
  /** The written values: object literals, arrays of them, or entity/document variables. */
  readonly records: readonly ts.Expression[];
  /** The Mongoose model written through, when the write goes through one. */
  readonly mongooseModel?: ts.Expression;
}

/** Per package, the write methods and which argument holds the record. */
const WRITES: Record<string, Record<string, number>> = {
  '@prisma/client': { create: 0, createMany: 0, update: 0, updateMany: 0, upsert: 0 },
  typeorm: { save: 0, insert: 0, create: 0, update: 1, upsert: 0 },
  sequelize: { create: 0, bulkCreate: 0, build: 0, update: 0, upsert: 0 },
  mongoose: { create: 0, insertMany: 0, updateOne: 1, updateMany: 1, findOneAndUpdate: 1, findByIdAndUpdate: 1, replaceOne: 1 },
  mongodb: { insertOne: 0, insertMany: 0, updateOne: 1, updateMany: 1, replaceOne: 1, findOneAndUpdate: 1, findOneAndReplace: 1 },
  knex: { insert: 0, update: 0 },
};
const PRISMA_DATA_KEYS = new Set(['data', 'create', 'update']);

export function storageWriteOf(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression): StorageWrite | undefined {
  const { ts } = ctx;
  const args = call.arguments ?? [];
  const label = shortText(ctx, call.expression);
  if (ts.isNewExpression(call)) {
    // new User({ ... }) of a Mongoose model (also one imported from another file): a document built to be saved.
    return args[0] && constructsMongooseModel(ctx, call) && savedLater(ctx, call) ? { node: call, label: `new ${label}`, records: [args[0]], mongooseModel: call.expression } : undefined;
  }
  const target = resolveCall(ctx, call);
  if (!target?.module) return undefined;
  const callee = skipOuter(ts, call.expression);
  const receiver = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
  if (target.module === 'mongoose' && target.name === 'save' && receiver) {
    const model = documentModel(ctx, receiver);
    return { node: call, label, records: [receiver], mongooseModel: model };
  }
  const index = WRITES[target.module]?.[target.name];
  if (index === undefined || !args[index]) return undefined;
  const arg = args[index];
  if (target.module === '@prisma/client') return { node: call, label, records: prismaData(ctx, arg) };
  return { node: call, label, records: [arg], mongooseModel: target.module === 'mongoose' ? receiver : undefined };
}

function constructsMongooseModel(ctx: RuleContext, created: ts.NewExpression): boolean {
  if (resolveCall(ctx, created)?.module === 'mongoose') return true;
  const signatures = ctx.checker.getTypeAtLocation(created.expression).getConstructSignatures();
  return signatures.some((s) => s.getDeclaration()?.getSourceFile().fileName.includes('/node_modules/mongoose/'));
}

/** `{ data: {...} }`, and an upsert's `create`/`update`. */
function prismaData(ctx: RuleContext, arg: ts.Expression): ts.Expression[] {
  const { ts } = ctx;
  const e = skipOuter(ts, arg);
  if (!ts.isObjectLiteralExpression(e)) return [];
  return e.properties.flatMap((p) => (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && PRISMA_DATA_KEYS.has(p.name.text) ? [p.initializer] : []));
}

/** `new User({...}).save()` or `const u = new User({...}); … u.save()`. */
function savedLater(ctx: RuleContext, created: ts.NewExpression): boolean {
  const { ts } = ctx;
  let outer: ts.Node = created;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const parent = outer.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name.text === 'save') return true;
  if (!ts.isVariableDeclaration(parent) || !ts.isIdentifier(parent.name)) return false;
  const symbol = ctx.checker.getSymbolAtLocation(parent.name);
  const scope = ts.findAncestor(parent, ts.isFunctionLike) ?? parent.getSourceFile();
  let saved = false;
  const visit = (n: ts.Node): void => {
    if (saved) return;
    if (ts.isPropertyAccessExpression(n) && n.name.text === 'save' && ts.isIdentifier(n.expression) && ctx.checker.getSymbolAtLocation(n.expression) === symbol) saved = true;
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return saved;
}

/** The model a document was made from: `const u = new User(...)` → `User`. */
function documentModel(ctx: RuleContext, doc: ts.Expression): ts.Expression | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, doc);
  if (ts.isNewExpression(e)) return e.expression;
  if (!ts.isIdentifier(e)) return undefined;
  const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
  const init = decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuter(ts, decl.initializer) : undefined;
  return init && ts.isNewExpression(init) ? init.expression : undefined;
}

/**
 * The schema a Mongoose model was compiled from: `const User = model('User', userSchema)`
 * (possibly in another file) → the `userSchema` declaration's name.
 */
export function schemaOfModel(ctx: RuleContext, model: ts.Expression): ts.Identifier | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, model);
  const name = ts.isIdentifier(e) ? e : ts.isPropertyAccessExpression(e) ? e.name : undefined;
  let symbol = name && ctx.checker.getSymbolAtLocation(name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
  const init = skipOuter(ts, decl.initializer);
  if (!ts.isCallExpression(init) || !isModelFactory(ctx, init)) return undefined;
  const schema = init.arguments[1] && skipOuter(ts, init.arguments[1]);
  return schema && ts.isIdentifier(schema) ? schema : undefined;
}

function isModelFactory(ctx: RuleContext, call: ts.CallExpression): boolean {
  const target = resolveCall(ctx, call);
  return target?.module === 'mongoose' && target.name === 'model';
}

/** The functions given to `schema.pre('save' | 'validate', fn)` for that schema, in the file declaring it. */
export function preSaveHooks(ctx: RuleContext, schema: ts.Identifier): ts.FunctionLikeDeclaration[] {
  const { ts } = ctx;
  let symbol = ctx.checker.getSymbolAtLocation(schema);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (!symbol || !decl) return [];
  const hooks: ts.FunctionLikeDeclaration[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const callee = skipOuter(ts, n.expression);
      const [event, fn] = n.arguments;
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'pre' && ts.isIdentifier(callee.expression) && event && ts.isStringLiteralLike(event) && (event.text === 'save' || event.text === 'validate')) {
        let s = ctx.checker.getSymbolAtLocation(callee.expression);
        if (s && s.flags & ts.SymbolFlags.Alias) s = ctx.checker.getAliasedSymbol(s);
        const f = fn && skipOuter(ts, fn);
        if (s === symbol && f && (ts.isFunctionExpression(f) || ts.isArrowFunction(f))) hooks.push(f);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(decl.getSourceFile());
  return hooks;
}
