// Whether the text handed to JSON.parse comes from outside the process: request data
// (by the taint engine's sources), a WebSocket message, or the body text of a fetch
// Request/Response (`await res.text()`). Constants, files and JSON.stringify output
// are the program's own and say nothing here.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { resolveCall, skipOuter } from './callee';
import { flowsOf, type TaintSource } from '../taint';

export interface ExternalInput {
  /** How to name it in a message: `req.query.filter`, `the response body`. */
  readonly label: string;
  readonly node: ts.Node;
}

const SOURCE_WORDS: Record<TaintSource['kind'], string> = { request: 'request data', lambda: 'the Lambda event', websocket: 'a WebSocket message', browser: 'the page URL' };
const BODY_MODULES = ['undici', 'node-fetch'];

/** True for `JSON.parse(…)`, the global of the standard library (not a local `JSON` object). */
export function isJsonParse(ctx: RuleContext, call: ts.CallExpression): boolean {
  const target = resolveCall(ctx, call);
  return !!target && target.isGlobal && target.name === 'parse' && target.owner === 'JSON';
}

export function externalInputOf(ctx: RuleContext, text: ts.Expression): ExternalInput | undefined {
  const body = bodyTextOf(ctx, text);
  if (body) return body;
  for (const flow of flowsOf(ctx, text)) {
    if (flow.origin.kind !== 'source') continue;
    // Text made by JSON.stringify here is the program's own serialisation, not the raw input.
    if (flow.transforms.some((t) => t.kind === 'json')) continue;
    const { source } = flow.origin;
    return { label: `\`${source.label}\` (${SOURCE_WORDS[source.kind]})`, node: source.node };
  }
  return undefined;
}

/** `await res.text()` of a fetch Response or Request, directly or through a `const`. */
function bodyTextOf(ctx: RuleContext, text: ts.Expression, depth = 0): ExternalInput | undefined {
  const { ts } = ctx;
  let e = skipOuter(ts, text);
  if (ts.isIdentifier(e) && depth < 2) {
    const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const) {
      return bodyTextOf(ctx, decl.initializer, depth + 1);
    }
    return undefined;
  }
  if (!ts.isAwaitExpression(e)) return undefined;
  e = skipOuter(ts, e.expression);
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression) || e.expression.name.text !== 'text') return undefined;
  const target = resolveCall(ctx, e);
  const isBody = !!target && ((target.isGlobal && (target.owner === 'Body' || target.owner === 'Response' || target.owner === 'Request')) || (!!target.module && BODY_MODULES.includes(target.module)));
  if (!isBody) return undefined;
  const receiver = e.expression.expression;
  const typeName = ctx.checker.getTypeAtLocation(receiver).getSymbol()?.getName() ?? '';
  const what = /Request$/.test(typeName) ? 'the request body' : 'the response body';
  return { label: `${what} (\`${e.getText()}\`)`, node: e };
}
