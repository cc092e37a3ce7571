// unbounded-query: list queries on a request path that return every matching row (no limit).
import type { ts } from 'ts-morph';
import type { Fix, RuleContext } from '../api';
import type { Rule } from '../api';
import { listQueryOf, type ListQuery } from '../inventory/list-queries';
import { skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { requestPathOf, type RequestPath } from '../shared/unbounded-query-request-path';
import { unboundedSqlOf } from '../shared/unbounded-query-sql';
import { forEachCall } from '../shared/walk';

/** Filters on these keys select at most one row (Mongo's `_id` too). */
const UNIQUE_KEYS = new Set(['id', '_id']);
/** Operators that pin the key to one value or to a list the caller already holds. */
const PINNING_OPERATORS = new Set(['equals', '$eq', 'in', '$in']);
const DEFAULT_TAKE = 100;

export const rule: Rule = {
  id: 'unbounded-query',
  category: 'performance',
  cwe: [770],
  defaultSeverity: 'warning',
  description: 'A list query on a request path has no limit, so one request can load a whole table.',
  needsTypes: true,
  fixable: true,
  concerns: ['pagination'],
  check(ctx) {
    if (isTestModule(ctx)) return;
    forEachCall(ctx, (call) => {
      const list = listQueryOf(ctx, call);
      if (list) {
        if (list.bounded !== 'no' || pinsUniqueKey(ctx, list)) return;
        const path = requestPathOf(ctx, call);
        if (!path) return;
        ctx.report({
          node: call,
          message: `\`${list.label}\` runs on a request path with no limit, so it returns every matching row: bound it with ${list.bound} and paginate.`,
          fixes: fixFor(ctx, list, path),
        });
        return;
      }
      const sql = unboundedSqlOf(ctx, call);
      if (sql && requestPathOf(ctx, call)) {
        ctx.report({ node: call, message: `\`${sql.label}\` runs a SELECT without LIMIT on a request path, so it returns every matching row: add \`LIMIT\` (and \`OFFSET\` or a keyset cursor) to the query.` });
      }
    });
  },
};

/** The options object a list query filters with (`{ where }` / Sequelize `{ where }`; Mongoose's filter is the first argument). */
function pinsUniqueKey(ctx: RuleContext, list: ListQuery): boolean {
  const { ts } = ctx;
  const arg = list.call.arguments[0] && skipOuter(ts, list.call.arguments[0]);
  if (!arg || !ts.isObjectLiteralExpression(arg)) return false;
  const where = arg.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'where');
  const filter = where ? skipOuter(ts, where.initializer) : arg;
  if (!ts.isObjectLiteralExpression(filter)) return false;
  return filter.properties.some((p) => {
    if (ts.isShorthandPropertyAssignment(p)) return UNIQUE_KEYS.has(p.name.text);
    if (!ts.isPropertyAssignment(p) || !UNIQUE_KEYS.has(p.name.getText().replace(/['"]/g, ''))) return false;
    // `id: { gt: 10 }` ranges over many rows; `id: x` or `id: { equals: x }` pins one.
    const v = skipOuter(ts, p.initializer);
    return !ts.isObjectLiteralExpression(v) || v.properties.every((q) => !!q.name && PINNING_OPERATORS.has(q.name.getText().replace(/['"]/g, '')));
  });
}

/** Prisma only: `take` in the options object, from the request's `limit` when the handler's request is in scope. */
function fixFor(ctx: RuleContext, list: ListQuery, path: RequestPath): (() => Fix[]) | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, list.call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'findMany') return undefined;
  const arg = list.call.arguments[0] && skipOuter(ts, list.call.arguments[0]);
  if (arg && !ts.isObjectLiteralExpression(arg)) return undefined;
  const req = path.direct && (path.handler.framework === 'express' || path.handler.framework === 'fastify') && path.handler.request && ts.isIdentifier(path.handler.request.name) ? path.handler.request.name.text : undefined;
  const take = req ? `Math.min(Number(${req}.query.limit) || 50, ${DEFAULT_TAKE})` : String(DEFAULT_TAKE);
  const sf = ctx.sourceFile;
  return () => {
    let edit: { start: number; end: number; newText: string };
    if (!arg) {
      const open = list.call.arguments.pos;
      edit = { start: open, end: list.call.arguments.end, newText: `{ take: ${take} }` };
    } else if (arg.properties.length === 0) {
      edit = { start: arg.getStart(sf), end: arg.end, newText: `{ take: ${take} }` };
    } else {
      const last = arg.properties[arg.properties.length - 1];
      const multiline = sf.getLineAndCharacterOfPosition(arg.getStart(sf)).line !== sf.getLineAndCharacterOfPosition(last.end).line;
      const indent = multiline ? sf.text.slice(sf.getLineStarts()[sf.getLineAndCharacterOfPosition(last.getStart(sf)).line], last.getStart(sf)) : '';
      edit = { start: last.end, end: last.end, newText: multiline ? `,\n${indent}take: ${take}` : `, take: ${take}` };
      if (multiline && arg.properties.hasTrailingComma) edit = { start: last.end + 1, end: last.end + 1, newText: `\n${indent}take: ${take},` };
    }
    return [{ title: `Limit \`${list.label}\` with \`take\``, isPreferred: true, safe: false, edits: [{ fileName: ctx.fileName, ...edit }] }];
  };
}
