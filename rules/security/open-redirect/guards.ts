// Checks that make a redirect target stay on this site: `x.startsWith('/') && !x.startsWith('//')`
// (one leading slash), a regular expression anchored on a single `/`, and comparing the
// parsed URL's origin or host with a value the code chose (`new URL(x, base).origin === base`).
// Facts are gathered through `!`, `&&`, `||` and early exits, so both halves of a check can
// be written in either order and in one condition.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { constantString } from '../../shared/constant-values';
import { flowsOf, type Guard } from '../../taint';

type Fact = 'safe' | 'slash' | 'no-double-slash';
const ORIGIN_MEMBERS = new Set(['origin', 'host', 'hostname']);
/** `^/(?!/)…`, `^\/[^/\\]…`: a single leading slash. */
const ANCHORED_PATH = /^\^\\?\/(?:\(\?!|\[\^)/;

export function isSameOriginGuard(ctx: RuleContext, guard: Guard): boolean {
  const facts = factsOf(ctx, guard.condition, guard.holds, guard.ref);
  return facts.has('safe') || (facts.has('slash') && facts.has('no-double-slash'));
}

/** What is known of `ref` when `condition` is known to be `holds`. */
function factsOf(ctx: RuleContext, condition: ts.Expression, holds: boolean, ref: ts.Expression): Set<Fact> {
  const { ts } = ctx;
  const c = skipOuter(ts, condition);
  if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) return factsOf(ctx, c.operand, !holds, ref);
  if (ts.isBinaryExpression(c)) {
    const op = c.operatorToken.kind;
    const left = () => factsOf(ctx, c.left, holds, ref);
    const right = () => factsOf(ctx, c.right, holds, ref);
    // Both sides are known only when `a && b` holds or `a || b` fails; otherwise only what both sides share.
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return holds ? union(left(), right()) : common(left(), right());
    if (op === ts.SyntaxKind.BarBarToken) return holds ? common(left(), right()) : union(left(), right());
  }
  return leafFacts(ctx, c, holds, ref);
}

function leafFacts(ctx: RuleContext, leaf: ts.Expression, holds: boolean, ref: ts.Expression): Set<Fact> {
  const { ts } = ctx;
  const out = new Set<Fact>();
  if (ts.isCallExpression(leaf) && ts.isPropertyAccessExpression(leaf.expression)) {
    const method = leaf.expression.name.text;
    const subject = leaf.expression.expression;
    if (method === 'startsWith' && sameValue(ctx, subject, ref)) {
      const prefix = constantString(ctx, leaf.arguments[0]);
      if (holds && prefix === '/') out.add('slash');
      if (holds && prefix && /^\/[^/\\]/.test(prefix)) out.add('safe');
      if (!holds && prefix === '//') out.add('no-double-slash');
    }
    const pattern = skipOuter(ts, subject);
    if (method === 'test' && holds && ts.isRegularExpressionLiteral(pattern) && leaf.arguments[0] && sameValue(ctx, leaf.arguments[0], ref)) {
      const source = pattern.text.slice(1, pattern.text.lastIndexOf('/'));
      if (ANCHORED_PATH.test(source)) out.add('safe');
    }
  }
  if (ts.isBinaryExpression(leaf)) {
    const op = leaf.operatorToken.kind;
    const equal = ((op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) && holds) || ((op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) && !holds);
    if (equal) {
      const [member, other] = isOriginOf(ctx, leaf.left, ref) ? [leaf.left, leaf.right] : isOriginOf(ctx, leaf.right, ref) ? [leaf.right, leaf.left] : [];
      if (member && other && !flowsOf(ctx, other).some((f) => f.origin.kind === 'source')) out.add('safe');
    }
  }
  return out;
}

/** `url.origin` / `new URL(x, base).host` where `url` / `x` is the guarded value. */
function isOriginOf(ctx: RuleContext, e: ts.Expression, ref: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (!ts.isPropertyAccessExpression(x) || !ORIGIN_MEMBERS.has(x.name.text)) return false;
  const owner = skipOuter(ts, x.expression);
  if (sameValue(ctx, owner, ref)) return true;
  return ts.isNewExpression(owner) && ts.isIdentifier(owner.expression) && owner.expression.text === 'URL' && !!owner.arguments?.[0] && sameValue(ctx, owner.arguments[0], ref);
}

/** The same variable or access path (`next`, `req.query.next`). */
function sameValue(ctx: RuleContext, a: ts.Expression, b: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, a);
  const y = skipOuter(ts, b);
  if (x.getText() !== y.getText()) return false;
  let rx: ts.Expression = x;
  let ry: ts.Expression = y;
  while (ts.isPropertyAccessExpression(rx) || ts.isElementAccessExpression(rx)) rx = skipOuter(ts, rx.expression);
  while (ts.isPropertyAccessExpression(ry) || ts.isElementAccessExpression(ry)) ry = skipOuter(ts, ry.expression);
  return ts.isIdentifier(rx) && ts.isIdentifier(ry) && ctx.checker.getSymbolAtLocation(rx) === ctx.checker.getSymbolAtLocation(ry);
}

function union<T>(a: Set<T>, b: Set<T>): Set<T> {
  return new Set([...a, ...b]);
}

function common<T>(a: Set<T>, b: Set<T>): Set<T> {
  return new Set([...a].filter((x) => b.has(x)));
}
