// Raw SQL passed to pg / mysql2: whether a SELECT's text returns an unbounded list.
// Read from the statement's tokens at the top nesting level (a LIMIT inside a
// subquery bounds nothing); text built at run time is not judged.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { skipOuter } from './callee';
import { tokenize, type Token } from './schema/sql-text';
import { sqlSinkOf } from './sql-sinks';

const DRIVERS = new Set(['pg', 'mysql']);
const BOUNDS = new Set(['LIMIT', 'FETCH', 'TOP']);
const AGGREGATES = new Set(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'BOOL_AND', 'BOOL_OR', 'EXISTS']);
const UNIQUE_COLUMNS = new Set(['ID', '_ID', 'UUID']);

export interface UnboundedSql {
  readonly call: ts.CallExpression;
  /** `pool.query`, as written. */
  readonly label: string;
}

/** The pg/mysql2 query call whose literal SELECT text has no LIMIT, returns many rows and pins no key. */
export function unboundedSqlOf(ctx: RuleContext, call: ts.CallExpression): UnboundedSql | undefined {
  const sink = sqlSinkOf(ctx, call);
  if (!sink || !DRIVERS.has(sink.spec.driver)) return undefined;
  const text = literalText(ctx, sink.text);
  if (text === undefined || !isUnboundedSelect(tokenize(text))) return undefined;
  return { call, label: call.expression.getText().replace(/\s+/g, '') };
}

function literalText(ctx: RuleContext, expr: ts.Expression): string | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isIdentifier(e)) {
    const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) {
      const init = skipOuter(ts, decl.initializer);
      if (ts.isStringLiteralLike(init)) return init.text;
    }
  }
  return undefined;
}

function isUnboundedSelect(tokens: readonly Token[]): boolean {
  if (tokens[0]?.kind !== 'word' || tokens[0].value !== 'SELECT') return false;
  let depth = 0;
  let clause = 'SELECT';
  let hasFrom = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'punct' && t.value === '(') depth++;
    else if (t.kind === 'punct' && t.value === ')') depth--;
    if (depth !== 0 || t.kind !== 'word') continue;
    if (BOUNDS.has(t.value)) return false;
    if (t.value === 'FROM' || t.value === 'WHERE' || t.value === 'GROUP' || t.value === 'ORDER' || t.value === 'UNION') clause = t.value;
    if (t.value === 'FROM') hasFrom = true;
    const next = tokens[i + 1];
    if (clause === 'SELECT' && AGGREGATES.has(t.value) && next?.value === '(') return false;
    if (clause === 'WHERE' && UNIQUE_COLUMNS.has(t.value) && next?.value === '=') return false;
  }
  return hasFrom;
}
