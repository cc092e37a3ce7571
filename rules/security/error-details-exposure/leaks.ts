// What of a caught error a response value carries: its stack, its message (also as
// `${err}` or `String(err)`), or the error object itself, followed through `const`s.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { errorOriginOf, type ErrorOrigin } from './errors';

export type LeakKind = 'stack' | 'message' | 'object';

export interface Leak {
  readonly kind: LeakKind;
  /** Where the response value reads it: the leak itself, or the `const` that holds it. */
  readonly at: ts.Expression;
  /** The expression that reads it (`err.stack`, `err`), to underline and to replace. */
  readonly node: ts.Expression;
  readonly origin: ErrorOrigin;
  readonly label: string;
}

const MAX_DEPTH = 4;

/** What of caught errors `value` carries, at most one leak per place, the most revealing first. */
export function leaksIn(ctx: RuleContext, value: ts.Expression): Leak[] {
  const found = collect(ctx, value, 0);
  const best = new Map<ts.Node, Leak>();
  for (const leak of found) {
    const prior = best.get(leak.at);
    if (!prior || RANK[leak.kind] < RANK[prior.kind]) best.set(leak.at, leak);
  }
  return [...best.values()];
}

const RANK: Record<LeakKind, number> = { stack: 0, message: 1, object: 2 };

function collect(ctx: RuleContext, value: ts.Expression, depth: number): Leak[] {
  const { ts } = ctx;
  const out: Leak[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    // Tests on the error (`err instanceof X`, `typeof err`, `err ? … : …`) read it without sending it.
    if (ts.isConditionalExpression(n)) return [n.whenTrue, n.whenFalse].forEach(visit);
    if (ts.isTypeOfExpression(n) || (ts.isBinaryExpression(n) && isComparison(ts, n.operatorToken.kind))) return;
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(skipOuter(ts, n.expression))) {
      const id = skipOuter(ts, n.expression) as ts.Identifier;
      const name = n.name.text;
      if (name === 'stack' || name === 'message') {
        const origin = errorOriginOf(ctx, id);
        if (origin) {
          out.push({ kind: name, at: n, node: n, origin, label: n.getText() });
          return;
        }
      }
    }
    if (ts.isIdentifier(n) && !isPropertyName(ts, n)) {
      const origin = errorOriginOf(ctx, n);
      if (origin) {
        out.push({ kind: wholeErrorKind(ts, n), at: n, node: n, origin, label: n.text });
        return;
      }
      const decl = ctx.checker.getSymbolAtLocation(n)?.valueDeclaration;
      if (depth < MAX_DEPTH && decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const && !ts.isCatchClause(decl.parent)) {
        out.push(...collect(ctx, decl.initializer, depth + 1).map((leak) => ({ ...leak, at: n })));
      }
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(value);
  return out;
}

function isComparison(ts: RuleContext['ts'], kind: ts.SyntaxKind): boolean {
  const K = ts.SyntaxKind;
  return [K.InstanceOfKeyword, K.EqualsEqualsEqualsToken, K.ExclamationEqualsEqualsToken, K.EqualsEqualsToken, K.ExclamationEqualsToken, K.InKeyword].includes(kind);
}

/** `${err}`, `'x' + err`, `String(err)` print the message; elsewhere the object itself is sent. */
function wholeErrorKind(ts: RuleContext['ts'], id: ts.Identifier): LeakKind {
  let n: ts.Node = id;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isTemplateSpan(p) || (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.PlusToken)) return 'message';
  if (ts.isCallExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'String') return 'message';
  return 'object';
}

/** `x` in `obj.x` or `{ x: 1 }` is a name, not a read. */
function isPropertyName(ts: RuleContext['ts'], id: ts.Identifier): boolean {
  const p = id.parent;
  return (ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isPropertyAssignment(p) && p.name === id);
}
