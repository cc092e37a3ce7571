// n-plus-one-query: a database read run once per row of another query (or per request-provided id).
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { queryCallOf, rowsSourceOf, type QueryCall } from '../shared/n-plus-one-queries';
import { flowsOf } from '../taint';
import { forEachCall } from '../shared/walk';

/** Array methods that call their callback once per element. */
const PER_ELEMENT = new Set(['map', 'forEach', 'flatMap']);

interface Iteration {
  /** The loop statement or the `map`/`forEach` call. */
  readonly node: ts.Node;
  /** What it iterates over. */
  readonly iterable: ts.Expression;
  /** The bindings that change per iteration (loop variable, callback parameter, index). */
  readonly perItem: ts.Node[];
}

type Outer = { readonly kind: 'query'; readonly query: QueryCall } | { readonly kind: 'request'; readonly label: string; readonly node: ts.Node };

export const rule: Rule = {
  id: 'n-plus-one-query',
  category: 'performance',
  cwe: [1073],
  defaultSeverity: 'warning',
  description: 'A database query runs once per row of another query (or per request-provided id) instead of once for all of them.',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    if (isTestModule(ctx)) return;
    const outers = new Map<ts.Node, Outer | null>();
    forEachCall(ctx, (call) => {
      const iteration = enclosingIteration(ctx, call);
      if (!iteration || !usesPerItem(ctx, call, iteration.perItem)) return;
      const inner = queryCallOf(ctx, call);
      if (!inner) return;
      let outer = outers.get(iteration.node);
      if (outer === undefined) outers.set(iteration.node, (outer = outerOf(ctx, iteration.iterable) ?? null));
      if (!outer) return;
      const per = outer.kind === 'query' ? `row of \`${outer.query.label}\`` : `id in \`${outer.label}\``;
      ctx.report({
        node: call,
        message: `\`${inner.label}\` runs once per ${per} (N+1 queries): load them in one query with an include/join, a \`WHERE … IN (…)\` (\`{ in: ids }\`) or a DataLoader.`,
        related: [{ node: outer.kind === 'query' ? outer.query.call : outer.node, message: outer.kind === 'query' ? 'The outer query' : 'The ids come from the request' }],
      });
    });
  },
};

/**
 * The loop or per-element callback `call` runs in, when its result is waited for each time:
 * awaited in a loop body, or anywhere in a `map`/`forEach` callback (`Promise.all(rows.map(…))`
 * runs the N queries at once, but still N).
 */
function enclosingIteration(ctx: RuleContext, call: ts.CallExpression): Iteration | undefined {
  const { ts } = ctx;
  let awaited = isAwaited(ts, call);
  for (let n: ts.Node = call; n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isFunctionLike(p)) {
      const host = p.parent && ts.isCallExpression(p.parent) ? p.parent : undefined;
      const method = host && ts.isPropertyAccessExpression(skipOuter(ts, host.expression)) ? (skipOuter(ts, host.expression) as ts.PropertyAccessExpression) : undefined;
      if (host && method && PER_ELEMENT.has(method.name.text) && host.arguments[0] === p && (ts.isArrowFunction(p) || ts.isFunctionExpression(p))) {
        return { node: host, iterable: method.expression, perItem: p.parameters.map((x) => x.name) };
      }
      return undefined;
    }
    if (ts.isAwaitExpression(p)) awaited = true;
    if (!awaited) continue;
    if (ts.isForOfStatement(p) && n === p.statement) return { node: p, iterable: p.expression, perItem: bindingsOf(ts, p.initializer) };
    if (ts.isForStatement(p) && n === p.statement && p.condition) {
      const bound = lengthOperand(ts, p.condition);
      if (bound) return { node: p, iterable: bound, perItem: p.initializer ? bindingsOf(ts, p.initializer) : [] };
    }
    if (ts.isWhileStatement(p) && n === p.statement) {
      const bound = lengthOperand(ts, p.expression);
      if (bound) return { node: p, iterable: bound, perItem: [] };
    }
  }
  return undefined;
}

function isAwaited(ts: RuleContext['ts'], call: ts.CallExpression): boolean {
  let n: ts.Node = call;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent)) n = n.parent;
  return ts.isAwaitExpression(n.parent);
}

function bindingsOf(ts: RuleContext['ts'], init: ts.ForInitializer): ts.Node[] {
  return ts.isVariableDeclarationList(init) ? init.declarations.map((d) => d.name) : [init];
}

/** `rows` in `i < rows.length`. */
function lengthOperand(ts: RuleContext['ts'], condition: ts.Expression): ts.Expression | undefined {
  const c = skipOuter(ts, condition);
  if (!ts.isBinaryExpression(c)) return undefined;
  const right = skipOuter(ts, c.right);
  return ts.isPropertyAccessExpression(right) && right.name.text === 'length' ? right.expression : undefined;
}

/** True when the call's arguments (or receiver chain) read a per-iteration binding: the query differs per row. */
function usesPerItem(ctx: RuleContext, call: ts.CallExpression, perItem: readonly ts.Node[]): boolean {
  const { ts } = ctx;
  const symbols = new Set<ts.Symbol>();
  const collect = (b: ts.Node): void => {
    if (ts.isIdentifier(b)) {
      const s = ctx.checker.getSymbolAtLocation(b);
      if (s) symbols.add(s);
    } else ts.forEachChild(b, collect);
  };
  perItem.forEach(collect);
  if (symbols.size === 0) return perItem.length === 0;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n)) {
      // `{ where: { id } }`: the shorthand's name is the property; its value is the variable.
      const s = ts.isShorthandPropertyAssignment(n.parent) && n.parent.name === n ? ctx.checker.getShorthandAssignmentValueSymbol(n.parent) : ctx.checker.getSymbolAtLocation(n);
      if (s && (symbols.has(s) || derivedFrom(ctx, s, symbols))) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(call);
  return found;
}

/** A local `const fk = row.authorId` inside the loop body counts as the row. */
function derivedFrom(ctx: RuleContext, s: ts.Symbol, symbols: ReadonlySet<ts.Symbol>): boolean {
  const { ts } = ctx;
  const decl = s.valueDeclaration;
  if (!decl || !(ts.isVariableDeclaration(decl) || ts.isBindingElement(decl))) return false;
  const varDecl = ts.isBindingElement(decl) ? decl.parent.parent : decl;
  if (!ts.isVariableDeclaration(varDecl) || !varDecl.initializer) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n)) {
      const t = ts.isShorthandPropertyAssignment(n.parent) && n.parent.name === n ? ctx.checker.getShorthandAssignmentValueSymbol(n.parent) : ctx.checker.getSymbolAtLocation(n);
      if (t && symbols.has(t)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(varDecl.initializer);
  return found;
}

function outerOf(ctx: RuleContext, iterable: ts.Expression): Outer | undefined {
  const query = rowsSourceOf(ctx, iterable);
  if (query) return { kind: 'query', query };
  const request = flowsOf(ctx, iterable).find((f) => f.origin.kind === 'source' && f.origin.source.kind === 'request');
  if (request && request.origin.kind === 'source') return { kind: 'request', label: request.origin.source.label, node: request.origin.source.node };
  return undefined;
}
