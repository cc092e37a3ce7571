// Checks that keep a path inside a directory: after `path.resolve/join/normalize` has
// folded away every `..`, `resolved.startsWith(ROOT)`; or `path.relative(ROOT, p)` not
// starting with `..` (and, optionally, not absolute). The check must be on the same
// value the sink uses — the engine attaches only guards that mention it.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { constantString } from '../../shared/constant-values';
import { conditionImplies, flowsOf, type Guard } from '../../taint';

const NORMALIZERS = ['resolve', 'join', 'normalize'];

export function isContainmentGuard(ctx: RuleContext, guard: Guard): boolean {
  if (guard.caseOf) return false;
  return conditionImplies(ctx, guard.condition, guard.holds, (leaf, holds) => containmentLeaf(ctx, leaf, holds, guard.ref));
}

function containmentLeaf(ctx: RuleContext, leaf: ts.Expression, holds: boolean, ref: ts.Expression): boolean {
  const { ts } = ctx;
  if (!ts.isCallExpression(leaf) || !contains(leaf, ref)) return false;
  const callee = skipOuter(ts, leaf.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'startsWith' || leaf.arguments.length === 0) return false;
  const subject = skipOuter(ts, callee.expression);
  const prefix = leaf.arguments[0];
  // `path.relative(ROOT, p).startsWith('..')` known false: p is under ROOT.
  if (!holds && constantString(ctx, prefix) === '..') return isPathCall(ctx, subject, ['relative']) && contains(subject, ref) && isTrusted(ctx, (subject as ts.CallExpression).arguments[0], ref);
  // `resolved.startsWith(ROOT)` known true, `resolved` normalised.
  if (!holds || !contains(subject, ref) || contains(prefix, ref) || !isTrusted(ctx, prefix, ref)) return false;
  return isNormalised(ctx, subject);
}

/** `path.resolve(ROOT, x)` itself, or a value that only ever comes out of one. */
function isNormalised(ctx: RuleContext, subject: ts.Expression): boolean {
  const { ts } = ctx;
  if (isPathCall(ctx, subject, NORMALIZERS)) return true;
  const flows = flowsOf(ctx, subject);
  if (flows.length === 0) return false;
  return flows.every((f) => f.transforms.some((t) => ts.isCallExpression(t.node) && isPathCall(ctx, t.node, NORMALIZERS)));
}

function isPathCall(ctx: RuleContext, e: ts.Expression, names: readonly string[]): boolean {
  const { ts } = ctx;
  if (!ts.isCallExpression(e)) return false;
  const target = resolveCall(ctx, e);
  return target?.module === 'path' && names.includes(target.name);
}

/** The root compared against: not the checked value and not request data (`ROOT`, `ROOT + path.sep`, a parameter). */
function isTrusted(ctx: RuleContext, e: ts.Expression | undefined, ref: ts.Expression): boolean {
  if (!e || contains(e, ref)) return false;
  const text = constantString(ctx, e);
  if (text !== undefined) return text.length > 0 && text !== '.' && text !== '/';
  return !flowsOf(ctx, e).some((f) => f.origin.kind === 'source');
}

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end && inner.getSourceFile() === outer.getSourceFile();
}
