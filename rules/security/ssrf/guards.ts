// Checks that pin the destination, beyond the literal allow-lists every sink accepts:
// the host/hostname/origin of the URL in a collection or equal to a value that is not
// request data (`ALLOWED_HOSTS.has(new URL(x).hostname)`, `u.origin === API.origin`),
// a hostname ending in a fixed `.domain`, the raw URL starting with a fixed origin and
// path, and type-guard functions (`isAllowedUrl(x): x is AllowedUrl`).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { constantString } from '../../shared/constant-values';
import { conditionImplies, flowsOf, type Guard } from '../../taint';

const HOST_MEMBERS = new Set(['host', 'hostname', 'origin']);

export function isDestinationGuard(ctx: RuleContext, guard: Guard): boolean {
  if (guard.caseOf) return isHostMember(ctx, guard.ref, guard.caseOf.expression);
  return conditionImplies(ctx, guard.condition, guard.holds, (leaf, holds) => holds && destinationLeaf(ctx, leaf, guard.ref));
}

function destinationLeaf(ctx: RuleContext, leaf: ts.Expression, ref: ts.Expression): boolean {
  const { ts } = ctx;
  if (!contains(leaf, ref)) return false;
  if (ts.isBinaryExpression(leaf)) {
    const op = leaf.operatorToken.kind;
    if (op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.EqualsEqualsToken) return false;
    const [mine, other] = contains(leaf.left, ref) ? [leaf.left, leaf.right] : [leaf.right, leaf.left];
    return isHostMember(ctx, ref, mine) && isTrusted(ctx, other);
  }
  if (!ts.isCallExpression(leaf)) return false;
  const callee = skipOuter(ts, leaf.expression);
  const arg = leaf.arguments[0];
  if (ts.isPropertyAccessExpression(callee) && arg) {
    const name = callee.name.text;
    if ((name === 'includes' || name === 'has') && contains(arg, ref)) return isHostMember(ctx, ref, arg) && isTrusted(ctx, callee.expression);
    if (name === 'endsWith' && contains(callee.expression, ref)) return isHostMember(ctx, ref, callee.expression) && (constantString(ctx, arg) ?? '').startsWith('.');
    // `url.startsWith('https://api.example.com/')`: the origin is fixed (the trailing `/` matters).
    if (name === 'startsWith' && skipOuter(ts, callee.expression) === skipOuter(ts, ref)) return /^https?:\/\/[^/?#@]+\//i.test(constantString(ctx, arg) ?? '');
  }
  const signature = ctx.checker.getResolvedSignature(leaf);
  return !!signature && !!ctx.checker.getTypePredicateOfSignature(signature) && leaf.arguments.some((a) => contains(a, ref));
}

/** `new URL(x).hostname`, `u.host` where `u` is the checked value (a URL object), `parsed.origin`. */
function isHostMember(ctx: RuleContext, ref: ts.Expression, e: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  return ts.isPropertyAccessExpression(x) && HOST_MEMBERS.has(x.name.text) && contains(x.expression, ref);
}

function isTrusted(ctx: RuleContext, e: ts.Expression): boolean {
  return !flowsOf(ctx, e).some((f) => f.origin.kind === 'source');
}

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end && inner.getSourceFile() === outer.getSourceFile();
}
