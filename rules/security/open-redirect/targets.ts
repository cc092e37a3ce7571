// Redirect targets whose origin the code fixes: a constant beginning that is a path on this
// site (`/users/…`, not `//…` or `/\…`, which browsers read as another host), a query or
// fragment of the current page, or an absolute URL whose host is spelled out and closed by
// `/`, `?` or `#`. What follows such a prefix cannot send the browser elsewhere.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { constantString } from '../../shared/constant-values';
import { variableWrites } from '../../shared/string-building';
import { projectFunctionOf } from '../../taint';
import { returnedExpressions } from '../../taint/functions';

const MAX_DEPTH = 6;
const SAME_SITE_PATH = /^\/[^/\\]/;
const SAME_PAGE = /^[?#]/;
const RELATIVE_PATH = /^\.\.?\//;
const FIXED_HOST = /^https?:\/\/[^/?#\\@]+[/?#]/i;

interface Leading {
  readonly text: string;
  /** True when the text is the whole value. */
  readonly complete: boolean;
}

/** True when the target's constant beginning fixes where the browser goes. */
export function keepsOrigin(ctx: RuleContext, expr: ts.Expression, depth = 0): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (depth > MAX_DEPTH) return false;
  if (ts.isConditionalExpression(e)) return keepsOrigin(ctx, e.whenTrue, depth + 1) && keepsOrigin(ctx, e.whenFalse, depth + 1);
  if (ts.isIdentifier(e)) {
    const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
    const writes = decl && ts.isVariableDeclaration(decl) ? variableWrites(ctx, decl) : undefined;
    if (writes) return writes.every((w) => keepsOrigin(ctx, w, depth + 1));
  }
  if (ts.isCallExpression(e)) {
    // A project helper that builds the target: every value it returns must keep the origin.
    const fn = projectFunctionOf(ctx, e);
    const returned = fn ? returnedExpressions(ctx, fn) : [];
    if (returned.length > 0) return returned.every((r) => keepsOrigin(ctx, r, depth + 1));
  }
  const lead = leading(ctx, e);
  if (!lead || lead.complete) return false;
  return SAME_SITE_PATH.test(lead.text) || SAME_PAGE.test(lead.text) || RELATIVE_PATH.test(lead.text) || FIXED_HOST.test(lead.text);
}

/** The constant text a template or concatenation starts with. */
function leading(ctx: RuleContext, expr: ts.Expression): Leading | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  const constant = constantString(ctx, e);
  if (constant !== undefined) return { text: constant, complete: true };
  if (ts.isTemplateExpression(e)) {
    let text = e.head.text;
    for (const span of e.templateSpans) {
      const value = constantString(ctx, span.expression);
      if (value === undefined) return { text, complete: false };
      text += value + span.literal.text;
    }
    return { text, complete: true };
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = leading(ctx, e.left);
    if (!left) return undefined;
    if (!left.complete) return left;
    const right = leading(ctx, e.right);
    return right ? { text: left.text + right.text, complete: right.complete } : { text: left.text, complete: false };
  }
  return undefined;
}
