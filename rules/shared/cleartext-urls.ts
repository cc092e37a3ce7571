// The part of a URL expression the code states as constants: literals, templates and
// concatenations with a constant start, `const`s (also imported ones and properties of a
// const object), `new URL(path, base)`, and the fallback of `process.env.X ?? '…'`. From it,
// the scheme and host a request goes to when both are fixed in the source.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { skipOuter } from './callee';
import { constInitializer, unchangedConstInitializer } from './constant-values';
import { optionValue } from './outbound-http/options';

const MAX_DEPTH = 8;

/** A literal the URL's text begins in: where the scheme is written. */
export type SchemeLiteral = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateHead;

interface Known {
  /** The constant start of the value. */
  readonly text: string;
  /** True when `text` is the whole value. */
  readonly complete: boolean;
  /** True when `text` ends where a named constant (`const BASE = '…'`) ends: a base URL is a whole origin. */
  readonly endsAtNamedValue: boolean;
  /** The literal holding the first character of `text`. */
  readonly first: SchemeLiteral | undefined;
  /** The environment variable whose fallback this is (`process.env.API_URL ?? '…'`). */
  readonly envFallback?: string;
}

export interface ConstantUrl {
  /** `http` or `ws` (lower case). */
  readonly scheme: string;
  /** As WHATWG URL gives it: lower case, IPv6 in brackets. */
  readonly hostname: string;
  /** `http://api.example.com` (no path: it may carry tokens). */
  readonly origin: string;
  readonly literal: SchemeLiteral;
  readonly envFallback?: string;
}

/** The cleartext (`http://`, `ws://`) URL `expr` always starts with, when its scheme and host are constants. */
export function cleartextUrlOf(ctx: RuleContext, expr: ts.Expression): ConstantUrl | undefined {
  const known = knownStart(ctx, expr, 0, false);
  if (!known?.first) return undefined;
  const m = /^(http|ws):\/\//i.exec(known.text);
  if (!m) return undefined;
  const rest = known.text.slice(m[0].length);
  const end = rest.search(/[/?#\\]/);
  let authority: string;
  if (end !== -1) authority = rest.slice(0, end);
  else if (known.complete || known.endsAtNamedValue) authority = rest;
  else {
    // `http://api.example.com:${port}/…`: the host ends at the port's colon.
    const port = /^([^@[\]:]+):\d*$/.exec(rest);
    if (!port) return undefined;
    authority = port[1];
  }
  const scheme = m[1].toLowerCase();
  let hostname: string;
  try {
    hostname = new URL(`${scheme}://${authority}/`).hostname;
  } catch {
    return undefined;
  }
  if (!hostname) return undefined;
  return { scheme, hostname, origin: `${scheme}://${hostname}`, literal: known.first, envFallback: known.envFallback };
}

function knownStart(ctx: RuleContext, expr: ts.Expression, depth: number, named: boolean): Known | undefined {
  const { ts } = ctx;
  if (depth > MAX_DEPTH) return undefined;
  const e = skipOuter(ts, expr);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { text: e.text, complete: true, endsAtNamedValue: named, first: e };
  if (ts.isTemplateExpression(e)) {
    const parts: (ts.Expression | SchemeLiteral | ts.TemplateMiddle | ts.TemplateTail)[] = [e.head];
    for (const span of e.templateSpans) parts.push(span.expression, span.literal);
    return sequence(ctx, parts, depth);
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken) return sequence(ctx, [e.left, e.right], depth);
    if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) {
      const variable = envVariableRead(ctx, e.left);
      if (!variable) return undefined;
      const fallback = knownStart(ctx, e.right, depth + 1, named);
      return fallback && { ...fallback, envFallback: fallback.envFallback ?? variable };
    }
    return undefined;
  }
  if (ts.isIdentifier(e)) {
    const init = constInitializer(ctx, e);
    return init && knownStart(ctx, init, depth + 1, true);
  }
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const init = constPropertyValue(ctx, e, depth);
    return init && knownStart(ctx, init, depth + 1, true);
  }
  if (ts.isNewExpression(e) && isGlobalUrlClass(ctx, e.expression) && e.arguments?.length) {
    const [input, base] = e.arguments;
    const own = knownStart(ctx, input, depth + 1, named);
    if (!base || (own && /^[a-z][a-z0-9+.-]*:/i.test(own.text))) return own;
    // `new URL(path, base)`: a relative path keeps the base's scheme and host.
    if (own && !own.text.startsWith('/') && own.text !== '') return undefined;
    const b = knownStart(ctx, base, depth + 1, named);
    // The base is a whole value: its host ends where it ends.
    return b && { ...b, complete: false, endsAtNamedValue: b.complete || b.endsAtNamedValue };
  }
  return undefined;
}

/** Pieces concatenated in order: the constant start runs until the first piece that is not constant. */
function sequence(ctx: RuleContext, parts: readonly (ts.Expression | ts.TemplateLiteralLikeNode)[], depth: number): Known | undefined {
  const { ts } = ctx;
  let text = '';
  let first: SchemeLiteral | undefined;
  let endsAtNamedValue = false;
  let envFallback: string | undefined;
  const result = (complete: boolean): Known => ({ text, complete, endsAtNamedValue, first, envFallback });
  for (const part of parts) {
    if (ts.isTemplateHead(part) || ts.isTemplateMiddle(part) || ts.isTemplateTail(part)) {
      if (part.text === '') continue;
      if (text === '' && ts.isTemplateHead(part)) first = part;
      text += part.text;
      endsAtNamedValue = false;
      continue;
    }
    const piece = knownStart(ctx, part as ts.Expression, depth + 1, false);
    if (!piece) return result(false);
    if (text === '') {
      first = piece.first;
      envFallback = piece.envFallback;
    }
    text += piece.text;
    endsAtNamedValue = piece.endsAtNamedValue;
    if (!piece.complete) return result(false);
  }
  return result(true);
}

/** `config.api.url` where `config` is a const object literal nothing changes. */
function constPropertyValue(ctx: RuleContext, access: ts.PropertyAccessExpression | ts.ElementAccessExpression, depth: number): ts.Expression | undefined {
  const { ts } = ctx;
  if (depth > MAX_DEPTH) return undefined;
  const key = ts.isPropertyAccessExpression(access) ? access.name.text : ts.isStringLiteralLike(skipOuter(ts, access.argumentExpression)) ? (skipOuter(ts, access.argumentExpression) as ts.StringLiteralLike).text : undefined;
  if (key === undefined) return undefined;
  const base = skipOuter(ts, access.expression);
  const object = ts.isIdentifier(base) ? unchangedConstInitializer(ctx, base) : ts.isPropertyAccessExpression(base) || ts.isElementAccessExpression(base) ? constPropertyValue(ctx, base, depth + 1) : undefined;
  if (!object || !ts.isObjectLiteralExpression(skipOuter(ts, object))) return undefined;
  const value = optionValue(ctx, object, key);
  // A shorthand `{ url }` names a variable of its own scope.
  if (value && ts.isIdentifier(value) && ts.isShorthandPropertyAssignment(value.parent)) {
    const symbol = ctx.checker.getShorthandAssignmentValueSymbol(value.parent);
    const decl = symbol?.valueDeclaration;
    return decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const ? decl.initializer : undefined;
  }
  return value;
}

/** `process.env.NAME` / `process.env['NAME']` of Node's global `process`: the variable's name. */
export function envVariableRead(ctx: RuleContext, expr: ts.Expression): string | undefined {
  const { ts } = ctx;
  const e = skipOuter(ts, expr);
  if (!ts.isPropertyAccessExpression(e) && !ts.isElementAccessExpression(e)) return undefined;
  const env = skipOuter(ts, e.expression);
  if (!ts.isPropertyAccessExpression(env) || env.name.text !== 'env' || !ts.isIdentifier(env.expression) || env.expression.text !== 'process') return undefined;
  const decl = ctx.checker.getSymbolAtLocation(env.expression)?.declarations?.[0];
  if (decl && !decl.getSourceFile().isDeclarationFile) return undefined;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  const key = skipOuter(ts, e.argumentExpression);
  return ts.isStringLiteralLike(key) ? key.text : undefined;
}

function isGlobalUrlClass(ctx: RuleContext, callee: ts.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuter(ts, callee);
  if (!ts.isIdentifier(e) || e.text !== 'URL') return false;
  let symbol = ctx.checker.getSymbolAtLocation(e);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const decls = symbol?.declarations ?? [];
  // lib.dom's and @types/node's URL; a project class named URL is not the WHATWG one.
  return decls.length > 0 && decls.every((d) => d.getSourceFile().isDeclarationFile);
}
