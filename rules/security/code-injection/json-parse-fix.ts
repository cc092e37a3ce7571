// The fix for `eval` used as a JSON parser: `eval(text)` or `eval('(' + text + ')')`
// becomes `JSON.parse(text)`. Offered only when nothing but the value (and the
// parentheses of the old JSON idiom) is evaluated; not safe, since input that was
// JavaScript but not JSON (single quotes, functions, trailing commas) now throws.
import type { ts } from 'ts-morph';
import type { Fix, RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';

export function jsonParseFix(ctx: RuleContext, call: ts.CallExpression): Fix | undefined {
  const { ts } = ctx;
  const value = parsedValue(ctx, call.arguments[0]);
  if (!value || call.arguments.length !== 1) return undefined;
  const sf = ctx.sourceFile;
  return {
    title: 'Parse the value with `JSON.parse` instead of evaluating it',
    isPreferred: true,
    safe: false,
    edits: [{ fileName: ctx.fileName, start: call.getStart(sf), end: call.getEnd(), newText: `JSON.parse(${skipOuter(ts, value).getText(sf)})` }],
  };
}

/** `text` for `text` / `'(' + text + ')'` / `` `(${text})` ``; undefined when other code is evaluated too. */
function parsedValue(ctx: RuleContext, arg: ts.Expression | undefined): ts.Expression | undefined {
  const { ts } = ctx;
  if (!arg) return undefined;
  const e = skipOuter(ts, arg);
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return e;
  if (ts.isTemplateExpression(e) && e.templateSpans.length === 1 && e.head.text === '(' && e.templateSpans[0].literal.text === ')') return parsedValue(ctx, e.templateSpans[0].expression);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken && isText(ts, e.right, ')')) {
    const left = skipOuter(ts, e.left);
    if (ts.isBinaryExpression(left) && left.operatorToken.kind === ts.SyntaxKind.PlusToken && isText(ts, left.left, '(')) return parsedValue(ctx, left.right);
  }
  return undefined;
}

function isText(ts: RuleContext['ts'], e: ts.Expression, text: string): boolean {
  const x = skipOuter(ts, e);
  return ts.isStringLiteralLike(x) && x.text === text;
}
