// Is a response body HTML? Two kinds of evidence: the constant text the value is built
// from contains markup (`<p>`, `</`, `<!doctype`), or the code set an HTML content type.
// Both are read from the code (literals, local bindings), never guessed from names.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { constantString } from '../../shared/constant-values';
import { variableWrites } from '../../shared/string-building';

const MAX_DEPTH = 4;
const MARKUP = /<[a-zA-Z!/]/;

export type ContentType = 'html' | 'other' | 'unknown';

/** The constant pieces of text a string value is built from (templates, `+`, local bindings). */
export function constantPieces(ctx: RuleContext, expr: ts.Expression, depth = 0): string[] {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (depth > MAX_DEPTH) return [];
  if (ts.isStringLiteralLike(e)) return [e.text];
  if (ts.isTemplateExpression(e)) {
    return [e.head.text, ...e.templateSpans.flatMap((s) => [...constantPieces(ctx, s.expression, depth + 1), s.literal.text])];
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return [...constantPieces(ctx, e.left, depth + 1), ...constantPieces(ctx, e.right, depth + 1)];
  if (ts.isConditionalExpression(e)) return [...constantPieces(ctx, e.whenTrue, depth + 1), ...constantPieces(ctx, e.whenFalse, depth + 1)];
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'join') return constantPieces(ctx, e.expression.expression, depth + 1);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'map') {
    const fn = e.arguments[0] && skipOuter(ts, e.arguments[0]);
    if (fn && ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) return constantPieces(ctx, fn.body as ts.Expression, depth + 1);
  }
  if (ts.isIdentifier(e)) {
    const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.getSourceFile() === ctx.sourceFile) {
      return (variableWrites(ctx, decl) ?? []).flatMap((w) => constantPieces(ctx, w, depth + 1));
    }
  }
  return [];
}

/** True when the value's constant text contains markup. */
export function hasMarkup(ctx: RuleContext, expr: ts.Expression): boolean {
  return constantPieces(ctx, expr).some((p) => MARKUP.test(p));
}

/** True when the value's text begins with markup (Koa serves such strings as text/html). */
export function startsWithMarkup(ctx: RuleContext, expr: ts.Expression, depth = 0): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (depth > MAX_DEPTH) return false;
  if (ts.isStringLiteralLike(e)) return /^\s*</.test(e.text);
  if (ts.isTemplateExpression(e)) return /^\s*</.test(e.head.text);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return startsWithMarkup(ctx, e.left, depth + 1);
  if (ts.isIdentifier(e)) {
    const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
    const writes = decl && ts.isVariableDeclaration(decl) && decl.getSourceFile() === ctx.sourceFile ? variableWrites(ctx, decl) : undefined;
    return !!writes && startsWithMarkup(ctx, writes[0], depth + 1);
  }
  return false;
}

/** `'html'`, `'text/html; charset=utf-8'` → html; `'json'`, `'text/plain'` → other; not constant → unknown. */
export function contentTypeOf(ctx: RuleContext, value: ts.Expression | undefined): ContentType {
  const text = constantString(ctx, value);
  if (text === undefined) return 'unknown';
  const t = text.trim().toLowerCase();
  return t === 'html' || t === '.html' || t.startsWith('text/html') || t.startsWith('application/xhtml') ? 'html' : 'other';
}

/** `{ 'Content-Type': 'text/html' }` / `{ headers: { 'content-type': … } }`: the content type an object literal sets. */
export function contentTypeInObject(ctx: RuleContext, obj: ts.Expression | undefined): ContentType | undefined {
  const { ts } = ctx;
  const e = obj && skipOuter(ts, obj);
  if (!e || !ts.isObjectLiteralExpression(e)) return undefined;
  for (const p of e.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const name = ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name) ? p.name.text.toLowerCase() : undefined;
    if (name === 'content-type') return contentTypeOf(ctx, p.initializer);
    if (name === 'headers') {
      const inner = contentTypeInObject(ctx, p.initializer);
      if (inner) return inner;
    }
  }
  return undefined;
}
