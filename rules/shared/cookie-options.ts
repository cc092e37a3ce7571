// The options object a cookie is configured with, read as far as the code states it:
// inline literals, `const` objects and their spreads (later properties win). When the
// object cannot be known — a parameter, a call's result, an object mutated after its
// declaration (`sess.cookie.secure = true` in production) — the answer is "unknown"
// and the cookie rules stay silent.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { skipOuter } from './callee';
import { unchangedConstInitializer } from './constant-values';

export interface ResolvedObject {
  /** Property name → the node giving its value (an expression, or the accessor/method itself). */
  readonly props: ReadonlyMap<string, ts.Node>;
  /** The object literal that was written for this use (inline or held by a `const`): where a fix adds properties. */
  readonly literal: ts.ObjectLiteralExpression;
}

const MAX_DEPTH = 6;

/** The object `expr` denotes, or undefined when any part of it cannot be known. */
export function resolveObject(ctx: RuleContext, expr: ts.Expression, depth = 0): ResolvedObject | undefined {
  const { ts } = ctx;
  if (depth > MAX_DEPTH) return undefined;
  const e = skipOuter(ts, expr);
  if (ts.isIdentifier(e)) {
    const init = unchangedConstInitializer(ctx, e);
    return init ? resolveObject(ctx, init, depth + 1) : undefined;
  }
  if (!ts.isObjectLiteralExpression(e)) return undefined;
  const props = new Map<string, ts.Node>();
  for (const p of e.properties) {
    if (ts.isSpreadAssignment(p)) {
      const inner = resolveObject(ctx, p.expression, depth + 1);
      if (!inner) return undefined;
      for (const [k, v] of inner.props) props.set(k, v);
      continue;
    }
    const name = p.name && propertyName(ts, p.name);
    if (name === undefined) return undefined;
    if (ts.isPropertyAssignment(p)) props.set(name, p.initializer);
    else if (ts.isShorthandPropertyAssignment(p)) props.set(name, p.name);
    else props.set(name, p);
  }
  return { props, literal: e };
}

function propertyName(ts: RuleContext['ts'], name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

/** What a boolean-ish option is set to: a literal `true`/`false`, absent (or `undefined`), or computed at run time. */
export type OptionValue = 'true' | 'false' | 'absent' | 'computed';

export function optionValue(ctx: RuleContext, node: ts.Node | undefined): OptionValue {
  const { ts } = ctx;
  if (!node) return 'absent';
  if (!ts.isExpression(node) && !ts.isShorthandPropertyAssignment(node)) return 'computed';
  const e = ts.isIdentifier(node) || !ts.isExpression(node) ? node : skipOuter(ts, node);
  if (e.kind === ts.SyntaxKind.TrueKeyword) return 'true';
  if (e.kind === ts.SyntaxKind.FalseKeyword) return 'false';
  if (ts.isIdentifier(e) && e.text === 'undefined') return 'absent';
  // A `const` holding a literal: its type says which.
  const type = ctx.checker.getTypeAtLocation(e);
  if (type.flags & ts.TypeFlags.BooleanLiteral) return (type as { intrinsicName?: string }).intrinsicName === 'true' ? 'true' : 'false';
  if (type.flags & ts.TypeFlags.Undefined) return 'absent';
  return 'computed';
}
