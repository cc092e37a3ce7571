// A Sequelize model as a model: `class User extends Model {}` with `User.init({...},
// { sequelize, indexes })`, or `sequelize.define('User', {...}, { indexes })`, in
// TypeScript or plain JavaScript. Attributes with `primaryKey`, `unique` (a name
// groups several into one constraint), `field`; the implicit `id` key and the
// timestamps Sequelize adds; `indexes: [{ fields: [...] }]`. Foreign keys
// (`references`) get no index of their own, as on Postgres and SQLite.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { originOf, resolveCall, skipOuter } from '../callee';
import type { FieldInfo, IndexInfo, ModelInfo } from './model';

const MODULES = ['sequelize', '@sequelize/core'];

export interface SequelizeModel extends ModelInfo {
  readonly kind: 'sequelize';
  /** The `init`/`define` call that declares the model. */
  readonly definition: ts.CallExpression;
  /** Its options argument as written, when it is an object literal (`indexes` goes there). */
  readonly options?: ts.ObjectLiteralExpression;
  /** Its `indexes: [...]` array, when written in place. */
  readonly indexesArray?: ts.ArrayLiteralExpression;
}

function fromSequelize(ctx: RuleContext, e: ts.Expression): boolean {
  const origin = originOf(ctx, e);
  return !!origin && MODULES.includes(origin.module);
}

function symbolOf(ctx: RuleContext, e: ts.Expression): ts.Symbol | undefined {
  let symbol = ctx.checker.getSymbolAtLocation(e);
  if (symbol && symbol.flags & ctx.ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  return symbol;
}

/** `class X extends Model` where `Model` is Sequelize's. */
function extendsSequelizeModel(ctx: RuleContext, cls: ts.ClassDeclaration): boolean {
  const { ts } = ctx;
  const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (!base) return false;
  const origin = originOf(ctx, base);
  if (origin && MODULES.includes(origin.module)) return [...origin.exportPath, ...origin.members].pop() === 'Model';
  const decl = symbolOf(ctx, base)?.declarations?.[0];
  return !!decl && MODULES.some((m) => decl.getSourceFile().fileName.includes(`/node_modules/${m}/`)) && ts.isClassDeclaration(decl) && decl.name?.text === 'Model';
}

/** `X.init(attributes, options)` in the class's file, on the class itself. */
function initCallOf(ctx: RuleContext, cls: ts.ClassDeclaration, symbol: ts.Symbol): ts.CallExpression | undefined {
  const { ts } = ctx;
  let found: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'init' && ts.isIdentifier(n.expression.expression)) {
      if (symbolOf(ctx, n.expression.expression) === symbol) found = n;
    }
    ts.forEachChild(n, visit);
  };
  visit(cls.getSourceFile());
  return found;
}

/** `sequelize.define('User', attributes, options)` on a Sequelize instance. */
function isDefineCall(ctx: RuleContext, e: ts.Expression): e is ts.CallExpression {
  const { ts } = ctx;
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression) || e.expression.name.text !== 'define') return false;
  const target = resolveCall(ctx, e);
  return (!!target?.module && MODULES.includes(target.module)) || fromSequelize(ctx, e.expression.expression);
}

const cache = new WeakMap<ts.CallExpression, SequelizeModel | null>();

/** The model a query's receiver (`User` in `User.findAll`) is, when its declaration can be read. */
export function sequelizeModelOf(ctx: RuleContext, receiver: ts.Expression): SequelizeModel | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, receiver);
  if (!ts.isIdentifier(e)) return undefined;
  const symbol = symbolOf(ctx, e);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!symbol || !decl || decl.getSourceFile().isDeclarationFile) return undefined;
  let definition: ts.CallExpression | undefined;
  let name: string | undefined;
  if (ts.isClassDeclaration(decl) && extendsSequelizeModel(ctx, decl)) {
    definition = initCallOf(ctx, decl, symbol);
    name = decl.name?.text;
  } else if (ts.isVariableDeclaration(decl) && decl.initializer && decl.parent.flags & ts.NodeFlags.Const) {
    const init = skipOuter(ts, decl.initializer);
    if (isDefineCall(ctx, init)) {
      definition = init;
      name = ts.isStringLiteralLike(init.arguments[0]) ? init.arguments[0].text : e.text;
    }
  }
  if (!definition || !name) return undefined;
  const hit = cache.get(definition);
  if (hit !== undefined) return hit ?? undefined;
  const model = readModel(ctx, definition, name);
  cache.set(definition, model ?? null);
  return model;
}

function prop(ctx: RuleContext, obj: ts.ObjectLiteralExpression | undefined, key: string): ts.Expression | undefined {
  for (const p of obj?.properties ?? []) {
    if (ctx.ts.isPropertyAssignment(p) && (ctx.ts.isIdentifier(p.name) || ctx.ts.isStringLiteral(p.name)) && p.name.text === key) return p.initializer;
  }
  return undefined;
}

function literal(ctx: RuleContext, e: ts.Expression | undefined): ts.Expression | undefined {
  return e && skipOuter(ctx.ts, e);
}

function isTrue(ctx: RuleContext, e: ts.Expression | undefined): boolean {
  return literal(ctx, e)?.kind === ctx.ts.SyntaxKind.TrueKeyword;
}

function isFalse(ctx: RuleContext, e: ts.Expression | undefined): boolean {
  return literal(ctx, e)?.kind === ctx.ts.SyntaxKind.FalseKeyword;
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function readModel(ctx: RuleContext, definition: ts.CallExpression, name: string): SequelizeModel | undefined {
  const { ts } = ctx;
  const isDefine = ts.isPropertyAccessExpression(definition.expression) && definition.expression.name.text === 'define';
  const attrs = literal(ctx, definition.arguments[isDefine ? 1 : 0]);
  const optionsArg = literal(ctx, definition.arguments[isDefine ? 2 : 1]);
  if (!attrs || !ts.isObjectLiteralExpression(attrs) || attrs.properties.some((p) => !ts.isPropertyAssignment(p))) return undefined;
  const options = optionsArg && ts.isObjectLiteralExpression(optionsArg) ? optionsArg : undefined;
  // Options we cannot read may hold indexes: no model rather than a wrong one.
  if ((optionsArg && !options) || options?.properties.some((p) => ts.isSpreadAssignment(p))) return undefined;
  const sf = definition.getSourceFile();
  const fileName = sf.fileName;
  const underscored = isTrue(ctx, prop(ctx, options, 'underscored'));
  const fields = new Map<string, FieldInfo>();
  const indexes: IndexInfo[] = [];
  const uniqueGroups = new Map<string, string[]>();
  let hasPrimary = false;
  for (const p of attrs.properties) {
    if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return undefined;
    const attr = p.name.text;
    const spec = literal(ctx, p.initializer);
    const o = spec && ts.isObjectLiteralExpression(spec) ? spec : undefined;
    const field = literal(ctx, prop(ctx, o, 'field'));
    const column = field && ts.isStringLiteralLike(field) ? field.text : underscored ? snake(attr) : attr;
    fields.set(attr, { name: attr, column, location: { fileName, start: p.name.getStart(sf), end: p.name.getEnd() } });
    if (isTrue(ctx, prop(ctx, o, 'primaryKey'))) {
      hasPrimary = true;
      indexes.push({ fields: [attr], kind: 'primary', fileName });
    }
    const unique = literal(ctx, prop(ctx, o, 'unique'));
    if (unique && isTrue(ctx, unique)) indexes.push({ fields: [attr], kind: 'unique', fileName });
    else if (unique && ts.isStringLiteralLike(unique)) uniqueGroups.set(unique.text, [...(uniqueGroups.get(unique.text) ?? []), attr]);
    else if (unique && ts.isObjectLiteralExpression(unique)) indexes.push({ fields: [attr], kind: 'unique', fileName });
  }
  for (const group of uniqueGroups.values()) indexes.push({ fields: group, kind: 'unique', fileName });
  if (!hasPrimary) {
    fields.set('id', { name: 'id', column: 'id' });
    indexes.push({ fields: ['id'], kind: 'primary', fileName });
  }
  if (!isFalse(ctx, prop(ctx, options, 'timestamps'))) {
    for (const t of ['createdAt', 'updatedAt', ...(isTrue(ctx, prop(ctx, options, 'paranoid')) ? ['deletedAt'] : [])]) {
      if (!fields.has(t)) fields.set(t, { name: t, column: underscored ? snake(t) : t });
    }
  }
  const declared = literal(ctx, prop(ctx, options, 'indexes'));
  if (declared && !ts.isArrayLiteralExpression(declared)) return undefined;
  for (const el of declared?.elements ?? []) {
    const index = literal(ctx, el);
    if (!index || !ts.isObjectLiteralExpression(index)) return undefined;
    const names = indexFieldNames(ctx, index, fields);
    if (!names) return undefined;
    const type = literal(ctx, prop(ctx, index, 'type'));
    // A full-text or spatial index serves no equality or range lookup.
    if (type && ts.isStringLiteralLike(type) && type.text.toUpperCase() !== 'UNIQUE') continue;
    if (names.length > 0) indexes.push({ fields: names, kind: isTrue(ctx, prop(ctx, index, 'unique')) || type ? 'unique' : 'index', fileName });
  }
  const tableName = literal(ctx, prop(ctx, options, 'tableName'));
  const table = tableName && ts.isStringLiteralLike(tableName) ? tableName.text : name;
  const location = { fileName, start: definition.getStart(sf), end: definition.expression.getEnd() };
  return { kind: 'sequelize', name, table, fields, indexes, location, definition, options, indexesArray: declared };
}

/** `fields: ['a', { name: 'b' }, { attribute: 'c' }]` as attribute names (a column name maps back to its attribute). */
function indexFieldNames(ctx: RuleContext, index: ts.ObjectLiteralExpression, fields: ReadonlyMap<string, FieldInfo>): string[] | undefined {
  const { ts } = ctx;
  const list = literal(ctx, prop(ctx, index, 'fields'));
  if (!list || !ts.isArrayLiteralExpression(list)) return undefined;
  const out: string[] = [];
  for (const el of list.elements) {
    const e = literal(ctx, el);
    const named = e && ts.isObjectLiteralExpression(e) ? literal(ctx, prop(ctx, e, 'name') ?? prop(ctx, e, 'attribute')) : e;
    if (!named || !ts.isStringLiteralLike(named)) return undefined;
    const field = fields.get(named.text) ?? [...fields.values()].find((f) => f.column === named.text);
    out.push(field?.name ?? named.text);
  }
  return out;
}
