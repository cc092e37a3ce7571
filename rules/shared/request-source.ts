// Where request data entered a value that IS that data (not text built from it):
// `req.query.email` read directly, through `const`/destructuring bindings, or as a
// parameter that is request data by itself (Nest `@Query('email')`, a WebSocket message).
// What counts as a source is the taint engine's (rules/taint/sources: Express, Fastify,
// Koa, Next, node:http, Lambda, WebSocket); `taintedBy` asks the engine's propagation for
// any path (variables reassigned, helpers in other files) when the shape does not matter.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { skipOuter } from './callee';
import { isRequestObject, requestPartNamed } from './http';
import { shortText } from './source-text';
import { expressionSource, parameterSource } from '../taint/sources';
import { flowsOf } from '../taint/propagation';
import type { Step } from '../taint/types';

const MAX_DEPTH = 12;

/** Where request data entered: `req.query.email`, or a Nest `@Query('email') email` parameter. */
export interface RequestSource {
  /** body, query, params, headers, cookies, files, url; or the source kind (websocket, lambda) when it has no part. */
  readonly part: string;
  /** How to name it in a message: `req.query.email`. */
  readonly label: string;
  /** Where it entered: the access or the binding that read it. */
  readonly node: ts.Node;
  /** The engine's path from the source to the expression, when it found one through more than bindings. */
  readonly steps?: readonly Step[];
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
  const direct = expressionSource(ctx, e);
  if (direct && direct.kind !== 'browser') return { part: direct.part ?? direct.kind, label: shortText(ctx, e), node: e };
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const base = requestSourceOf(ctx, e.expression, depth + 1);
    if (!base) return undefined;
    const key = ts.isPropertyAccessExpression(e) ? `.${e.name.text}` : ts.isStringLiteralLike(e.argumentExpression) ? `.${e.argumentExpression.text}` : '[…]';
    return { ...base, label: `${base.label}${key}` };
  }
  if (!ts.isIdentifier(e)) return undefined;
  const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
  if (!decl) return undefined;
  if (ts.isParameter(decl)) {
    const param = parameterSource(ctx, decl);
    return param && param.kind !== 'browser' ? { part: param.part ?? param.kind, label: decl.name.getText(), node: param.node } : undefined;
  }
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

/** Untrusted server-side input reaching `expr` by any path the engine follows, unsanitised. */
export function taintedBy(ctx: RuleContext, expr: ts.Expression): RequestSource | undefined {
  const flow = flowsOf(ctx, expr).find((f) => f.origin.kind === 'source' && f.origin.source.kind !== 'browser' && f.transforms.length === 0);
  if (!flow || flow.origin.kind !== 'source') return undefined;
  const source = flow.origin.source;
  return { part: source.part ?? source.kind, label: source.label, node: source.node, steps: flow.steps };
}
