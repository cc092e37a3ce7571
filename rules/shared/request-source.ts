// Where request data entered a value: `req.query.email` read directly, through
// `const`/destructuring bindings, or as a Nest `@Query('email')` parameter. Shared by
// the rules that follow request data into a sink (SQL today, the taint engine later).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { resolveCall, skipOuter } from './callee';
import { isRequestObject, requestPartNamed, requestPartOf, type RequestPart } from './http';
import { shortText } from './source-text';

const MAX_DEPTH = 12;
const NEST_PARTS: Record<string, RequestPart> = { Body: 'body', Query: 'query', Param: 'params', Headers: 'headers' };

/** Where request data entered: `req.query.email`, or a Nest `@Query('email') email` parameter. */
export interface RequestSource {
  readonly part: RequestPart;
  /** How to name it in a message: `req.query.email`. */
  readonly label: string;
  /** Where it entered: the access or the binding that read it. */
  readonly node: ts.Node;
}

/**
 * Request data an expression reads: `req.query.email` directly, or through
 * `const { email } = req.query` / `const email = req.body.email`, or a Nest
 * `@Query('email') email` parameter (and `dto.name` of a `@Body() dto`).
 */
export function requestSourceOf(ctx: RuleContext, expr: ts.Expression, depth = 0): RequestSource | undefined {
  const { ts, checker } = ctx;
  const e = skipOuter(ts, expr);
  if (depth > MAX_DEPTH) return undefined;
  const part = requestPartOf(ctx, e);
  if (part) return { part, label: shortText(ctx, e), node: e };
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const base = requestSourceOf(ctx, e.expression, depth + 1);
    if (!base) return undefined;
    const key = ts.isPropertyAccessExpression(e) ? `.${e.name.text}` : ts.isStringLiteralLike(e.argumentExpression) ? `.${e.argumentExpression.text}` : '[…]';
    return { ...base, label: `${base.label}${key}` };
  }
  if (!ts.isIdentifier(e)) return undefined;
  const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
  if (!decl) return undefined;
  if (ts.isParameter(decl)) return nestParameterSource(ctx, decl);
  if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) {
    const inner = requestSourceOf(ctx, decl.initializer, depth + 1);
    return inner && { ...inner, node: decl };
  }
  if (ts.isBindingElement(decl)) return bindingSource(ctx, decl, depth);
  return undefined;
}

/** `const { body: { email } } = req` → `req.body.email`. */
function bindingSource(ctx: RuleContext, element: ts.BindingElement, depth: number): RequestSource | undefined {
  const { ts } = ctx;
  const keys: string[] = [];
  let n: ts.Node = element;
  while (ts.isBindingElement(n)) {
    if (!ts.isObjectBindingPattern(n.parent)) return undefined;
    const key = n.propertyName ?? n.name;
    if (!ts.isIdentifier(key) && !ts.isStringLiteral(key)) return undefined;
    keys.unshift(key.text);
    n = n.parent.parent;
  }
  if (!ts.isVariableDeclaration(n) || !n.initializer) return undefined;
  const init = skipOuter(ts, n.initializer);
  const label = `${shortText(ctx, init)}.${keys.join('.')}`;
  if (isRequestObject(ctx, init)) {
    const first = keys[0];
    const part = requestPartNamed(first);
    return part && { part, label, node: n };
  }
  const base = requestSourceOf(ctx, init, depth + 1);
  return base && { part: base.part, label: `${base.label}.${keys.join('.')}`, node: n };
}

function nestParameterSource(ctx: RuleContext, param: ts.ParameterDeclaration): RequestSource | undefined {
  const { ts } = ctx;
  for (const decorator of ts.getDecorators(param) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) continue;
    const part = NEST_PARTS[call.expression.text];
    if (part && resolveCall(ctx, call)?.module === '@nestjs/common') return { part, label: param.name.getText(), node: decorator };
  }
  return undefined;
}
