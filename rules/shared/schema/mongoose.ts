// A Mongoose schema as a model: its paths (nested objects give `address.city`),
// `_id`, field options `index`, `unique` and `expires`, and `schema.index({ a: 1,
// b: -1 })` calls on the schema's variable. Text indexes serve only `$text`, so
// they do not count. Also finds the schema behind a model (`model('User', schema)`).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { originOf, resolveCall, skipOuter } from '../callee';
import type { FieldInfo, IndexInfo, ModelInfo } from './model';

export interface MongooseModel extends ModelInfo {
  readonly kind: 'mongoose';
  readonly schema: ts.NewExpression;
  /** The variable that holds the schema, when there is one (fixes add `<var>.index(…)` after it). */
  readonly schemaVariable?: ts.VariableDeclaration;
  /** The last statement that declares or indexes the schema: new index calls go after it. */
  readonly indexAnchor?: ts.Statement;
}

/** Imports first: resolving a Mongoose call's types makes the checker infer its heavy generics. */
function fromMongoose(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression): boolean {
  if (originOf(ctx, call.expression)?.module === 'mongoose') return true;
  return resolveCall(ctx, call)?.module === 'mongoose';
}

function declarationOf(ctx: RuleContext, e: ts.Expression): ts.Declaration | undefined {
  const id = skipOuter(ctx.ts, e);
  if (!ctx.ts.isIdentifier(id)) return undefined;
  let symbol = ctx.checker.getSymbolAtLocation(id);
  if (symbol && symbol.flags & ctx.ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  return symbol?.declarations?.[0];
}

/** The expression a model value was made from: `model('User', schema)` (also behind `models.User || …`). */
function modelCall(ctx: RuleContext, e: ts.Expression, depth = 0): ts.CallExpression | undefined {
  const { ts } = ctx;
  const v = skipOuter(ts, e);
  if (depth > 4) return undefined;
  if (ts.isBinaryExpression(v) && (v.operatorToken.kind === ts.SyntaxKind.BarBarToken || v.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    return modelCall(ctx, v.right, depth + 1) ?? modelCall(ctx, v.left, depth + 1);
  }
  if (ts.isCallExpression(v)) {
    const callee = skipOuter(ts, v.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    return name === 'model' && v.arguments.length >= 2 && fromMongoose(ctx, v) ? v : undefined;
  }
  if (ts.isIdentifier(v)) {
    const decl = declarationOf(ctx, v);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return modelCall(ctx, decl.initializer, depth + 1);
    if (decl && ts.isExportAssignment(decl)) return modelCall(ctx, decl.expression, depth + 1);
  }
  return undefined;
}

/** The `new Schema(…)` behind a model expression such as `User` in `User.find()`. */
export function schemaOfModel(ctx: RuleContext, modelExpr: ts.Expression): { schema: ts.NewExpression; variable?: ts.VariableDeclaration; modelName?: string } | undefined {
  const { ts } = ctx;
  const call = modelCall(ctx, modelExpr);
  if (!call) return undefined;
  const modelName = ts.isStringLiteralLike(call.arguments[0]) ? call.arguments[0].text : undefined;
  const arg = skipOuter(ts, call.arguments[1]);
  if (ts.isNewExpression(arg)) return fromMongoose(ctx, arg) ? { schema: arg, modelName } : undefined;
  const decl = declarationOf(ctx, arg);
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
  const init = skipOuter(ts, decl.initializer);
  if (!ts.isNewExpression(init) || !fromMongoose(ctx, init)) return undefined;
  return { schema: init, variable: decl, modelName };
}

const cache = new WeakMap<ts.NewExpression, MongooseModel | null>();

/** The model a `new Schema({...})` declares; undefined when its definition is not an object literal. */
export function mongooseModel(ctx: RuleContext, schema: ts.NewExpression, variable: ts.VariableDeclaration | undefined, modelName: string | undefined): MongooseModel | undefined {
  const hit = cache.get(schema);
  if (hit !== undefined) return hit ?? undefined;
  const model = readSchema(ctx, schema, variable, modelName);
  cache.set(schema, model ?? null);
  return model;
}

function propName(ctx: RuleContext, p: ts.ObjectLiteralElementLike): string | undefined {
  const n = p.name;
  if (!n) return undefined;
  if (ctx.ts.isIdentifier(n) || ctx.ts.isStringLiteral(n) || ctx.ts.isNumericLiteral(n)) return n.text;
  return undefined;
}

/** An `index` option that gives a usable index (`true`, `1`, `-1`, `'hashed'`, `{ … }`), not a text one. */
function isIndexOption(ctx: RuleContext, v: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, v);
  if (e.kind === ts.SyntaxKind.TrueKeyword || ts.isObjectLiteralExpression(e)) return true;
  if (ts.isNumericLiteral(e)) return e.text !== '0';
  if (ts.isPrefixUnaryExpression(e)) return true;
  return ts.isStringLiteralLike(e) && e.text !== 'text';
}

function readSchema(ctx: RuleContext, schema: ts.NewExpression, variable: ts.VariableDeclaration | undefined, modelName: string | undefined): MongooseModel | undefined {
  const { ts } = ctx;
  const def = schema.arguments?.[0] && skipOuter(ts, schema.arguments[0]);
  if (!def || !ts.isObjectLiteralExpression(def)) return undefined;
  const sf = schema.getSourceFile();
  const fileName = sf.fileName;
  const fields = new Map<string, FieldInfo>([['_id', { name: '_id', column: '_id' }]]);
  const indexes: IndexInfo[] = [{ fields: ['_id'], kind: 'primary', fileName }];
  const walk = (obj: ts.ObjectLiteralExpression, prefix: string): void => {
    for (const p of obj.properties) {
      const key = propName(ctx, p);
      if (!key || !ts.isPropertyAssignment(p)) continue;
      const path = prefix + key;
      const loc = { fileName, start: p.name.getStart(sf), end: p.name.getEnd() };
      let value = skipOuter(ts, p.initializer);
      if (ts.isArrayLiteralExpression(value) && value.elements.length === 1) value = skipOuter(ts, value.elements[0]);
      if (ts.isObjectLiteralExpression(value)) {
        const opts = new Map(value.properties.filter(ts.isPropertyAssignment).map((o) => [propName(ctx, o) ?? '', o.initializer] as const));
        if (!opts.has('type')) {
          walk(value, `${path}.`); // A nested object, not a field with options.
          continue;
        }
        fields.set(path, { name: path, column: path, location: loc });
        const unique = opts.get('unique');
        const index = opts.get('index');
        if (unique && skipOuter(ts, unique).kind === ts.SyntaxKind.TrueKeyword) indexes.push({ fields: [path], kind: 'unique', fileName });
        else if ((index && isIndexOption(ctx, index)) || opts.has('expires')) indexes.push({ fields: [path], kind: 'index', fileName });
        continue;
      }
      fields.set(path, { name: path, column: path, location: loc });
    }
  };
  walk(def, '');

  let anchor: ts.Statement | undefined = variable && (ts.isVariableDeclarationList(variable.parent) && ts.isVariableStatement(variable.parent.parent) ? variable.parent.parent : undefined);
  if (variable && ts.isIdentifier(variable.name)) {
    const symbol = ctx.checker.getSymbolAtLocation(variable.name);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'index' && ts.isIdentifier(node.expression.expression)) {
        if (symbol && ctx.checker.getSymbolAtLocation(node.expression.expression) === symbol) {
          const spec = node.arguments[0] && skipOuter(ts, node.arguments[0]);
          if (spec && ts.isObjectLiteralExpression(spec)) {
            const keys = spec.properties.filter(ts.isPropertyAssignment);
            const names = keys.map((k) => propName(ctx, k));
            const text = keys.some((k) => ts.isStringLiteralLike(skipOuter(ts, k.initializer)) && (skipOuter(ts, k.initializer) as ts.StringLiteral).text === 'text');
            if (!text && names.length > 0 && names.every((n): n is string => !!n)) indexes.push({ fields: names, kind: 'index', fileName });
          }
          if (ts.isExpressionStatement(node.parent) && anchor && node.parent.parent === anchor.parent && node.parent.pos > anchor.pos) anchor = node.parent;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  const name = modelName ?? (variable && ts.isIdentifier(variable.name) ? variable.name.text : 'schema');
  const location = variable ? { fileName, start: variable.name.getStart(sf), end: variable.name.getEnd() } : { fileName, start: schema.getStart(sf), end: schema.getEnd() };
  return { kind: 'mongoose', name, table: name, fields, indexes, location, schema, schemaVariable: variable, indexAnchor: anchor };
}
