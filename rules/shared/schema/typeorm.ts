// A TypeORM entity class as a model: table (`@Entity('users')` or the class name
// in snake_case), columns, primary keys, `@Column({ unique: true })`, `@Unique`,
// `@Index` on properties and on the class, and relations (`@ManyToOne` holds a
// join column that has an index only when one is declared; a `@OneToOne` owner
// gets a unique constraint; whether the database indexes foreign keys itself is
// the caller's to add). Decorators count only when they come from typeorm.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { originOf, resolveCall, skipOuter } from '../callee';
import type { FieldInfo, IndexInfo, IndexKind, ModelInfo } from './model';

export interface EntityModel extends ModelInfo {
  readonly kind: 'typeorm';
  readonly declaration: ts.ClassDeclaration;
  /** Where each property is declared (it may be in a base class). */
  readonly properties: ReadonlyMap<string, ts.PropertyDeclaration>;
}

interface TypeormDecorator {
  readonly name: string;
  readonly args: readonly ts.Expression[];
  readonly node: ts.Decorator;
}

const PRIMARY = new Set(['PrimaryGeneratedColumn', 'PrimaryColumn', 'ObjectIdColumn']);
const COLUMNS = new Set(['Column', 'CreateDateColumn', 'UpdateDateColumn', 'DeleteDateColumn', 'VersionColumn', ...PRIMARY]);
const RELATIONS = new Set(['ManyToOne', 'OneToOne', 'OneToMany', 'ManyToMany']);

/** TypeORM's default naming: `UserProfile` → `user_profile`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([A-Z])([A-Z])([a-z])/g, '$1_$2$3')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

function typeormDecorators(ctx: RuleContext, node: ts.HasDecorators): TypeormDecorator[] {
  const { ts } = ctx;
  const out: TypeormDecorator[] = [];
  for (const d of ts.getDecorators(node) ?? []) {
    if (!ts.isCallExpression(d.expression)) continue;
    const origin = originOf(ctx, d.expression.expression);
    if (origin?.module !== 'typeorm') continue;
    const name = origin.members[origin.members.length - 1] ?? origin.exportPath[origin.exportPath.length - 1];
    if (name) out.push({ name, args: d.expression.arguments, node: d });
  }
  return out;
}

function objectProp(ctx: RuleContext, e: ts.Expression | undefined, key: string): ts.Expression | undefined {
  const o = e && skipOuter(ctx.ts, e);
  if (!o || !ctx.ts.isObjectLiteralExpression(o)) return undefined;
  for (const p of o.properties) if (ctx.ts.isPropertyAssignment(p) && p.name.getText() === key) return p.initializer;
  return undefined;
}

function stringValue(ctx: RuleContext, e: ts.Expression | undefined): string | undefined {
  const v = e && skipOuter(ctx.ts, e);
  return v && ctx.ts.isStringLiteralLike(v) ? v.text : undefined;
}

function isTrue(ctx: RuleContext, e: ts.Expression | undefined): boolean {
  return !!e && skipOuter(ctx.ts, e).kind === ctx.ts.SyntaxKind.TrueKeyword;
}

/** Property names of `['a', 'b']` or `(u) => [u.a, u.b]` / `(u) => ({ a: 1 })`. */
function fieldList(ctx: RuleContext, e: ts.Expression | undefined): string[] | undefined {
  const { ts } = ctx;
  let v = e && skipOuter(ts, e);
  if (v && ts.isArrowFunction(v) && !ts.isBlock(v.body)) v = skipOuter(ts, v.body);
  if (!v) return undefined;
  if (ts.isArrayLiteralExpression(v)) {
    const names = v.elements.map((el) => (ts.isStringLiteralLike(el) ? el.text : ts.isPropertyAccessExpression(el) ? el.name.text : undefined));
    return names.every((n): n is string => !!n) ? names : undefined;
  }
  if (ts.isObjectLiteralExpression(v)) return v.properties.map((p) => p.name?.getText() ?? '').filter((n) => n !== '');
  return undefined;
}

/** The class declarations of an entity and its base classes, base first. */
function classChain(ctx: RuleContext, cls: ts.ClassDeclaration): ts.ClassDeclaration[] {
  const { ts } = ctx;
  const chain: ts.ClassDeclaration[] = [];
  for (let c: ts.ClassDeclaration | undefined = cls; c && chain.length < 8 && !chain.includes(c); ) {
    chain.unshift(c);
    const ext: ts.ExpressionWithTypeArguments | undefined = c.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    let symbol: ts.Symbol | undefined = ext && ctx.checker.getSymbolAtLocation(ext.expression);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
    const decl: ts.ClassDeclaration | undefined = symbol?.declarations?.find(ts.isClassDeclaration);
    c = decl && !decl.getSourceFile().isDeclarationFile ? decl : undefined;
  }
  return chain;
}

const cache = new WeakMap<ts.ClassDeclaration, EntityModel | null>();

/** The model of an `@Entity` class (undefined for anything else). */
export function entityModel(ctx: RuleContext, cls: ts.ClassDeclaration): EntityModel | undefined {
  const hit = cache.get(cls);
  if (hit !== undefined) return hit ?? undefined;
  const model = readEntity(ctx, cls);
  cache.set(cls, model ?? null);
  return model;
}

function readEntity(ctx: RuleContext, cls: ts.ClassDeclaration): EntityModel | undefined {
  const { ts } = ctx;
  if (!cls.name) return undefined;
  const entity = typeormDecorators(ctx, cls).find((d) => d.name === 'Entity');
  if (!entity) return undefined;
  const fileName = cls.getSourceFile().fileName;
  const table = stringValue(ctx, entity.args[0]) ?? stringValue(ctx, objectProp(ctx, entity.args[0], 'name')) ?? snakeCase(cls.name.text);
  const fields = new Map<string, FieldInfo>();
  const properties = new Map<string, ts.PropertyDeclaration>();
  const indexes: IndexInfo[] = [];
  const add = (fieldsOf: string[], kind: IndexKind) => fieldsOf.length > 0 && indexes.push({ fields: fieldsOf, kind, fileName });

  for (const c of classChain(ctx, cls)) {
    for (const d of typeormDecorators(ctx, c)) {
      if (d.name !== 'Index' && d.name !== 'Unique') continue;
      // @Index(['a']) / @Index('name', ['a']) / @Unique(['a']) / @Unique('name', ['a'])
      const list = fieldList(ctx, d.args[0]) ?? fieldList(ctx, d.args[1]);
      const opts = stringValue(ctx, d.args[0]) !== undefined ? d.args[2] : d.args[1];
      if (list) add(list, d.name === 'Unique' || isTrue(ctx, objectProp(ctx, opts, 'unique')) ? 'unique' : 'index');
    }
    for (const member of c.members) {
      if (!ts.isPropertyDeclaration(member) || !member.name || !ts.isIdentifier(member.name)) continue;
      const prop = member.name.text;
      const decorators = typeormDecorators(ctx, member);
      const column = decorators.find((d) => COLUMNS.has(d.name));
      const relation = decorators.find((d) => RELATIONS.has(d.name));
      if (!column && !relation) continue;
      properties.set(prop, member);
      const location = { fileName, start: member.name.getStart(), end: member.name.getEnd() };
      if (column) {
        const opts = column.args.find((a) => ts.isObjectLiteralExpression(skipOuter(ts, a)));
        fields.set(prop, { name: prop, column: stringValue(ctx, objectProp(ctx, opts, 'name')) ?? prop, location });
        if (PRIMARY.has(column.name) || isTrue(ctx, objectProp(ctx, opts, 'primary'))) add([prop], 'primary');
        if (isTrue(ctx, objectProp(ctx, opts, 'unique'))) add([prop], 'unique');
      } else if (relation) {
        const joinColumn = decorators.find((d) => d.name === 'JoinColumn');
        const owner = relation.name === 'ManyToOne' || (relation.name === 'OneToOne' && !!joinColumn);
        const targetFn = relation.args[0] && skipOuter(ts, relation.args[0]);
        const targetExpr = targetFn && ts.isArrowFunction(targetFn) && !ts.isBlock(targetFn.body) ? skipOuter(ts, targetFn.body) : targetFn;
        const target = targetExpr && ts.isIdentifier(targetExpr) ? targetExpr.text : stringValue(ctx, targetExpr) ?? '';
        const columnName = stringValue(ctx, objectProp(ctx, joinColumn?.args[0], 'name')) ?? `${prop}Id`;
        fields.set(prop, {
          name: prop,
          column: owner ? columnName : prop,
          relation: { target, localFields: owner ? [prop] : [], list: relation.name === 'OneToMany' || relation.name === 'ManyToMany' },
          location,
        });
        if (relation.name === 'OneToOne' && joinColumn) add([prop], 'unique');
      }
      for (const d of decorators) {
        if (d.name !== 'Index' && d.name !== 'Unique') continue;
        const opts = d.args.find((a) => ts.isObjectLiteralExpression(skipOuter(ts, a)));
        add([prop], d.name === 'Unique' || isTrue(ctx, objectProp(ctx, opts, 'unique')) ? 'unique' : 'index');
      }
    }
  }
  const location = { fileName, start: cls.name.getStart(), end: cls.name.getEnd() };
  return { kind: 'typeorm', name: cls.name.text, table, fields, indexes, location, declaration: cls, properties };
}

const REPOSITORIES = new Set(['Repository', 'TreeRepository']);

export interface TypeormEntityCall {
  /** The entity queried; undefined when it is not an `@Entity` class we can read. */
  readonly entity?: EntityModel;
  /** The class declaring the method: 'Repository', 'TreeRepository', 'EntityManager' (entity first) or 'BaseEntity'. */
  readonly owner: string;
  readonly callee: ts.PropertyAccessExpression;
}

function classOf(ctx: RuleContext, symbol: ts.Symbol | undefined): ts.ClassDeclaration | undefined {
  let s = symbol;
  if (s && s.flags & ctx.ts.SymbolFlags.Alias) s = ctx.checker.getAliasedSymbol(s);
  return s?.declarations?.find((d): d is ts.ClassDeclaration => ctx.ts.isClassDeclaration(d));
}

function isFromTypeorm(symbol: ts.Symbol | undefined): boolean {
  return !!symbol?.declarations?.some((d) => d.getSourceFile().fileName.includes('/node_modules/typeorm/'));
}

/** The entity class of `Repository<User>`, of a class extending it, or of `repo.extend({…})`. */
function entityOfRepositoryType(ctx: RuleContext, type: ts.Type, depth = 0): ts.ClassDeclaration | undefined {
  if (depth > 6) return undefined;
  if (type.isUnionOrIntersection()) {
    for (const t of type.types) {
      const found = entityOfRepositoryType(ctx, t, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const symbol = type.getSymbol();
  if (symbol && REPOSITORIES.has(symbol.name) && isFromTypeorm(symbol)) {
    const arg = ctx.checker.getTypeArguments(type as ts.TypeReference)[0];
    return arg && classOf(ctx, arg.getSymbol());
  }
  if (type.isClassOrInterface()) {
    for (const base of ctx.checker.getBaseTypes(type)) {
      const found = entityOfRepositoryType(ctx, base, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function entityClassOf(ctx: RuleContext, call: ts.CallExpression, owner: string | undefined, receiver: ts.Expression): ts.ClassDeclaration | undefined {
  const { ts } = ctx;
  if (owner === 'EntityManager') {
    const arg = call.arguments[0] && skipOuter(ts, call.arguments[0]);
    return arg && ts.isIdentifier(arg) ? classOf(ctx, ctx.checker.getSymbolAtLocation(arg)) : undefined;
  }
  if (owner === 'BaseEntity') {
    const r = skipOuter(ts, receiver);
    return ts.isIdentifier(r) ? classOf(ctx, ctx.checker.getSymbolAtLocation(r)) : undefined;
  }
  return entityOfRepositoryType(ctx, ctx.checker.getTypeAtLocation(receiver));
}

/**
 * The TypeORM query a call is, when `methods` has its method: on a `Repository<T>` (also a
 * custom or injected one, found through the type checker), an `EntityManager` (the entity is
 * the first argument) or a `BaseEntity` static. Projects without TypeORM are not asked about.
 */
export function typeormEntityCall(ctx: RuleContext, call: ts.CallExpression, methods: ReadonlySet<string>): TypeormEntityCall | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !methods.has(callee.name.text)) return undefined;
  // Asking the checker about every `find` of a project without TypeORM would cost for nothing.
  if (!ctx.project.hasDependency(ctx.fileName, 'typeorm')) return undefined;
  const target = resolveCall(ctx, call);
  const owner = target?.module === 'typeorm' ? target.owner : undefined;
  if (!owner || !(REPOSITORIES.has(owner) || owner === 'EntityManager' || owner === 'BaseEntity')) return undefined;
  const cls = entityClassOf(ctx, call, owner, callee.expression);
  return { entity: cls && entityModel(ctx, cls), owner, callee };
}
