// Queries that return a list, and whether the list is bounded: Prisma `findMany`
// (`take`), TypeORM `find`/`findAndCount` (`take`), `findBy` (never), query builders'
// `getMany` (`.take()`/`.limit()`), Sequelize `findAll` (`limit`), Mongoose `find`
// (`.limit()`), knex `select` (`.limit()`, `.first()`). Each recognised by what it
// resolves to, as the query rules do (shared/schema), never by the method name alone.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { resolveCall, skipOuter } from '../shared/callee';
import { schemaOfModel } from '../shared/schema/mongoose';
import { prismaModelCall } from '../shared/schema/prisma-client';
import { typeormEntityCall } from '../shared/schema/typeorm';

export type Bounded = 'yes' | 'no' | 'unknown';

export interface ListQuery {
  readonly call: ts.CallExpression;
  /** `prisma.user.findMany`, compacted. */
  readonly label: string;
  readonly bounded: Bounded;
  /** What bounds it, in the library's terms: "`take`". */
  readonly bound: string;
}

const NAMES = new Set(['findMany', 'find', 'findAndCount', 'findBy', 'findAndCountBy', 'getMany', 'getManyAndCount', 'findAll', 'findAndCountAll', 'select']);
const FIND_MANY: ReadonlySet<string> = new Set(['findMany']);
const TYPEORM_LIST: ReadonlySet<string> = new Set(['find', 'findAndCount', 'findBy', 'findAndCountBy']);
const SEQUELIZE_MODULES = ['sequelize', '@sequelize/core', 'sequelize-typescript'];
/** knex chain members after which the result is not an unbounded list. */
const KNEX_BOUNDS = new Set(['limit', 'first', 'paginate', 'count', 'countDistinct', 'sum', 'avg', 'min', 'max']);

export function listQueryOf(ctx: RuleContext, call: ts.CallExpression): ListQuery | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !NAMES.has(callee.name.text)) return undefined;
  const name = callee.name.text;
  const label = compact(callee.getText(call.getSourceFile()));
  const make = (bounded: Bounded, bound: string): ListQuery => ({ call, label, bounded, bound });

  if (name === 'findMany') {
    if (!prismaModelCall(ctx, call, FIND_MANY) && resolveCall(ctx, call)?.module !== '@prisma/client') return undefined;
    return make(optionsHave(ctx, call.arguments[0], ['take']), '`take`');
  }
  if (TYPEORM_LIST.has(name)) {
    const typeorm = typeormEntityCall(ctx, call, TYPEORM_LIST);
    if (typeorm) {
      if (name === 'findBy' || name === 'findAndCountBy') return make('no', '`find({ where, take })`');
      return make(optionsHave(ctx, call.arguments[typeorm.owner === 'EntityManager' ? 1 : 0], ['take']), '`take`');
    }
    if (name !== 'find' || !schemaOfModel(ctx, callee.expression)) return undefined;
    return make(chainMembers(ts, call).includes('limit') ? 'yes' : optionsHave(ctx, call.arguments[2], ['limit']), '`.limit()`');
  }
  if (name === 'getMany' || name === 'getManyAndCount') {
    if (resolveCall(ctx, call)?.module !== 'typeorm') return undefined;
    return make(builderBounded(ctx, call), '`.take()`');
  }
  if (name === 'findAll' || name === 'findAndCountAll') {
    const module = resolveCall(ctx, call)?.module;
    if (!module || !SEQUELIZE_MODULES.includes(module)) return undefined;
    return make(optionsHave(ctx, call.arguments[0], ['limit']), '`limit`');
  }
  // select
  if (resolveCall(ctx, call)?.module !== 'knex') return undefined;
  return make(chainMembers(ts, call).some((m) => KNEX_BOUNDS.has(m)) ? 'yes' : 'no', '`.limit()`');
}

function compact(text: string): string {
  const t = text.replace(/\s+/g, '');
  return t.length <= 60 ? t : `…${t.slice(-59)}`;
}

/** Whether an options argument sets one of `keys`: absent → no; built elsewhere or spread → unknown. */
function optionsHave(ctx: RuleContext, arg: ts.Expression | undefined, keys: readonly string[]): Bounded {
  const { ts } = ctx;
  if (!arg) return 'no';
  const o = skipOuter(ts, arg);
  if (!ts.isObjectLiteralExpression(o)) return 'unknown';
  const has = o.properties.some((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && keys.includes(p.name.getText()));
  if (has) return 'yes';
  return o.properties.some((p) => ts.isSpreadAssignment(p)) ? 'unknown' : 'no';
}

/** Member names called along the chain a call is part of: `a.where().select().limit(1)` → where, select, limit. */
function chainMembers(ts: RuleContext['ts'], call: ts.CallExpression): string[] {
  const out: string[] = [];
  let e: ts.Expression = call;
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(skipOuter(ts, e.expression))) {
    const access = skipOuter(ts, e.expression) as ts.PropertyAccessExpression;
    out.push(access.name.text);
    e = skipOuter(ts, access.expression);
  }
  let n: ts.Node = call;
  while (ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n && ts.isCallExpression(n.parent.parent)) {
    out.push(n.parent.name.text);
    n = n.parent.parent;
  }
  return out;
}

/** A TypeORM query builder's `.take()`/`.limit()`: in the chain, or called on the builder's const in the same function. */
function builderBounded(ctx: RuleContext, call: ts.CallExpression): Bounded {
  const { ts } = ctx;
  const bounds = (names: readonly string[]) => names.includes('take') || names.includes('limit');
  if (bounds(chainMembers(ts, call))) return 'yes';
  let root: ts.Expression = call;
  while (ts.isCallExpression(root) && ts.isPropertyAccessExpression(skipOuter(ts, root.expression))) root = skipOuter(ts, (skipOuter(ts, root.expression) as ts.PropertyAccessExpression).expression);
  if (!ts.isIdentifier(root)) return 'no';
  const symbol = ctx.checker.getSymbolAtLocation(root);
  const decl = symbol?.valueDeclaration;
  if (!symbol || !decl || !ts.isVariableDeclaration(decl)) return 'unknown';
  if (decl.initializer && ts.isCallExpression(skipOuter(ts, decl.initializer)) && bounds(chainMembers(ts, skipOuter(ts, decl.initializer) as ts.CallExpression))) return 'yes';
  let found = false;
  const scope = decl.parent.parent.parent;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ['take', 'limit'].includes(n.expression.name.text)) {
      let r: ts.Expression = n.expression.expression;
      while (ts.isCallExpression(r) && ts.isPropertyAccessExpression(r.expression)) r = r.expression.expression;
      if (ts.isIdentifier(r) && ctx.checker.getSymbolAtLocation(r) === symbol) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return found ? 'yes' : 'no';
}
